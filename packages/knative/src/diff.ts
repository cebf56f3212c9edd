// Structural equality and a short "-old +new" diff of JSON-like values, the role
// knative.dev/pkg kmp.ShortDiff plays in Knative's validation messages.

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    // An absent field and an explicit undefined mean the same thing in JSON.
    if (!deepEqual(ao[k], bo[k])) return false;
  }
  return true;
}

function render(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}

function collect(path: string, a: unknown, b: unknown, out: string[]): void {
  if (deepEqual(a, b)) return;
  const bothObjects =
    typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b);
  if (bothObjects && Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) collect(`${path}[${i}]`, a[i], b[i], out);
    return;
  }
  if (bothObjects) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
    for (const k of keys) collect(path ? `${path}.${k}` : k, ao[k], bo[k], out);
    return;
  }
  out.push(`${path || '(root)'}:\n\t-: ${render(a)}\n\t+: ${render(b)}`);
}

/** "" when equal; otherwise one block per changed leaf: `path:\n\t-: old\n\t+: new`. */
export function shortDiff(oldValue: unknown, newValue: unknown): string {
  const out: string[] = [];
  collect('', oldValue, newValue, out);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
