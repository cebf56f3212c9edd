// What a command's failure means to the shell that ran it. Every message says
// what to do next; the exit code says whose move it is.

/** Exit codes of pnpm apply, traffic, status, delete and ship (see the README). */
export const ExitCode = {
  ok: 0,
  /** Something unexpected (a bug): the message is all we know. */
  unexpected: 1,
  /** Invalid input: flags, files, manifests, kubeconfig. Nothing was sent to the cluster. */
  invalidInput: 2,
  /** The cluster said no (refused, forbidden, conflict, not installed, unreachable) or what we deployed failed. */
  cluster: 3,
  /** Waiting for readiness (or deletion) took longer than --timeout. */
  timeout: 4,
} as const;

export type FailureKind = 'invalid-input' | 'cluster' | 'timeout';

const CODES: Record<FailureKind, number> = {
  'invalid-input': ExitCode.invalidInput,
  cluster: ExitCode.cluster,
  timeout: ExitCode.timeout,
};

/** A failure the user can act on; `message` may span lines, the first says what happened. */
export class DeployError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** Set when the API server answered that the object does not exist (404 with a name). */
    readonly notFound = false,
  ) {
    super(message);
    this.name = 'DeployError';
  }

  get exitCode(): number {
    return CODES[this.kind];
  }
}

export const invalidInput = (message: string): DeployError => new DeployError('invalid-input', message);
export const clusterFailure = (message: string): DeployError => new DeployError('cluster', message);
export const timedOut = (message: string): DeployError => new DeployError('timeout', message);

export function exitCodeOf(error: unknown): number {
  return error instanceof DeployError ? error.exitCode : ExitCode.unexpected;
}
