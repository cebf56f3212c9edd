// Scaling with real processes: to zero and back, min-scale, containerConcurrency
// and scale-out, unrouted revisions. Windows are short here; no timing assertions.
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, revisionSpec, route, sleep, startPlane, type TestPlane } from './helpers.js';

interface Slow {
  pid: number;
  inflightAtStart: number;
  maxInflight: number;
}

describe('autoscaling', { timeout: 60_000 }, () => {
  let t: TestPlane | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('scales to zero after the idle window, and a request wakes it with a 200', async () => {
    t = await startPlane({ idleWindowMs: 400 });
    t.plane.setRoutes([route('echo.default.localhost', { 'echo-00001': 100 })]);
    t.plane.setRevisions([revisionSpec('echo-00001', 'hands-on-knative/echo')]);
    const first = JSON.parse((await t.get('echo.default.localhost')).body) as { pid: number };

    const idle = await t.waitForStatus('echo-00001', (s) => s.actualReplicas === 0 && s.desiredReplicas === 0);
    expect(idle.phase).toBe('Ready'); // scaled to zero is still Ready, as in Knative
    await sleep(100);
    expect(isAlive(first.pid)).toBe(false);

    const woken = await t.get('echo.default.localhost');
    expect(woken.status).toBe(200);
    expect((JSON.parse(woken.body) as { pid: number }).pid).not.toBe(first.pid);
    expect(t.plane.revisionStatus('default', 'echo-00001')).toMatchObject({ actualReplicas: 1, desiredReplicas: 1 });
    // The status listener saw it go 1 -> 0 -> 1.
    const replicas = t.statuses.filter((s) => s.name === 'echo-00001').map((s) => s.actualReplicas);
    expect(replicas.join(',')).toMatch(/1.*0.*1/);
  });

  it('keeps min-scale processes through idle windows', async () => {
    t = await startPlane({ idleWindowMs: 200 });
    t.plane.setRoutes([route('echo.default.localhost', { 'echo-00001': 100 })]);
    t.plane.setRevisions([revisionSpec('echo-00001', 'hands-on-knative/echo', { scaling: { minScale: 1 } })]);
    const { pid } = JSON.parse((await t.get('echo.default.localhost')).body) as { pid: number };
    await sleep(1000);
    expect(t.plane.revisionStatus('default', 'echo-00001')).toMatchObject({ actualReplicas: 1, desiredReplicas: 1 });
    expect(isAlive(pid)).toBe(true);
  });

  it('honours initial-scale at creation, then scales down to min-scale', async () => {
    t = await startPlane({ idleWindowMs: 500 });
    t.plane.setRoutes([route('echo.default.localhost', { 'echo-00001': 100 })]);
    t.plane.setRevisions([revisionSpec('echo-00001', 'hands-on-knative/echo', { scaling: { initialScale: 2, minScale: 1 } })]);
    await t.waitForStatus('echo-00001', (s) => s.actualReplicas === 2);
    const settled = await t.waitForStatus('echo-00001', (s) => s.desiredReplicas === 1 && s.actualReplicas === 1);
    expect(settled.phase).toBe('Ready');
  });

  it('does not scale a slow-starting revision away before it was first ready', async () => {
    t = await startPlane({ idleWindowMs: 200 });
    t.plane.setRevisions([revisionSpec('echo-00001', 'hands-on-knative/echo', { env: { START_DELAY_MS: '800' } })]);
    const ready = await t.waitForStatus('echo-00001', (s) => s.phase === 'Ready');
    expect(ready.actualReplicas).toBe(1);
    // Unrouted and idle: then it goes to zero.
    await t.waitForStatus('echo-00001', (s) => s.actualReplicas === 0 && s.desiredReplicas === 0);
    expect(t.statuses.filter((s) => s.name === 'echo-00001').every((s) => s.phase !== 'Failed')).toBe(true);
  });

  it('with containerConcurrency 1, never sends a process more than one request and scales out', async () => {
    t = await startPlane({ idleWindowMs: 2000 });
    t.plane.setRoutes([route('slow.default.localhost', { 'slow-00001': 100 })]);
    t.plane.setRevisions([revisionSpec('slow-00001', 'hands-on-knative/slow', { scaling: { containerConcurrency: 1, maxScale: 3 } })]);
    await t.waitForStatus('slow-00001', (s) => s.phase === 'Ready');
    const answers = await Promise.all(Array.from({ length: 8 }, () => t!.get('slow.default.localhost', '/?ms=300')));
    const bodies = answers.map((answer) => {
      expect(answer.status).toBe(200);
      return JSON.parse(answer.body) as Slow;
    });
    for (const body of bodies) expect(body.maxInflight).toBe(1);
    expect(new Set(bodies.map((body) => body.pid)).size).toBeGreaterThanOrEqual(2);
    expect(Math.max(...t.statuses.map((s) => s.actualReplicas))).toBeGreaterThanOrEqual(2);
    expect(Math.max(...t.statuses.map((s) => s.desiredReplicas))).toBeLessThanOrEqual(3);
  });

  it('scales out on concurrency above target x utilization, up to max-scale', async () => {
    t = await startPlane({ idleWindowMs: 2000 });
    t.plane.setRoutes([route('slow.default.localhost', { 'slow-00001': 100 })]);
    t.plane.setRevisions([
      revisionSpec('slow-00001', 'hands-on-knative/slow', { scaling: { target: 2, targetUtilizationPercentage: 100, maxScale: 2 } }),
    ]);
    await t.waitForStatus('slow-00001', (s) => s.phase === 'Ready');
    const answers = await Promise.all(Array.from({ length: 6 }, () => t!.get('slow.default.localhost', '/?ms=400')));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(Math.max(...t.statuses.map((s) => s.desiredReplicas))).toBe(2);
    expect(Math.max(...t.statuses.map((s) => s.actualReplicas))).toBe(2);
  });

  it('stops the processes of a revision no route references any more', async () => {
    t = await startPlane({ idleWindowMs: 60_000 });
    t.plane.setRevisions([
      revisionSpec('echo-00001', 'hands-on-knative/echo', { scaling: { minScale: 1 } }),
      revisionSpec('echo-00002', 'hands-on-knative/echo'),
    ]);
    t.plane.setRoutes([route('echo.default.localhost', { 'echo-00001': 100 })]);
    const { pid } = JSON.parse((await t.get('echo.default.localhost')).body) as { pid: number };
    await t.waitForStatus('echo-00002', (s) => s.phase === 'Ready');

    t.plane.setRoutes([route('echo.default.localhost', { 'echo-00002': 100 })]);
    await t.waitForStatus('echo-00001', (s) => s.actualReplicas === 0 && s.desiredReplicas === 0);
    await sleep(100);
    expect(isAlive(pid)).toBe(false);
    expect((JSON.parse((await t.get('echo.default.localhost')).body) as { revision: string }).revision).toBe('echo-00002');
  });

  it('stops the processes of a revision that is removed', async () => {
    t = await startPlane();
    t.plane.setRoutes([route('echo.default.localhost', { 'echo-00001': 100 })]);
    t.plane.setRevisions([revisionSpec('echo-00001', 'hands-on-knative/echo')]);
    const { pid } = JSON.parse((await t.get('echo.default.localhost')).body) as { pid: number };
    t.plane.setRevisions([]);
    expect(t.plane.revisionStatus('default', 'echo-00001')).toBeUndefined();
    for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(50);
    expect(isAlive(pid)).toBe(false);
  });
});
