// One revision at run time: its processes, the requests waiting for capacity
// (the activator's and the queue-proxy's job in Knative), its scaling, its status.
import type { RevisionPhase, RevisionRuntimeSpec, RevisionRuntimeStatus, ScalingSpec } from '../contracts.js';
import { resolveImage, type WorkspaceApp } from './image-to-app.js';
import { RingBuffer } from './log-lines.js';
import type { ResolvedOptions } from './options.js';
import { freePort } from './probes.js';
import { Replica, type ReplicaExit } from './replica.js';
import { DemandWindow, desiredProcesses, pickLeastBusy, processesFor } from './scaling.js';
import { dockerLaunch, imagePullFailure, nodeLaunch } from './launch.js';
import { RequestQueue, RevisionUnavailable, type Lease } from './request-queue.js';
import { crashMessage, deadlineMessage } from './revision-messages.js';

export { RevisionUnavailable, type Lease } from './request-queue.js';

/** One process of a revision, shaped like what `kubectl get pods` needs (the API's PodInfo minus the pod name). */
export interface RevisionProcess {
  namespace: string;
  revision: string;
  service: string;
  configuration: string;
  /** 1, 2, ...: stable across restarts of a crashed process, like a pod name. */
  replica: number;
  ready: boolean;
  phase: 'Running';
  restarts: number;
  /** ISO 8601. */
  startedAt: string;
  ip: string;
  pid?: number;
  port: number;
  /** Requests in flight on it right now. */
  inflight: number;
}

type RunnableApp = (WorkspaceApp & { main: string }) | 'docker';

const DEFAULT_TIMEOUT_SECONDS = 300;
const MAX_PORT_RACES = 3;
/** Failures before readiness in a row after which a once-ready revision is declared Failed. */
const START_FAILURES_BEFORE_FAILED = 3;
/** A process ready this long resets the crash-loop back-off. */
const STABLE_AFTER_MS = 10_000;

export class Revision {
  readonly key: string;
  phase: RevisionPhase = 'Pending';
  reason: string | undefined;
  message: string | undefined;
  /** What runs: a workspace app, or the real image through Docker. */
  private app: RunnableApp | undefined;
  private readonly replicas = new Set<Replica>();
  private spawning = 0;
  private readonly queue = new RequestQueue(
    () => pickLeastBusy(this.readyReplicas(), this.spec.scaling.containerConcurrency),
    () => this.demandChanged(),
  );
  private readonly window = new DemandWindow();
  private routed = false;
  private everReady = false;
  private failuresInARow = 0;
  private portRaces = 0;
  private restarts = 0;
  private restartNotBefore = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private nextReplicaId = 1;
  /** Ids of crashed processes to reuse for their replacements, with their restart counts. */
  private readonly crashedSlots: { id: number; restarts: number }[] = [];
  private desired = 0;
  private stopping = false;
  private readonly logs: RingBuffer<{ replica: number; line: string }>;
  private lastEmitted = '';

  constructor(
    public spec: RevisionRuntimeSpec,
    private readonly options: ResolvedOptions,
    private readonly emit: (status: RevisionRuntimeStatus) => void,
  ) {
    this.key = `${spec.namespace}/${spec.name}`;
    this.logs = new RingBuffer(options.logBufferLines);
  }

  /** Resolves the image to an app and starts initial-scale processes. */
  start(apps: readonly WorkspaceApp[]): void {
    const resolution = resolveImage(this.spec.image, apps);
    if (resolution.ok) {
      this.app = resolution.app;
    } else if (this.options.docker) {
      this.app = 'docker';
    } else {
      this.fail(resolution.reason, resolution.message);
      return;
    }
    this.reconcile();
    // initial-scale 0: nothing to wait for, the revision is ready to be woken.
    if (this.phase === 'Pending' && this.desired === 0 && this.spawning === 0 && this.replicas.size === 0) {
      this.phase = 'Ready';
      this.emitStatus();
    }
  }

  /** Scaling annotations may change in place; anything else makes a new Revision. */
  updateScaling(scaling: ScalingSpec): void {
    this.spec = { ...this.spec, scaling };
    this.reconcile();
  }

