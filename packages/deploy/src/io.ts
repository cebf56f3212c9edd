// Where a command writes: results on stdout, progress and warnings on stderr.
// The CLI layer redacts every line before it reaches a terminal.
export interface CommandIO {
  /** The result (URLs, tables, objects). */
  out(line: string): void;
  /** Progress, notes and warnings. */
  err(line: string): void;
  now?(): number;
  /** Values to mask from now on (the kubeconfig's token, once loaded). */
  addSecrets?(values: readonly string[]): void;
}

/** Collects lines, for tests and for callers that print later. */
export function memoryIO(): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}
