import { describe, expect, it } from 'vitest';
import type { ScalingSpec } from '../../src/contracts.js';
import {
  concurrencyPerProcess,
  DemandWindow,
  desiredProcesses,
  pickLeastBusy,
  processesFor,
} from '../../src/dataplane/scaling.js';
import { DEFAULT_SCALING } from './helpers.js';

const spec = (overrides: Partial<ScalingSpec>): ScalingSpec => ({ ...DEFAULT_SCALING, ...overrides });

describe('concurrencyPerProcess', () => {
  it('is target x utilization, capped by containerConcurrency', () => {
    expect(concurrencyPerProcess(spec({}))).toBe(70);
    expect(concurrencyPerProcess(spec({ target: 10, targetUtilizationPercentage: 100 }))).toBe(10);
    expect(concurrencyPerProcess(spec({ containerConcurrency: 1 }))).toBeCloseTo(0.7);
    expect(concurrencyPerProcess(spec({ target: 0, targetUtilizationPercentage: 0 }))).toBe(70);
  });
});

describe('processesFor', () => {
  it('needs none for no demand and rounds up otherwise', () => {
    expect(processesFor(0, spec({}))).toBe(0);
    expect(processesFor(1, spec({}))).toBe(1);
    expect(processesFor(70, spec({}))).toBe(1);
    expect(processesFor(71, spec({}))).toBe(2);
    // containerConcurrency 1 at 70%: one request already wants a second process, as in Knative.
    expect(processesFor(1, spec({ containerConcurrency: 1 }))).toBe(2);
  });
});

describe('desiredProcesses', () => {
  it('keeps min-scale while routed, caps at max-scale or the local cap', () => {
    expect(desiredProcesses(0, spec({ minScale: 1 }), true, 10)).toBe(1);
    expect(desiredProcesses(0, spec({ minScale: 1 }), false, 10)).toBe(0);
    expect(desiredProcesses(50, spec({ maxScale: 3 }), true, 10)).toBe(3);
    expect(desiredProcesses(50, spec({ maxScale: 0 }), true, 10)).toBe(10);
    expect(desiredProcesses(2, spec({ minScale: 5, maxScale: 3 }), true, 10)).toBe(3);
  });
});

describe('DemandWindow', () => {
  it('reports the peak of the last window: up at once, down only after the window', () => {
    const window = new DemandWindow();
    window.record(0, 1);
    window.record(100, 3);
    window.record(200, 0);
    expect(window.peak(250, 1000)).toBe(3);
    expect(window.peak(1099, 1000)).toBe(3);
    expect(window.peak(1200, 1000)).toBe(0);
    expect(window.peak(5000, 1000)).toBe(0);
  });

  it('holds a spike recorded at one instant for exactly one window (initial-scale)', () => {
    const window = new DemandWindow();
    window.record(0, 2);
    window.record(0, 0);
    expect(window.peak(999, 1000)).toBe(2);
    expect(window.peak(1000, 1000)).toBe(0);
  });

  it('stays small however many requests come and go', () => {
    const window = new DemandWindow();
    for (let i = 0; i < 10_000; i++) window.record(i, i % 2);
    expect(window.size).toBeLessThanOrEqual(2);
    expect(window.peak(10_000, 100)).toBe(1);
    window.record(10_001, 0);
    expect(window.peak(20_000, 100)).toBe(0);
  });

  it('keeps the value at the window start', () => {
    const window = new DemandWindow();
    window.record(0, 2);
    expect(window.peak(10_000, 1000)).toBe(2);
    window.reset(10_000, 0);
    expect(window.peak(10_001, 1000)).toBe(0);
  });
});

describe('pickLeastBusy', () => {
  it('picks the least busy process with a free slot', () => {
    const a = { name: 'a', inflight: 2 };
    const b = { name: 'b', inflight: 1 };
    expect(pickLeastBusy([a, b], 0)).toBe(b);
    expect(pickLeastBusy([a, b], 2)).toBe(b);
    expect(pickLeastBusy([a, b], 1)).toBeUndefined();
    expect(pickLeastBusy([], 0)).toBeUndefined();
  });
});
