// The token auth challenge against a real docker-registry in `auth: token`
// mode, with a stub token server in front (support/token-server.ts).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildImage, findWorkspaceRoot, pushImage, RegistryClient, RegistryError, type BuiltImage } from './support/lib.js';
import { hasBinary, missingComponent } from './support/lib.js';
import { pushLayout } from './support/lib.js';
import { startRegistry, type RunningRegistry } from './support/lib.js';
import { startTokenServer, type TokenServer } from './support/token-server.js';

const workspaceRoot = findWorkspaceRoot(import.meta.dirname);
const skip = inject('registrySkipReason') || (hasBinary('openssl') ? '' : missingComponent('openssl is not installed: apt-get install -y openssl'));
const PASSWORD = 'pa55-w0rd-never-printed';

describe.skipIf(skip !== '')('registry token auth (docker-registry with auth: token)', () => {
  let dir: string;
  let tokens: TokenServer;
  let registry: RunningRegistry;
  let image: BuiltImage;
  let noConfig: NodeJS.ProcessEnv; // no ~/.docker of the machine, no REGISTRY_* from the shell

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hok-auth-'));
    tokens = await startTokenServer(dir, { alice: PASSWORD });
    registry = await startRegistry({ tokenAuth: tokens });
    mkdirSync(path.join(dir, 'empty-docker-config'));
    noConfig = { DOCKER_CONFIG: path.join(dir, 'empty-docker-config') };
    // The base comes from the open registry of the global setup: pushing here copies its layers across.
    image = await buildImage({ app: 'helloworld', base: inject('baseReference'), workspaceRoot, created: 0, platforms: [{ os: 'linux', architecture: 'amd64' }] });
  });

  afterAll(async () => {
    await registry?.stop();
    await tokens?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pushes with REGISTRY_USERNAME/REGISTRY_PASSWORD through the Bearer token challenge', async () => {
    const env = { ...noConfig, REGISTRY_USERNAME: 'alice', REGISTRY_PASSWORD: PASSWORD };
    const result = await pushImage(image, { repo: `${registry.host}/team`, env });
    expect(result.stats.mounted).toBe(0); // another registry: the base layer was copied, not mounted
    expect(result.stats.uploaded).toBe(3);
    const asked = tokens.requests.filter((request) => request.user === 'alice');
    expect(asked.some((request) => request.scopes.includes('repository:team/helloworld:pull,push'))).toBe(true);
    expect(asked.every((request) => request.service === tokens.service)).toBe(true);
    const reader = new RegistryClient({ registry: registry.host, credentials: { username: 'alice', password: PASSWORD } });
    expect((await reader.getManifest('team/helloworld', result.digest)).digest).toBe(result.digest);
  });

  it('uses the auths entry of the Docker config file', async () => {
    const configDir = path.join(dir, 'docker-config');
    mkdirSync(configDir, { recursive: true });
    const auth = Buffer.from(`alice:${PASSWORD}`).toString('base64');
    writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth } } }));
    const result = await pushImage(image, { repo: `${registry.host}/from-config`, env: { DOCKER_CONFIG: configDir } });
    expect(result.reference).toBe(`${registry.host}/from-config/helloworld@${image.digest}`);
  });

  it('pulls anonymously where the token server allows it (a public base)', async () => {
    const owner = new RegistryClient({ registry: registry.host, credentials: { username: 'alice', password: PASSWORD } });
    const digest = await pushLayout(inject('baseLayout'), owner, 'public/node', 'test');
    const built = await buildImage({ app: 'helloworld', base: `${registry.host}/public/node:test`, workspaceRoot, created: 0, env: noConfig });
    expect(built.base.digest).toBe(digest);
    expect(tokens.requests.some((request) => request.user === undefined && request.scopes.includes('repository:public/node:pull'))).toBe(true);
  });

  it('fails a push without credentials with HTTP 401 and says to log in', async () => {
    const error = await pushImage(image, { repo: `${registry.host}/team`, env: noConfig }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).status).toBe(401);
    expect((error as Error).message).toContain(`needs credentials: run \`docker login ${registry.host}\` or set REGISTRY_USERNAME and REGISTRY_PASSWORD`);
  });

  it('says that a configured credential helper is not used', async () => {
    const configDir = path.join(dir, 'helper-config');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ credsStore: 'desktop' }));
    await expect(pushImage(image, { repo: `${registry.host}/team`, env: { DOCKER_CONFIG: configDir } })).rejects.toThrow(
      /docker-credential-desktop is not used by this tool: set REGISTRY_USERNAME and REGISTRY_PASSWORD instead/,
    );
  });

  it('says the credentials were rejected for a wrong password, and never prints the password', async () => {
    const wrong = 'wrong-secret-value';
    const error = await pushImage(image, { repo: `${registry.host}/team`, env: { ...noConfig, REGISTRY_USERNAME: 'alice', REGISTRY_PASSWORD: wrong } }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/HTTP 401 .*invalid username or password.*credentials for 127\.0\.0\.1:\d+ were rejected/);
    expect((error as Error).message).not.toContain(wrong);
    expect(JSON.stringify(error)).not.toContain(wrong);
  });
});
