// Revisions as real processes: env, readiness, failures, restarts. Real node
// processes of the fixture apps (and apps/helloworld), real HTTP on 127.0.0.1.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, FIXTURE_ROOT, isAlive, REPO_ROOT, revisionSpec, route, sleep, startPlane, type TestPlane } from './helpers.js';

describe('revision processes', { timeout: 60_000 }, () => {
  let t: TestPlane | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('runs apps/helloworld with the manifest env and answers only once ready', async () => {
    t = await startPlane({ workspaceRoot: REPO_ROOT });
    t.plane.setRoutes([route('helloworld.default.localhost', { 'helloworld-00001': 100 })]);
    t.plane.setRevisions([revisionSpec('helloworld-00001', 'dev.local/hands-on-knative/helloworld:latest', { env: { TARGET: 'Knative' } })]);
    expect(t.plane.revisionStatus('default', 'helloworld-00001')).toMatchObject({ phase: 'Pending', actualReplicas: 0, desiredReplicas: 1 });
    // Sent before the process is ready: held, then answered.
    const answer = await t.get('helloworld.default.localhost');
    expect(answer).toMatchObject({ status: 200, body: 'Hello Knative!\n' });
    expect(t.plane.revisionStatus('default', 'helloworld-00001')).toMatchObject({ phase: 'Ready', actualReplicas: 1, desiredReplicas: 1 });
    expect(t.statuses.map((status) => status.phase)).toEqual(expect.arrayContaining(['Pending', 'Ready']));
    const [process1] = t.plane.processes();
    expect(process1).toMatchObject({ revision: 'helloworld-00001', service: 'helloworld', replica: 1, restarts: 0, ready: true });
    // Output is read asynchronously: it may trail the first answer a little.
    expect(await eventually(() => t!.logs.some((line) => line.revision === 'helloworld-00001' && line.line.includes(`listening on port ${process1?.port}`)))).toBe(true);
    expect(t.plane.recentLogs('default', 'helloworld-00001').join('\n')).toContain('listening on port');
  });

  it('gives the app PORT, K_*, NODE_ENV and the manifest env, and nothing else of the host', async () => {
    process.env.HOK_HOST_ONLY = 'must-not-leak';
    try {
      t = await startPlane();
      t.plane.setRoutes([route('echo.default.localhost', { 'echo-00001': 100 })]);
      t.plane.setRevisions([
        revisionSpec('echo-00001', 'hands-on-knative/echo', { env: { GREETING: 'hi', PORT: '1', K_REVISION: 'fake' } }),
      ]);
      const answer = await t.get('echo.default.localhost');
      const { env } = JSON.parse(answer.body) as { env: Record<string, string> };
      expect(env).toMatchObject({
        K_SERVICE: 'echo',
        K_CONFIGURATION: 'echo',
        K_REVISION: 'echo-00001',
        NODE_ENV: 'production',
        GREETING: 'hi',
        HOST: '127.0.0.1',
      });
      expect(Number(env.PORT)).toBeGreaterThan(1024);
      expect(env.HOK_HOST_ONLY).toBeUndefined();
    } finally {
      delete process.env.HOK_HOST_ONLY;
    }
  });

  it('waits for an httpGet readiness path before sending traffic', async () => {
    t = await startPlane();
    t.plane.setRoutes([route('echo.default.localhost', { 'echo-00001': 100 })]);
    t.plane.setRevisions([
      revisionSpec('echo-00001', 'hands-on-knative/echo', { readinessPath: '/ready', env: { READY_AFTER_MS: '400' } }),
    ]);
    await t.waitForStatus('echo-00001', (status) => status.phase === 'Ready' && status.actualReplicas === 1);
    const { probes } = JSON.parse((await t.get('echo.default.localhost')).body) as {
      probes: { count: number; passed: number; userAgent: string };
    };
    // Probes that got 503 came first; traffic only after one passed.
    expect(probes.count).toBeGreaterThan(1);
    expect(probes.passed).toBe(1);
    expect(probes.userAgent).toMatch(/^kube-probe\//);
  });

  it('fails a revision whose image names no workspace app with ContainerMissing', async () => {
    t = await startPlane();
    t.plane.setRevisions([revisionSpec('ghost-00001', 'gcr.io/knative-samples/helloworld-go')]);
    const status = await t.waitForStatus('ghost-00001', (s) => s.phase === 'Failed');
    expect(status.reason).toBe('ContainerMissing');
    expect(status.message).toContain('Unable to fetch image "gcr.io/knative-samples/helloworld-go": no workspace app named "helloworld-go"');
    expect(status.message).toContain('apps/ has: crash, echo, flaky, never-ready, port-race, slow, unbuilt');
  });

  it('fails a revision whose app is not built with ContainerMissing and the build command', async () => {
    t = await startPlane();
    t.plane.setRevisions([revisionSpec('unbuilt-00001', 'hands-on-knative/unbuilt')]);
    const status = await t.waitForStatus('unbuilt-00001', (s) => s.phase === 'Failed');
    expect(status).toMatchObject({ reason: 'ContainerMissing', message: expect.stringContaining('pnpm --filter fixture-unbuilt build') });
  });

  it('recovers a ContainerMissing revision once its app is built', async () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'hok-dataplane-'));
    try {
      cpSync(path.join(FIXTURE_ROOT, 'apps/echo'), path.join(workspace, 'apps/late'), { recursive: true });
      writeFileSync(path.join(workspace, 'apps/late/package.json'), '{ "name": "late", "type": "module", "main": "dist/server.js" }\n');
      t = await startPlane({ workspaceRoot: workspace });
      const spec = revisionSpec('late-00001', 'hands-on-knative/late');
      t.plane.setRevisions([spec]);
      expect((await t.waitForStatus('late-00001', (s) => s.phase === 'Failed')).reason).toBe('ContainerMissing');
      cpSync(path.join(workspace, 'apps/late/index.js'), path.join(workspace, 'apps/late/dist/server.js'));
      t.plane.setRevisions([spec]);
      const ready = await t.waitForStatus('late-00001', (s) => s.phase === 'Ready' && s.actualReplicas === 1);
      expect(ready.reason).toBeUndefined();
    } finally {
      await t?.close();
      t = undefined;
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('starts a process again when another one took its port before it could listen', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hok-port-race-'));
    try {
      t = await startPlane();
      t.plane.setRoutes([route('race.default.localhost', { 'race-00001': 100 })]);
      t.plane.setRevisions([revisionSpec('race-00001', 'hands-on-knative/port-race', { env: { MARKER_FILE: path.join(dir, 'marker') } })]);
      const answer = await t.get('race.default.localhost');
      expect(answer).toMatchObject({ status: 200, body: 'second start\n' });
      expect(t.plane.revisionStatus('default', 'race-00001')?.phase).toBe('Ready');
      expect(t.notices.some((notice) => notice.includes('lost its port to another process'))).toBe(true);
    } finally {
      await t?.close();
      t = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 503 when a held request waits longer than the hold timeout', async () => {
    t = await startPlane({ holdTimeoutMs: 300 });
    t.plane.setRoutes([route('never.default.localhost', { 'never-00001': 100 })]);
    t.plane.setRevisions([revisionSpec('never-00001', 'hands-on-knative/never-ready')]);
    const answer = await t.get('never.default.localhost');
    expect(answer.status).toBe(503);
    expect(answer.body).toContain('Timed out after 0.3 s waiting for revision "never-00001"');
  });

  it('reports a crashing app as ExitCode<N> with its log tail while the old revision keeps serving', async () => {
    t = await startPlane();
    t.plane.setRoutes([route('echo.default.localhost', { 'echo-00001': 100 }), route('candidate-echo.default.localhost', { 'echo-00002': 100 })]);
    t.plane.setRevisions([revisionSpec('echo-00001', 'hands-on-knative/echo')]);
    await t.waitForStatus('echo-00001', (s) => s.phase === 'Ready');
    t.plane.setRevisions([revisionSpec('echo-00001', 'hands-on-knative/echo'), revisionSpec('echo-00002', 'hands-on-knative/crash', { service: 'echo' })]);
    const failed = await t.waitForStatus('echo-00002', (s) => s.phase === 'Failed');
    expect(failed.reason).toBe('ExitCode3');
    expect(failed.message).toContain('Container failed with: exit code 3');
    expect(failed.message).toContain('Error: DATABASE_URL is not set');
    expect(failed.message).toContain('crash fixture starting');

    const old = await t.get('echo.default.localhost');
    expect(old.status).toBe(200);
    expect(JSON.parse(old.body)).toMatchObject({ revision: 'echo-00001' });
    const broken = await t.get('candidate-echo.default.localhost');
    expect(broken.status).toBe(503);
    expect(broken.body).toContain('Revision "echo-00002" failed: ExitCode3');
  });

  it('fails a process that never becomes ready with ProgressDeadlineExceeded and stops it', async () => {
    t = await startPlane({ progressDeadlineMs: 1500 });
    t.plane.setRevisions([revisionSpec('never-00001', 'hands-on-knative/never-ready')]);
    const status = await t.waitForStatus('never-00001', (s) => s.phase === 'Failed');
    expect(status.reason).toBe('ProgressDeadlineExceeded');
    expect(status.message).toContain('did not become ready in 1.5 s');
    expect(status.message).toContain('never-ready: working on something else');
    expect(status.desiredReplicas).toBe(0);
  });

  it('replaces a ready process that crashes, answers 502 for the request it dropped, and reports it', async () => {
    t = await startPlane({ restartBackoffMs: 100 });
    t.plane.setRoutes([route('flaky.default.localhost', { 'flaky-00001': 100 })]);
    t.plane.setRevisions([revisionSpec('flaky-00001', 'hands-on-knative/flaky', { scaling: { minScale: 1 } })]);
    const first = await t.get('flaky.default.localhost');
    expect(first.status).toBe(200);
    const crashed = await t.get('flaky.default.localhost', '/crash');
    expect(crashed.status).toBe(502);
    expect(crashed.body).toContain('Bad gateway: revision "flaky-00001"');
    const restarted = await t.waitForStatus('flaky-00001', (s) => s.actualReplicas === 1 && (s.message ?? '').includes('Restarted 1 time'));
    expect(restarted.phase).toBe('Ready');
    expect(restarted.message).toContain('ExitCode5');
    const again = await t.get('flaky.default.localhost');
    expect(again.status).toBe(200);
    // Like a pod whose container restarted: same replica, restart counted, a new pid.
    const [process1] = t.plane.processes('default');
    expect(process1).toMatchObject({ revision: 'flaky-00001', replica: 1, restarts: 1, ready: true, phase: 'Running', ip: '127.0.0.1' });
    expect(again.body).toContain(`ok from ${process1?.pid}`);
    expect(again.body).not.toBe(first.body); // another pid
    expect(t.notices.some((notice) => notice.includes('exited with code 5 after it was ready'))).toBe(true);
    const pid = Number(/ok from (\d+)/.exec(first.body)?.[1]);
    await sleep(50);
    expect(isAlive(pid)).toBe(false);
  });
});
