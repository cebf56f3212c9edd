// Options of the data plane, with their defaults in one place.
import type { DockerOptions } from './launch.js';

/** One line a revision process wrote, for the integrator to print (prefixed) or keep. */
export interface RevisionLogLine {
  namespace: string;
  revision: string;
  /** Which process of the revision (1, 2, ...), like a pod name suffix. */
  replica: number;
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface DataPlaneOptions {
  /** The folder whose apps/ holds the workspace apps revisions may run (the repo root). */
  workspaceRoot: string;
  /** Ingress port; 0 picks a free one (tests). Default 8080. */
  port?: number;
  /** Ingress address. Default 127.0.0.1: nothing outside this machine reaches the apps. */
  host?: string;
  /** How long a revision's demand must stay low before it scales down (and to zero). Default 30 s. */
  idleWindowMs?: number;
  /** How long a new process may take to become ready. Knative's default is 600 s. Default 120 s. */
  progressDeadlineMs?: number;
  /** How long the ingress holds a request while no process has capacity (the activator). Default 120 s, never more than the revision's timeoutSeconds. */
  holdTimeoutMs?: number;
  /** The replica cap when max-scale is 0 (unlimited in Knative). Default 10. */
  maxScaleCap?: number;
  /** SIGTERM -> SIGKILL grace on scale-down and close(). Default 10 s. */
  shutdownGraceMs?: number;
  /** How often a starting process is probed. Default 10 ms. */
  readinessIntervalMs?: number;
  /** How many log lines of a failed process go into the failure message. Default 20. */
  failureLogLines?: number;
  /** Lines kept per revision for failure messages and recentLogs(). Default 200. */
  logBufferLines?: number;
  /** First restart delay after a crash; doubles per consecutive failure. Default 200 ms. */
  restartBackoffMs?: number;
  /** Longest restart delay. Default 10 s. */
  maxRestartBackoffMs?: number;
  /** Every line the processes write. Default: printed to stdout as `<revision> | <line>`. */
  onLog?: (line: RevisionLogLine) => void;
  /** What the data plane itself reports (scaling, restarts, shutdown). Default: stderr. */
  onNotice?: (message: string) => void;
  /** Source of randomness for traffic splits, in [0, 1). Default Math.random. */
  random?: () => number;
  /**
   * Run images that name no workspace app with this Docker daemon (`docker run
   * --network host`). Default: not set, such images fail with ContainerMissing.
   */
  docker?: DockerOptions;
}

export type ResolvedOptions = Required<Omit<DataPlaneOptions, 'docker'>> & { docker: DockerOptions | undefined };

export function resolveOptions(options: DataPlaneOptions): ResolvedOptions {
  return {
    workspaceRoot: options.workspaceRoot,
    port: options.port ?? 8080,
    host: options.host ?? '127.0.0.1',
    idleWindowMs: options.idleWindowMs ?? 30_000,
    progressDeadlineMs: options.progressDeadlineMs ?? 120_000,
    holdTimeoutMs: options.holdTimeoutMs ?? 120_000,
    maxScaleCap: options.maxScaleCap ?? 10,
    shutdownGraceMs: options.shutdownGraceMs ?? 10_000,
    readinessIntervalMs: options.readinessIntervalMs ?? 10,
    failureLogLines: options.failureLogLines ?? 20,
    logBufferLines: options.logBufferLines ?? 200,
    restartBackoffMs: options.restartBackoffMs ?? 200,
    maxRestartBackoffMs: options.maxRestartBackoffMs ?? 10_000,
    onLog: options.onLog ?? printLogLine,
    onNotice: options.onNotice ?? ((message) => process.stderr.write(`data plane: ${message}\n`)),
    random: options.random ?? Math.random,
    docker: options.docker,
  };
}

/** `helloworld-00001 | listening on 8080` (the replica number is added when there are several). */
export function formatLogLine(entry: RevisionLogLine): string {
  const who = entry.replica > 1 ? `${entry.revision}#${entry.replica}` : entry.revision;
  return `${who} | ${entry.line}`;
}

/** An onLog that writes formatted lines to a stream: `onLog: writeLogsTo(process.stderr)`. */
export function writeLogsTo(stream: { write(text: string): unknown }): (entry: RevisionLogLine) => void {
  return (entry) => {
    stream.write(`${formatLogLine(entry)}\n`);
  };
}

const printLogLine = writeLogsTo(process.stdout);
