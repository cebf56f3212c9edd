// close(): stop accepting, let in-flight requests finish, then stop the processes.
import { describe, expect, it } from 'vitest';
import { isAlive, request, revisionSpec, route, sleep, startPlane } from './helpers.js';

describe('close()', { timeout: 60_000 }, () => {
  it('lets in-flight requests finish, then stops every process and the ingress', async () => {
    const t = await startPlane();
    t.plane.setRoutes([route('slow.default.localhost', { 'slow-00001': 100 })]);
    t.plane.setRevisions([revisionSpec('slow-00001', 'hands-on-knative/slow')]);
    const warm = JSON.parse((await t.get('slow.default.localhost', '/?ms=0')).body) as { pid: number };

    const inflight = t.get('slow.default.localhost', '/?ms=600');
    await sleep(150);
    const closing = t.close();
    const answer = await inflight;
    expect(answer.status).toBe(200);
    await closing;

    expect(isAlive(warm.pid)).toBe(false);
    await expect(request(t.plane.port, { path: '/', headers: { host: 'slow.default.localhost' } })).rejects.toThrow(/ECONNREFUSED/);
    expect(t.notices.some((notice) => /stopped: 1 in-flight request\(s\) drained, 1 process\(es\) of 1 revision\(s\)/.test(notice))).toBe(true);
    // The app got SIGTERM with nothing in flight: the ingress had drained first.
    expect(t.logs.some((line) => line.line === 'SIGTERM with 0 in flight')).toBe(true);
  });

  it('answers requests held for a process that is not ready yet with 503', async () => {
    const t = await startPlane({ progressDeadlineMs: 60_000 });
    t.plane.setRoutes([route('never.default.localhost', { 'never-00001': 100 })]);
    t.plane.setRevisions([revisionSpec('never-00001', 'hands-on-knative/never-ready')]);
    const held = t.get('never.default.localhost');
    await sleep(200);
    await t.close();
    const answer = await held;
    expect(answer.status).toBe(503);
    expect(answer.body).toContain('shutting down');
  });
});
