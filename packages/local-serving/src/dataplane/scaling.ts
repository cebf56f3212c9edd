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

/** The need of the last `windowMs`: the peak of a step function sampled on every change. */
export class DemandWindow {
  private samples: { at: number; need: number }[] = [];

  record(at: number, need: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && last.need === need) return;
    this.samples.push({ at, need });
  }

  /** Forgets the history, e.g. when no route references the revision any more. */
  reset(at: number, need: number): void {
    this.samples = [{ at, need }];
  }

  peak(now: number, windowMs: number): number {
    const from = now - windowMs;
    // Keep the last sample before the window: it is the value at the window's start.
    let firstInWindow = this.samples.findIndex((sample) => sample.at > from);
    if (firstInWindow === -1) firstInWindow = this.samples.length;
    if (firstInWindow > 1) this.samples.splice(0, firstInWindow - 1);
    let peak = 0;
    for (const sample of this.samples) peak = Math.max(peak, sample.need);
    return peak;
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
