// Basic auth: docker-registry with `auth: htpasswd` answers 401 with a Basic
// challenge; the client retries with the credentials.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildImage, findWorkspaceRoot, pushImage, RegistryError, startRegistry, type BuiltImage, type RunningRegistry } from './support/lib.js';

const workspaceRoot = findWorkspaceRoot(import.meta.dirname);
const PASSWORD = 'basic-auth-test-pw';
// bcrypt of PASSWORD (cost 5), made once with Python's crypt module: Node has no bcrypt built in.
const HTPASSWD = 'bob:$2b$05$Gcd2Z0aHU/s5Zzwkngyhu.HesXoV4yLAuzBkULNRer0V8y0D9h2Xu\n';

describe.skipIf(inject('registrySkipReason') !== '')('registry Basic auth (docker-registry with auth: htpasswd)', () => {
  let registry: RunningRegistry;
  let image: BuiltImage;
  let dir: string;

  beforeAll(async () => {
    registry = await startRegistry({ htpasswd: HTPASSWD });
    dir = mkdtempSync(path.join(os.tmpdir(), 'hok-basic-'));
    mkdirSync(path.join(dir, 'empty'));
    image = await buildImage({ app: 'helloworld', base: inject('baseReference'), workspaceRoot, created: 0, platforms: [{ os: 'linux', architecture: 'amd64' }] });
  });

  afterAll(async () => {
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pushes with the credentials after the Basic challenge', async () => {
    const result = await pushImage(image, { repo: `${registry.host}/basic`, env: { DOCKER_CONFIG: path.join(dir, 'empty'), REGISTRY_USERNAME: 'bob', REGISTRY_PASSWORD: PASSWORD } });
    expect(result.reference).toBe(`${registry.host}/basic/helloworld@${image.digest}`);
    const check = await fetch(`http://${registry.host}/v2/basic/helloworld/manifests/latest`, {
      method: 'HEAD',
      headers: { authorization: `Basic ${Buffer.from(`bob:${PASSWORD}`).toString('base64')}`, accept: image.mediaType },
    });
    expect(check.headers.get('docker-content-digest')).toBe(image.digest);
  });

  it('says to log in when there are no credentials', async () => {
    const error = await pushImage(image, { repo: `${registry.host}/basic`, env: { DOCKER_CONFIG: path.join(dir, 'empty') } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/needs credentials: run `docker login 127\.0\.0\.1:\d+`/);
  });
});
