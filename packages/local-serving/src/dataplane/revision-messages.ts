// The texts a revision reports, Knative-like.
import type { RevisionRuntimeSpec } from '../contracts.js';

/** `ExitCode3`'s message: the exit code and the tail of the log, like Knative's `Container failed with: ...`. */
export function crashMessage(code: number, tail: readonly string[]): string {
  const log = tail.length > 0 ? tail.join('\n') : '(the process wrote nothing)';
  return `Container failed with: exit code ${code}; last log lines:\n${log}`;
}

export function deadlineMessage(spec: RevisionRuntimeSpec, deadlineMs: number, tail: readonly string[]): string {
  const probe = spec.readinessPath === undefined ? 'a TCP connect to PORT' : `GET ${spec.readinessPath} on PORT answering 200-399`;
  const log = tail.length > 0 ? `; last log lines:\n${tail.join('\n')}` : '';
  return `Revision "${spec.name}" did not become ready in ${deadlineMs / 1000} s: its readiness probe (${probe}) never passed. Does the app listen on the port given in PORT, on all interfaces?${log}`;
}
