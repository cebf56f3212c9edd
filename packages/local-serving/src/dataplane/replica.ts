// One process of a revision: spawned without a shell, probed until ready, its
// output split into lines, stopped with SIGTERM then SIGKILL after a grace.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { LaunchPlan } from './launch.js';
import { LineSplitter } from './log-lines.js';
import { httpProbe, tcpProbe } from './probes.js';

export type ReplicaState = 'starting' | 'ready' | 'stopping' | 'exited';

export interface ReplicaExit {
  /** The exit code, or 128 + the signal number when a signal ended it (as Kubernetes reports it). */
  code: number;
  signal: NodeJS.Signals | null;
  /** Whether it had passed its readiness probe. */
  wasReady: boolean;
  /** Whether the data plane stopped it (scale-down, close) rather than it dying by itself. */
  expected: boolean;
}

export interface ReplicaOptions {
  id: number;
  /** How many processes with this id crashed before (Kubernetes keeps a pod and counts restarts). */
  restarts: number;
  /** What to spawn: `node <main>` or `docker run`. */
  launch: LaunchPlan;
  port: number;
  readinessPath: string | undefined;
  readinessIntervalMs: number;
  progressDeadlineMs: number;
  onLine(replica: Replica, stream: 'stdout' | 'stderr', line: string): void;
  onReady(replica: Replica): void;
  onDeadline(replica: Replica): void;
  onExit(replica: Replica, exit: ReplicaExit): void;
}

export class Replica {
  readonly id: number;
  readonly port: number;
  readonly restarts: number;
  state: ReplicaState = 'starting';
  /** Requests proxied to it right now. */
  inflight = 0;
  readonly startedAt = Date.now();
  readyAt: number | undefined;
  private readonly child: ChildProcess;
  private expected = false;
  private deadline: NodeJS.Timeout | undefined;
  private onDrained: (() => void) | undefined;
  private resolveExited!: () => void;
  /** Settles once the process is gone and its output is read. */
  readonly exited: Promise<void> = new Promise((resolve) => (this.resolveExited = resolve));

  constructor(private readonly options: ReplicaOptions) {
    this.id = options.id;
    this.port = options.port;
    this.restarts = options.restarts;
    this.child = spawn(options.launch.command, options.launch.args, {
      ...(options.launch.cwd ? { cwd: options.launch.cwd } : {}),
      env: options.launch.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      // Its own process group: a terminal's Ctrl-C reaches only the local serving,
      // which drains the ingress first and then stops its processes in order.
      detached: true,
    });
    this.pipeLines('stdout');
    this.pipeLines('stderr');
    this.watchExit();
    this.deadline = setTimeout(() => {
      if (this.state === 'starting') options.onDeadline(this);
    }, options.progressDeadlineMs);
    void this.probeUntilReady();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Takes one request slot. */
  acquire(): void {
    this.inflight++;
  }

  release(): void {
    this.inflight--;
    if (this.inflight === 0) this.onDrained?.();
  }

  /**
   * Stops taking requests, lets in-flight ones finish (up to the grace), then
   * SIGTERM, and SIGKILL if it is still alive a grace later.
   */
  async stop(graceMs: number): Promise<void> {
    if (this.state === 'exited') return this.exited;
    this.expected = true;
    this.state = 'stopping';
    this.clearDeadline();
    if (this.inflight > 0) {
      await Promise.race([new Promise<void>((resolve) => (this.onDrained = resolve)), delay(graceMs), this.exited]);
    }
    this.signal('SIGTERM');
    const exitedInTime = await Promise.race([this.exited.then(() => true), delay(graceMs).then(() => false)]);
    if (!exitedInTime) {
      this.signal('SIGKILL');
      this.options.launch.cleanup?.();
    }
    return this.exited;
  }

  kill(): void {
    if (this.state === 'exited') return;
    this.expected = true;
    this.signal('SIGKILL');
    this.options.launch.cleanup?.();
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  private pipeLines(stream: 'stdout' | 'stderr'): void {
    const source = this.child[stream];
    if (!source) return;
    source.setEncoding('utf8');
    const splitter = new LineSplitter((line) => this.options.onLine(this, stream, line));
    source.on('data', (chunk: string) => splitter.push(chunk));
    source.on('end', () => splitter.flush());
  }

  private watchExit(): void {
    let reported = false;
    const report = (code: number, signal: NodeJS.Signals | null): void => {
      if (reported) return;
      reported = true;
      const wasReady = this.readyAt !== undefined;
      this.state = 'exited';
      this.clearDeadline();
      this.onDrained?.();
      this.options.onExit(this, { code, signal, wasReady, expected: this.expected });
      this.resolveExited();
    };
    this.child.on('error', (error) => {
      // Spawning failed (e.g. no such executable): there is no exit event to wait for.
      if (this.child.pid === undefined) {
        this.options.onLine(this, 'stderr', `failed to start: ${error.message}`);
        report(127, null);
      }
    });
    this.child.once('exit', (code, signal) => {
      const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      // Wait for the output to be read (for the failure message), but not forever:
      // a grandchild may hold the pipes open.
      const timer = setTimeout(() => report(exitCode, signal), 200);
      this.child.once('close', () => {
        clearTimeout(timer);
        report(exitCode, signal);
      });
    });
  }

  private async probeUntilReady(): Promise<void> {
    const { port, readinessPath, readinessIntervalMs } = this.options;
    while (this.state === 'starting') {
      const ok = readinessPath === undefined ? await tcpProbe(port) : await httpProbe(port, readinessPath);
      if (this.state !== 'starting') return;
      if (ok) {
        this.state = 'ready';
        this.readyAt = Date.now();
        this.clearDeadline();
        this.options.onReady(this);
        return;
      }
      await delay(readinessIntervalMs);
    }
  }

  private clearDeadline(): void {
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
