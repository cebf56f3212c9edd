// The wait rules of kn (knative/client pkg/wait/wait_for_ready.go: generation check,
// ErrorWindow = 2s, success on Ready=True, "<Reason>: <Message>" on failure, the timeout message),
// driven with explicit times: no clock, no sleeps.
import { describe, expect, it } from 'vitest';
import { createReadinessWaiter, readinessOf, type AnyObject, type Condition } from '../src/index.js';

const svc = (generation: number, observed: number | undefined, ready?: Partial<Condition>): AnyObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'hello', generation },
  status: {
    ...(observed === undefined ? {} : { observedGeneration: observed }),
    conditions: ready ? [{ type: 'Ready', status: 'Unknown', ...ready }] : [],
  },
});

describe('readinessOf', () => {
  it('counts only the observed generation', () => {
    expect(readinessOf(svc(2, 1, { status: 'True' })).state).toBe('pending');
    expect(readinessOf(svc(2, undefined, { status: 'True' })).state).toBe('pending');
    expect(readinessOf(svc(2, 2, { status: 'True' }))).toEqual({ state: 'ready' });
  });
  it('reports reason and message of Ready', () => {
    expect(readinessOf(svc(1, 1, { status: 'False', reason: 'RevisionFailed', message: 'boom' }))).toEqual({
      state: 'failed',
      reason: 'RevisionFailed',
      message: 'boom',
    });
    expect(readinessOf(svc(1, 1, { status: 'Unknown', reason: 'RevisionMissing', message: 'waiting' }))).toMatchObject({ state: 'pending', reason: 'RevisionMissing' });
    expect(readinessOf(svc(1, 1)).state).toBe('pending');
  });
});

describe('createReadinessWaiter', () => {
  it('succeeds on Ready=True of the observed generation, printing each new message once', () => {
    const w = createReadinessWaiter({ startMs: 1000 });
    expect(w.observe(svc(1, 0, { message: 'stale' }), 1100).messages).toEqual([]);
    const routeMsg = 'The Route is still working to reflect the latest desired specification.';
    expect(w.observe(svc(1, 1, { message: routeMsg }), 1247).messages).toEqual([{ elapsedMs: 247, message: routeMsg }]);
    expect(w.observe(svc(1, 1, { message: routeMsg }), 1250).messages).toEqual([]);
    const cfgMsg = 'Configuration "hello" is waiting for a Revision to become ready.';
    expect(w.observe(svc(1, 1, { message: cfgMsg }), 1299).messages).toEqual([{ elapsedMs: 299, message: cfgMsg }]);
    const done = w.observe(svc(1, 1, { status: 'True' }), 2500);
    expect(done.outcome).toEqual({ ok: true, elapsedMs: 1500 });
    expect(w.nextDeadline()).toBeUndefined();
  });

  it('fails when Ready=False lasts the 2 s window, with "<Reason>: <Message>"', () => {
    const w = createReadinessWaiter({ startMs: 0 });
    const failed = svc(1, 1, { status: 'False', reason: 'RevisionFailed', message: 'Revision "hello-00001" failed with message: Container failed with: exit 1.' });
    expect(w.observe(failed, 100).outcome).toBeUndefined();
    expect(w.nextDeadline()).toBe(2100);
    expect(w.tick(2099).outcome).toBeUndefined();
    const step = w.tick(2100);
    expect(step.outcome).toMatchObject({
      ok: false,
      reason: 'failed',
      conditionReason: 'RevisionFailed',
      error: 'RevisionFailed: Revision "hello-00001" failed with message: Container failed with: exit 1.',
    });
  });

  it('a Ready=True inside the window wins over an earlier Ready=False', () => {
    const w = createReadinessWaiter({ startMs: 0, failWindowMs: 2000 });
    w.observe(svc(1, 1, { status: 'False', reason: 'X', message: 'transient' }), 10);
    expect(w.observe(svc(1, 1, { status: 'True' }), 1500).outcome).toEqual({ ok: true, elapsedMs: 1500 });
  });

  it('a custom window and the timeout message', () => {
    const w = createReadinessWaiter({ failWindowMs: 500, timeoutMs: 600_000, name: 'hello' });
    w.observe(svc(1, 1, { status: 'Unknown' }), 0);
    expect(w.nextDeadline()).toBe(600_000);
    expect(w.tick(600_000).outcome).toEqual({ ok: false, reason: 'timeout', error: "timeout: service 'hello' not ready after 600 seconds", elapsedMs: 600_000 });
    const quick = createReadinessWaiter({ startMs: 0, failWindowMs: 500 });
    quick.observe(svc(1, 1, { status: 'False', reason: 'R', message: 'm' }), 0);
    expect(quick.tick(500).outcome).toMatchObject({ ok: false, error: 'R: m' });
  });
});
