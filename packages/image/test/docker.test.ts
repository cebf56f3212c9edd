// The pushed image really runs: a private dockerd pulls it from the local
// registry (127.0.0.0/8 registries are plain-http by default in Docker) and
// runs it with --network host. Also the Dockerfile path and `docker load`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDockerd, type Dockerd } from './support/dockerd.js';
import { buildImage, findWorkspaceRoot, pushImage, runImage } from './support/lib.js';
import { freePort, hasBinary, missingComponent, waitFor } from './support/lib.js';

const workspaceRoot = findWorkspaceRoot(import.meta.dirname);
const host = inject('registryHost');
const base = inject('baseReference');

function skipReason(): string {
  if (inject('registrySkipReason')) return inject('registrySkipReason');
  if (!hasBinary('dockerd')) return missingComponent('dockerd is not installed: apt-get install -y docker.io');
  if (process.getuid?.() !== 0) return missingComponent('dockerd needs root to start: run the tests as root (as CI does)');
  return '';
}
const skip = skipReason();

describe.skipIf(skip !== '')('the image in a real Docker daemon', () => {
  let dockerd: Dockerd;
  const temps: string[] = [];
  const containers: string[] = [];

  beforeAll(async () => {
    dockerd = await startDockerd();
  });

  afterAll(async () => {
    for (const id of containers) await dockerd?.docker(['rm', '-f', id]).catch(() => undefined);
    temps.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
    await dockerd?.stop();
  });

  /** Runs an image with --network host on a free port; returns the body of GET /. */
  async function runAndGet(reference: string): Promise<string> {
    const port = await freePort();
    const id = (await dockerd.docker(['run', '-d', '--network', 'host', '-e', `PORT=${port}`, reference])).trim();
    containers.push(id);
    let body = '';
    await waitFor(`container of ${reference}`, async () => {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      body = await response.text();
      return response.ok;
    }, 60_000, undefined, () => `docker logs: ${id}`);
    return body;
  }

  it('pulls the pushed image by digest from the local registry and answers Hello World! over HTTP', async () => {
    const image = await buildImage({ app: 'helloworld', base, workspaceRoot, created: 0 });
    const { reference } = await pushImage(image, { repo: `${host}/docker-test` });
    await dockerd.docker(['pull', reference]);
    const inspected = JSON.parse(await dockerd.docker(['image', 'inspect', reference]))[0];
    expect(inspected.Config.User).toBe('1000:1000');
    expect(inspected.Architecture).toBe('amd64');
    expect(await runAndGet(reference)).toBe('Hello World!\n');
  });

  it('builds an equivalent image from the same bundle with the generated Dockerfile', async () => {
    const context = mkdtempSync(path.join(os.tmpdir(), 'hok-docker-context-'));
    temps.push(context);
    const daemonless = await runImage(
      { app: 'helloworld', base, tags: [], output: { kind: 'docker-context', path: context }, insecure: false, platforms: [{ os: 'linux', architecture: 'amd64' }] },
      { workspaceRoot, created: 0 },
    );
    await dockerd.docker(['build', '--network', 'host', '-q', '-t', 'hok/helloworld-dockerfile', context]);
    const built = JSON.parse(await dockerd.docker(['image', 'inspect', 'hok/helloworld-dockerfile']))[0].Config;
    const expected = daemonless.image.images[0]!.config.value.config!;
    expect(built.User).toBe(expected.User);
    expect(built.WorkingDir).toBe(expected.WorkingDir);
    expect(built.Entrypoint).toEqual(expected.Entrypoint);
    expect(built.Cmd).toBeNull();
    expect(built.Env).toEqual(expected.Env);
    expect(built.ExposedPorts).toEqual(expected.ExposedPorts);
    expect(built.Labels).toEqual(expected.Labels);
    expect(await runAndGet('hok/helloworld-dockerfile')).toBe('Hello World!\n');
  });

  it('loads the tarball output with docker load', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hok-tarball-'));
    temps.push(dir);
    const file = path.join(dir, 'helloworld.tar');
    await runImage(
      { app: 'helloworld', base, repo: 'example.com/demo', tags: ['v1'], output: { kind: 'tarball', path: file }, insecure: false, platforms: [{ os: 'linux', architecture: 'amd64' }] },
      { workspaceRoot, created: 0 },
    );
    expect(await dockerd.docker(['load', '-q', '-i', file])).toContain('example.com/demo/helloworld:v1');
    expect(await runAndGet('example.com/demo/helloworld:v1')).toBe('Hello World!\n');
  });
});
