// The autoscaler's arithmetic, like Knative's KPA but simplified: the desired
// number of processes is the in-flight demand divided by what one process should
// carry (target x utilization, never more than containerConcurrency), taken as the
// peak over the idle window so a revision scales up at once and down (or to zero)
// only after its demand has stayed low for the whole window. Pure: no timers.
import type { ScalingSpec } from '../contracts.js';

/** Knative's defaults for the autoscaling annotations. */
export const DEFAULT_TARGET = 100;
export const DEFAULT_UTILIZATION_PERCENT = 70;

/** Concurrent requests one process should carry before another is started. */
export function concurrencyPerProcess(spec: ScalingSpec): number {
  const target = spec.target > 0 ? spec.target : DEFAULT_TARGET;
  // Like Knative: a hard containerConcurrency limit caps the soft target.
  const capped = spec.containerConcurrency > 0 ? Math.min(target, spec.containerConcurrency) : target;
  const utilization =
    spec.targetUtilizationPercentage > 0 ? Math.min(spec.targetUtilizationPercentage, 100) : DEFAULT_UTILIZATION_PERCENT;
  return Math.max((capped * utilization) / 100, 0.01);
}

/** Processes needed for `demand` requests in flight or waiting. */
export function processesFor(demand: number, spec: ScalingSpec): number {
  if (demand <= 0) return 0;
  return Math.ceil(demand / concurrencyPerProcess(spec) - 1e-9);
}

export function maxProcesses(spec: ScalingSpec, cap: number): number {
  return spec.maxScale > 0 ? spec.maxScale : cap;
}

/**
 * The replica count to run. min-scale only holds while a route references the
 * revision (as in Knative): an unrouted revision goes to zero.
 */
export function desiredProcesses(peakNeed: number, spec: ScalingSpec, routed: boolean, cap: number): number {
  const max = maxProcesses(spec, cap);
  const min = routed ? Math.min(spec.minScale, max) : 0;
  return Math.min(Math.max(peakNeed, min), max);
}

/**
 * The peak need of the last `windowMs`, where need is a step function recorded on
 * every change. A monotonic deque (needs strictly decreasing from the front) keeps
 * this O(1) per request however many requests a window sees: a sample followed by
 * a larger one can never be the peak again.
 */
export class DemandWindow {
  private samples: { at: number; need: number; endsAt: number | undefined }[] = [];

  record(at: number, need: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && last.endsAt === undefined) {
      if (last.need === need) return;
      last.endsAt = at;
    }
    while (this.samples.length > 0 && this.samples[this.samples.length - 1]!.need <= need) this.samples.pop();
    this.samples.push({ at, need, endsAt: undefined });
  }

  /** Forgets the history, e.g. when no route references the revision any more. */
  reset(at: number, need: number): void {
    this.samples = [{ at, need, endsAt: undefined }];
  }

  peak(now: number, windowMs: number): number {
    const from = now - windowMs;
    // Drop samples whose value ended before the window started.
    while (this.samples.length > 0 && this.samples[0]!.endsAt !== undefined && this.samples[0]!.endsAt <= from) {
      this.samples.shift();
    }
    return this.samples[0]?.need ?? 0;
  }

  /** How many samples it holds (stays small: one per distinct falling level). */
  get size(): number {
    return this.samples.length;
  }
}

/** The ready process to give the next request: the least busy one with a free slot. */
export function pickLeastBusy<T extends { inflight: number }>(
  candidates: Iterable<T>,
  containerConcurrency: number,
): T | undefined {
  let best: T | undefined;
  for (const candidate of candidates) {
    if (containerConcurrency > 0 && candidate.inflight >= containerConcurrency) continue;
    if (!best || candidate.inflight < best.inflight) best = candidate;
  }
  return best;
}
