// Readiness as kn's wait sees it (knative/client pkg/wait/wait_for_ready.go): only events whose
// status.observedGeneration equals metadata.generation count; Ready=True succeeds; Ready=False
// fails once the error window (2 s) has passed without a Ready=True. Pure: times are passed in.
import { READY, getCondition } from './conditions.js';
import type { AnyObject, Condition } from './types.js';

export interface Readiness {
  state: 'ready' | 'failed' | 'pending';
  reason?: string;
  message?: string;
}

/** kn's ErrorWindow. */
export const DEFAULT_FAIL_WINDOW_MS = 2_000;
/** kn's default --wait-timeout (600 s). */
export const DEFAULT_WAIT_TIMEOUT_MS = 600_000;

function statusOf(object: AnyObject): { observedGeneration?: unknown; conditions?: Condition[] } {
  return (typeof object.status === 'object' && object.status !== null ? object.status : {}) as {
    observedGeneration?: unknown;
    conditions?: Condition[];
  };
}

/** True when the controller has observed the latest spec (isGivenEqualsObservedGeneration). */
export function isObservedGeneration(object: AnyObject): boolean {
  const meta = (object.metadata ?? {}) as { generation?: unknown };
  const observed = statusOf(object).observedGeneration;
  return observed !== undefined && observed === meta.generation;
}

export function readinessOf(object: AnyObject): Readiness {
  if (!isObservedGeneration(object)) {
    return { state: 'pending', reason: 'OutOfDate', message: 'The controller has not observed the latest generation yet.' };
  }
  const ready = getCondition(statusOf(object).conditions, READY);
  const detail = (state: Readiness['state']): Readiness => {
    const r: Readiness = { state };
    if (ready?.reason) r.reason = ready.reason;
    if (ready?.message) r.message = ready.message;
    return r;
  };
  if (ready?.status === 'True') return detail('ready');
  if (ready?.status === 'False') return detail('failed');
  return detail('pending');
}

export type WaitOutcome =
  | { ok: true; elapsedMs: number }
  | { ok: false; reason: 'failed'; error: string; conditionReason?: string; message?: string; elapsedMs: number }
  | { ok: false; reason: 'timeout'; error: string; elapsedMs: number };

export interface WaiterStep {
  /** New Ready messages since the last step, each with the elapsed time (kn prints them as progress). */
  messages: { elapsedMs: number; message: string }[];
  /** Set once the wait is over. */
  outcome?: WaitOutcome;
}

export interface ReadinessWaiter {
  /** Feed a watch event (or a poll result) seen at `nowMs`. */
  observe(object: AnyObject, nowMs: number): WaiterStep;
  /** Advance time without an event: fires the error window and the timeout. */
  tick(nowMs: number): WaiterStep;
  /** When `tick` should next be called (ms), or undefined when done. */
  nextDeadline(): number | undefined;
  readonly outcome: WaitOutcome | undefined;
}

export interface WaiterOptions {
  /** When the wait began (the write); defaults to the time of the first event or tick. */
  startMs?: number;
  failWindowMs?: number;
  timeoutMs?: number;
  /** For the timeout message: "timeout: <kind> '<name>' not ready after N seconds". */
  kind?: string;
  name?: string;
}

export function createReadinessWaiter(options: WaiterOptions = {}): ReadinessWaiter {
  const failWindowMs = options.failWindowMs ?? DEFAULT_FAIL_WINDOW_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  let start = options.startMs;
  let failure: { at: number; reason?: string; message?: string } | undefined;
  let lastMessage: string | undefined;
  let outcome: WaitOutcome | undefined;

  const finish = (o: WaitOutcome, messages: WaiterStep['messages'] = []): WaiterStep => {
    outcome = o;
    return { messages, outcome: o };
  };

  const tick = (nowMs: number): WaiterStep => {
    if (outcome) return { messages: [], outcome };
    start ??= nowMs;
    if (failure && nowMs >= failure.at + failWindowMs) {
      const o: WaitOutcome = { ok: false, reason: 'failed', error: `${failure.reason ?? ''}: ${failure.message ?? ''}`, elapsedMs: nowMs - start };
      if (failure.reason) o.conditionReason = failure.reason;
      if (failure.message) o.message = failure.message;
      return finish(o);
    }
    if (nowMs - start >= timeoutMs) {
      const what = `${options.kind ?? 'service'} '${options.name ?? ''}'`;
      return finish({ ok: false, reason: 'timeout', error: `timeout: ${what} not ready after ${Math.floor(timeoutMs / 1000)} seconds`, elapsedMs: nowMs - start });
    }
    return { messages: [] };
  };

  return {
    get outcome() {
      return outcome;
    },
    nextDeadline() {
      if (outcome || start === undefined) return undefined;
      const timeoutAt = start + timeoutMs;
      return failure ? Math.min(failure.at + failWindowMs, timeoutAt) : timeoutAt;
    },
    tick,
    observe(object, nowMs) {
      const early = tick(nowMs);
      if (early.outcome) return early;
      const begin = start ?? nowMs;
      // Events for an older generation say nothing about the spec we wrote.
      if (!isObservedGeneration(object)) return { messages: [] };
      const ready = getCondition(statusOf(object).conditions, READY);
      const messages: WaiterStep['messages'] = [];
      if (ready?.message && ready.message !== lastMessage) {
        messages.push({ elapsedMs: nowMs - begin, message: ready.message });
        lastMessage = ready.message;
      }
      if (ready?.status === 'True') return finish({ ok: true, elapsedMs: nowMs - begin }, messages);
      if (ready?.status === 'False' && !failure) {
        // kn starts one timer at the first False and keeps the error it saw then.
        failure = { at: nowMs };
        if (ready.reason) failure.reason = ready.reason;
        if (ready.message) failure.message = ready.message;
      }
      return { messages };
    },
  };
}