  setRouted(routed: boolean): void {
    if (routed === this.routed) return;
    // Traffic moved away: no reason to keep processes warm for the idle window.
    if (!routed) this.window.reset(Date.now(), this.currentNeed());
    this.routed = routed;
    this.reconcile();
  }

  get status(): RevisionRuntimeStatus {
    return {
      namespace: this.spec.namespace,
      name: this.spec.name,
      phase: this.phase,
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      ...(this.message !== undefined ? { message: this.message } : {}),
      actualReplicas: this.readyReplicas().length,
      desiredReplicas: this.desired,
    };
  }

  /** The longest a request may take: timeoutSeconds, or Knative's default 300 s when unset. */
  get timeoutMs(): number {
    return (this.spec.timeoutSeconds > 0 ? this.spec.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS) * 1000;
  }

  /** Recent output of its processes, oldest first. */
  recentLogs(): string[] {
    return this.logs.toArray().map((entry) => entry.line);
  }

  /**
   * A request slot on a ready process, waiting (up to the hold timeout) when there
   * is none. `signal` aborts the wait, e.g. when the client hangs up.
   */
  acquire(signal?: AbortSignal): Promise<Lease> {
    if (this.phase === 'Failed') {
      return Promise.reject(
        new RevisionUnavailable(503, `Revision "${this.spec.name}" failed: ${this.reason ?? 'Failed'}: ${this.message ?? ''}`),
      );
    }
    if (this.stopping) return Promise.reject(new RevisionUnavailable(503, 'The local serving is shutting down.'));
    const holdMs = Math.min(this.options.holdTimeoutMs, this.timeoutMs);
    const timeoutMessage = `Timed out after ${holdMs / 1000} s waiting for revision "${this.spec.name}" to have a ready process with a free slot.`;
    return this.queue.take(holdMs, timeoutMessage, signal);
  }

  /** A ContainerMissing revision whose app now exists (e.g. after `pnpm build`) can be recreated. */
  canRecoverWith(apps: readonly WorkspaceApp[]): boolean {
    return this.phase === 'Failed' && this.reason === 'ContainerMissing' && resolveImage(this.spec.image, apps).ok;
  }

  /** Periodic: lets scale-downs happen once the idle window has passed. */
  tick(): void {
    this.reconcile();
  }

  /** Takes no more requests: waiting ones are answered 503, in-flight ones go on. */
  beginShutdown(): void {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.queue.rejectAll(new RevisionUnavailable(503, 'The local serving is shutting down.'));
  }

  /** Drains and stops every process (SIGTERM, then SIGKILL after the grace). */
  async stop(graceMs: number): Promise<void> {
    this.beginShutdown();
    this.desired = 0;
    await Promise.all([...this.replicas].map((replica) => replica.stop(graceMs)));
  }

  /** Its processes, for `kubectl get pods`. */
  processes(): RevisionProcess[] {
    return [...this.replicas]
      .filter((replica) => replica.state !== 'exited')
      .map((replica) => ({
        namespace: this.spec.namespace,
        revision: this.spec.name,
        service: this.spec.service,
        configuration: this.spec.configuration,
        replica: replica.id,
        ready: replica.state === 'ready',
        phase: 'Running' as const,
        restarts: replica.restarts,
        startedAt: new Date(replica.startedAt).toISOString(),
        ip: '127.0.0.1',
        ...(replica.pid !== undefined ? { pid: replica.pid } : {}),
        port: replica.port,
        inflight: replica.inflight,
      }));
  }

  /** SIGKILL now, synchronously: for when the data plane's own process is exiting. */
  kill(): void {
    for (const replica of this.replicas) replica.kill();
  }

  get processCount(): number {
    return this.replicas.size;
  }

  private readyReplicas(): Replica[] {
    return [...this.replicas].filter((replica) => replica.state === 'ready');
  }

  private currentNeed(): number {
    let demand = this.queue.waiting;
    for (const replica of this.replicas) demand += replica.inflight;
    return processesFor(demand, this.spec.scaling);
  }

