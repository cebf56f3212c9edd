// Compares normalised output lines with a page's expected lines. A line that is
// exactly `...` in the expected output matches any number of lines (also none):
// for output that is long or whose order is not fixed (app logs beside progress).

export const ANY_LINES = '...';

export function matchLines(expected: readonly string[], actual: readonly string[]): boolean {
  // memo[i][j]: expected[i..] matches actual[j..]; sizes are a few dozen lines.
  const memo = new Map<number, boolean>();
  const width = actual.length + 1;
  const go = (i: number, j: number): boolean => {
    const key = i * width + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === expected.length) result = j === actual.length;
    else if (expected[i] === ANY_LINES) result = go(i + 1, j) || (j < actual.length && go(i, j + 1));
    else result = j < actual.length && expected[i] === actual[j] && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** A readable report of a mismatch: both sides, normalised, the first differing line marked. */
export function describeMismatch(expected: readonly string[], actual: readonly string[]): string {
  let first = 0;
  while (first < expected.length && first < actual.length && expected[first] === actual[first]) first++;
  const show = (lines: readonly string[]) =>
    lines.length === 0 ? '    (nothing)' : lines.map((line, i) => `${i === first ? '>>' : '  '}  ${line}`).join('\n');
  return `expected (normalised):\n${show(expected)}\nactual (normalised):\n${show(actual)}`;
}
