// With a Docker daemon configured, an image that names no workspace app runs for
// real: a private dockerd, an image imported from the host's node, the container
// on --network host, traffic through the ingress. Skipped where dockerd cannot run.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerSkipReason, importNodeImage, startDockerd, type PrivateDockerd } from './dockerd.js';
import { eventually, FIXTURE_ROOT, revisionSpec, route, startPlane } from './helpers.js';

const skip = dockerSkipReason();
const IMAGE = 'hok-dataplane/image-app:test';

describe.skipIf(skip !== '')('revisions as Docker containers', { timeout: 180_000 }, () => {
  let dockerd: PrivateDockerd | undefined;

  beforeAll(async () => {
    dockerd = await startDockerd();
    await importNodeImage(dockerd, path.join(FIXTURE_ROOT, 'image/server.mjs'), IMAGE);
  }, 180_000);

  afterAll(async () => {
    await dockerd?.stop();
  }, 60_000);

  it('runs the real image with PORT, K_* and the manifest env, and stops the container on close()', async () => {
    const t = await startPlane({ docker: { host: dockerd!.host }, shutdownGraceMs: 5000 });
    try {
      t.plane.setRoutes([route('image-app.default.localhost', { 'image-app-00001': 100 })]);
      t.plane.setRevisions([revisionSpec('image-app-00001', IMAGE, { env: { GREETING: 'from the manifest' } })]);
      const answer = await t.get('image-app.default.localhost');
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({
        inContainer: true,
        revision: 'image-app-00001',
        greeting: 'from the manifest',
        host: 'image-app.default.localhost',
      });
      expect(await eventually(() => t.logs.some((line) => line.revision === 'image-app-00001' && line.line.startsWith('image app listening on')))).toBe(true);
      expect((await dockerd!.docker(['ps', '-q'])).trim()).not.toBe('');
    } finally {
      await t.close();
    }
    expect((await dockerd!.docker(['ps', '-aq'])).trim()).toBe('');
  });

  it('fails an image the daemon cannot get with ContainerMissing', async () => {
    const t = await startPlane({ docker: { host: dockerd!.host } });
    try {
      // A registry on a closed loopback port: the pull is refused at once.
      t.plane.setRevisions([revisionSpec('gone-00001', '127.0.0.1:9/nothing/here:v1')]);
      const status = await t.waitForStatus('gone-00001', (s) => s.phase === 'Failed', 60_000);
      expect(status.reason).toBe('ContainerMissing');
      expect(status.message).toContain('Unable to fetch image "127.0.0.1:9/nothing/here:v1": ');
    } finally {
      await t.close();
    }
  });
});