  private demandChanged(): void {
    const need = this.currentNeed();
    this.window.record(Date.now(), need);
    // Scaling up is immediate; scaling down waits for the window (tick).
    if (need > this.desired) this.reconcile();
  }

  private liveReplicas(): Replica[] {
    return [...this.replicas].filter((replica) => replica.state === 'starting' || replica.state === 'ready');
  }

  private reconcile(): void {
    if (this.stopping || this.phase === 'Failed' || !this.app) {
      this.emitStatus();
      return;
    }
    const now = Date.now();
    const peak = this.window.peak(now, this.options.idleWindowMs);
    // Until it was first ready, initial-scale is the floor (Knative reaches it before autoscaling).
    const floor = this.everReady ? peak : Math.max(peak, this.spec.scaling.initialScale);
    this.desired = desiredProcesses(floor, this.spec.scaling, this.routed, this.options.maxScaleCap);
    const live = this.liveReplicas();
    const running = live.length + this.spawning;
    if (running < this.desired) {
      if (now < this.restartNotBefore) {
        this.scheduleRestart(this.restartNotBefore - now);
      } else {
        for (let i = running; i < this.desired; i++) void this.startReplica();
      }
    } else {
      // Nothing to replace: a later scale-up starts fresh processes.
      this.crashedSlots.length = 0;
    }
    if (live.length > this.desired) {
      // Starting processes go first (nobody needs them), then the least busy.
      const extras = live
        .sort((a, b) => rank(a) - rank(b) || a.inflight - b.inflight)
        .slice(0, live.length - this.desired);
      for (const replica of extras) {
        this.options.onNotice(`${this.spec.name}: scaling down, stopping process #${replica.id}`);
        void replica.stop(this.options.shutdownGraceMs);
      }
    }
    this.emitStatus();
  }

