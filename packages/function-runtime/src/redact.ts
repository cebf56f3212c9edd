// Keeps secrets out of log lines. Pure: the caller decides which values are secret.

/** Field and variable names that hold credentials, whatever their casing. */
export const SECRET_NAME_PATTERN =
  /(passw(or)?d|passwd|secret|token|api[-_]?key|authorization|credential|private[-_]?key|cookie|signature)/i;

export const REDACTED = '[REDACTED]';

/** Values shorter than this are too likely to appear by chance ("1", "true"). */
const MIN_SECRET_LENGTH = 4;

export function isSecretName(name: string): boolean {
  return SECRET_NAME_PATTERN.test(name);
}

/**
 * Collects the values of environment variables that must never be logged:
 * those whose name looks like a credential and those the user marked secret.
 */
export function secretValuesFromEnv(
  env: NodeJS.ProcessEnv,
  markedSecret: Iterable<string> = [],
): string[] {
  const names = new Set(markedSecret);
  for (const name of Object.keys(env)) if (isSecretName(name)) names.add(name);
  const values = new Set<string>();
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) values.add(value);
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...values].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each secret value in an already serialised line. */
export function redactValues(line: string, secrets: readonly string[]): string {
  for (const secret of secrets) {
    if (line.includes(secret)) line = line.split(secret).join(REDACTED);
    // JSON escaping can change how a secret with quotes or backslashes appears.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && line.includes(escaped)) line = line.split(escaped).join(REDACTED);
  }
  return line;
}

/** JSON.stringify replacer that blanks fields named like credentials. */
export function redactingReplacer(this: unknown, key: string, value: unknown): unknown {
  if (key !== '' && typeof value !== 'object' && isSecretName(key)) return REDACTED;
  if (value instanceof Error) return serializeError(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  status?: unknown;
}

export function serializeError(error: Error): SerializedError {
  const out: SerializedError = { name: error.name, message: error.message };
  if (error.stack) out.stack = error.stack;
  const extra = error as { code?: unknown; status?: unknown; statusCode?: unknown };
  if (extra.code !== undefined) out.code = extra.code;
  const status = extra.status ?? extra.statusCode;
  if (status !== undefined) out.status = status;
  return out;
}