  private scheduleRestart(ms: number): void {
    if (this.restartTimer) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.reconcile();
    }, ms);
    this.restartTimer.unref();
  }

  private async startReplica(): Promise<void> {
    this.spawning++;
    let port: number;
    try {
      port = await freePort();
    } catch (error) {
      this.options.onNotice(`${this.spec.name}: no free port for a new process: ${(error as Error).message}`);
      this.scheduleRestart(this.backoffMs());
      return;
    } finally {
      this.spawning--;
    }
    const app = this.app;
    if (!app || this.stopping || this.phase === 'Failed' || this.liveReplicas().length >= this.desired) return;
    const { spec } = this;
    const slot = this.crashedSlots.shift() ?? { id: this.nextReplicaId++, restarts: 0 };
    let replica: Replica;
    try {
      replica = this.spawnReplica(slot, port, app);
    } catch (error) {
      this.options.onNotice(`${spec.name}: could not start a process: ${(error as Error).message}`);
      this.scheduleRestart(this.backoffMs());
      return;
    }
    this.replicas.add(replica);
    this.emitStatus();
  }

  private spawnReplica(slot: { id: number; restarts: number }, port: number, app: RunnableApp): Replica {
    const { spec } = this;
    return new Replica({
      id: slot.id,
      restarts: slot.restarts,
      launch: app === 'docker' ? dockerLaunch(this.options.docker ?? {}, spec, port, slot.id) : nodeLaunch(app, spec, port),
      port,
      readinessPath: spec.readinessPath,
      readinessIntervalMs: this.options.readinessIntervalMs,
      progressDeadlineMs: this.options.progressDeadlineMs,
      onLine: (from, stream, line) => {
        this.logs.push({ replica: from.id, line });
        this.options.onLog({ namespace: spec.namespace, revision: spec.name, replica: from.id, stream, line });
      },
      onReady: () => this.onReady(),
      onDeadline: (late) => this.onDeadline(late),
      onExit: (gone, exit) => this.onExit(gone, exit),
    });
  }

  private onReady(): void {
    if (!this.everReady) {
      // From the first ready process, initial-scale is kept for one window.
      const now = Date.now();
      this.window.record(now, this.spec.scaling.initialScale);
      this.window.record(now, this.currentNeed());
    }
    this.everReady = true;
    if (this.phase === 'Pending') this.phase = 'Ready';
    this.queue.pump();
    this.reconcile();
  }

  private onDeadline(replica: Replica): void {
    const message = deadlineMessage(this.spec, this.options.progressDeadlineMs, this.tail(replica.id));
    if (!this.everReady) {
      this.fail('ProgressDeadlineExceeded', message);
    } else {
      this.options.onNotice(`${this.spec.name}: process #${replica.id} was not ready in time; replacing it`);
      this.countStartFailure('ProgressDeadlineExceeded', message);
    }
    void replica.stop(this.options.shutdownGraceMs);
  }

  private onExit(replica: Replica, exit: ReplicaExit): void {
    this.replicas.delete(replica);
    if (exit.expected || this.stopping || this.phase === 'Failed') {
      this.reconcile();
      return;
    }
    const reason = `ExitCode${exit.code}`;
    const tail = this.tail(replica.id);
    const message = crashMessage(exit.code, tail);
    // The free port was taken between our check and the app's listen: not the app's fault.
    if (!exit.wasReady && this.portRaces < MAX_PORT_RACES && tail.some((line) => line.includes('EADDRINUSE'))) {
      this.portRaces++;
      this.options.onNotice(`${this.spec.name}: process #${replica.id} lost its port to another process; starting it again`);
      this.reconcile();
      return;
    }
    const pullFailure = this.app === 'docker' ? imagePullFailure(exit.code, tail) : undefined;
    if (pullFailure) {
      this.fail('ContainerMissing', `Unable to fetch image "${this.spec.image}": ${pullFailure}`);
      return;
    }
    if (!this.everReady) {
      this.fail(reason, message);
      return;
    }
    this.restarts++;
    this.crashedSlots.push({ id: replica.id, restarts: replica.restarts + 1 });
    if (exit.wasReady) {
      const stable = replica.readyAt !== undefined && Date.now() - replica.readyAt >= STABLE_AFTER_MS;
      this.failuresInARow = stable ? 1 : this.failuresInARow + 1;
      const backoff = this.backoffMs();
      this.restartNotBefore = Date.now() + backoff;
      this.message = `Restarted ${this.restarts} time(s); last: ${reason}: ${lastLine(this.tail(replica.id))}`;
      this.options.onNotice(
        `${this.spec.name}: process #${replica.id} exited with code ${exit.code} after it was ready; replacing it in ${backoff} ms`,
      );
      this.reconcile();
      return;
    }
    this.countStartFailure(reason, message);
  }

  /** A process of a once-ready revision failed to start: back off, and give up after a few. */
  private countStartFailure(reason: string, message: string): void {
    this.failuresInARow++;
    if (this.failuresInARow >= START_FAILURES_BEFORE_FAILED) {
      this.fail(reason, message);
      return;
    }
    this.restartNotBefore = Date.now() + this.backoffMs();
    this.reconcile();
  }

  private backoffMs(): number {
    const { restartBackoffMs, maxRestartBackoffMs } = this.options;
    return Math.min(restartBackoffMs * 2 ** Math.max(this.failuresInARow - 1, 0), maxRestartBackoffMs);
  }

  private fail(reason: string, message: string): void {
    this.phase = 'Failed';
    this.reason = reason;
    this.message = message;
    this.desired = 0;
    this.options.onNotice(`${this.spec.name} failed: ${reason}: ${message}`);
    this.queue.rejectAll(new RevisionUnavailable(503, `Revision "${this.spec.name}" failed: ${reason}: ${message}`));
    for (const replica of this.replicas) void replica.stop(this.options.shutdownGraceMs);
    this.emitStatus();
  }

  private tail(replicaId: number): string[] {
    return this.logs
      .toArray()
      .filter((entry) => entry.replica === replicaId)
      .slice(-this.options.failureLogLines)
      .map((entry) => entry.line);
  }

  private emitStatus(): void {
    const status = this.status;
    const fingerprint = JSON.stringify(status);
    if (fingerprint === this.lastEmitted) return;
    this.lastEmitted = fingerprint;
    this.emit(status);
  }
}

function rank(replica: Replica): number {
  return replica.state === 'starting' ? 0 : 1;
}

function lastLine(lines: string[]): string {
  return lines[lines.length - 1] ?? '(no output)';
}
