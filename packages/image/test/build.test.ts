// Building without a registry: the test base comes from a local OCI layout.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { makeFixtureWorkspace } from './support/fixture-app.js';
import { freePort, stopProcess, waitFor } from './support/lib.js';
import { extractLayer, listLayer } from './support/tar-read.js';
import { buildImage, findWorkspaceRoot, MediaType, sha256Digest, writeOciLayout, writeTarball, type ImageManifest } from './support/lib.js';

const workspaceRoot = findWorkspaceRoot(import.meta.dirname);
const base = `oci-layout:${inject('baseLayout')}`;
const temps: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const fixed = { revision: '0123456789abcdef0123456789abcdef01234567', source: 'https://example.com/hands-on-knative' };

describe('buildImage of helloworld on the local two-platform base', () => {
  it('gives the same digest when built twice, and another one when the sources date changes', async () => {
    const first = await buildImage({ app: 'helloworld', base, workspaceRoot, created: 1_700_000_000, ...fixed });
    const second = await buildImage({ app: 'helloworld', base, workspaceRoot, created: 1_700_000_000, ...fixed });
    expect(second.digest).toBe(first.digest);
    expect(second.appLayer.blob.equals(first.appLayer.blob)).toBe(true);
    const later = await buildImage({ app: 'helloworld', base, workspaceRoot, created: 1_700_000_001, ...fixed });
    expect(later.digest).not.toBe(first.digest);
  });

  it('makes an index with amd64 and arm64 that share one app layer on top of each base', async () => {
    const image = await buildImage({ app: 'helloworld', base, workspaceRoot, created: 0, ...fixed });
    expect(image.index?.value.mediaType).toBe(MediaType.ociIndex);
    expect(image.index?.value.manifests.map((m) => m.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]);
    for (const platformImage of image.images) {
      const layers = platformImage.manifest.value.layers;
      expect(layers).toHaveLength(platformImage.baseManifest.layers.length + 1);
      expect(layers.at(-1)).toEqual({ mediaType: MediaType.ociLayerGzip, digest: image.appLayer.digest, size: image.appLayer.size });
      expect(platformImage.config.value.rootfs.diff_ids.at(-1)).toBe(image.appLayer.diffId);
      expect(platformImage.manifest.descriptor.digest).toBe(sha256Digest(platformImage.manifest.bytes));
    }
    expect(image.images[1]!.config.value.architecture).toBe('arm64');
  });

  it('writes the runtime config: non-root user, /app, node entrypoint, NODE_ENV, port 8080, OCI labels', async () => {
    const image = await buildImage({ app: 'helloworld', base, workspaceRoot, created: 86_400, ...fixed });
    const config = image.images[0]!.config.value;
    expect(config.created).toBe('1970-01-02T00:00:00Z');
    expect(config.config).toMatchObject({
      User: '1000:1000',
      WorkingDir: '/app',
      Entrypoint: ['node', '--enable-source-maps', '/app/index.mjs'],
      Cmd: null,
      ExposedPorts: { '8080/tcp': {} },
      Labels: {
        'org.opencontainers.image.created': '1970-01-02T00:00:00Z',
        'org.opencontainers.image.revision': fixed.revision,
        'org.opencontainers.image.source': fixed.source,
      },
    });
    expect(config.config?.Env).toContain('NODE_ENV=production');
    expect(config.config?.Env?.some((line) => line.startsWith('PATH='))).toBe(true); // the base's env is kept
  });

  it('puts a small bundle in /app: root-owned, fixed mtime, sorted, no node_modules for a fully bundled app', async () => {
    const image = await buildImage({ app: 'helloworld', base, workspaceRoot, created: 1_234_567_890, platforms: [{ os: 'linux', architecture: 'amd64' }] });
    const lines = listLayer(image.appLayer.blob);
    expect(lines.map((line) => line.split(/\s+/).at(-1))).toEqual(['app/', 'app/index.mjs', 'app/index.mjs.map', 'app/package.json']);
    for (const line of lines) {
      expect(line).toMatch(/^[d-]r[w-]xr-xr-x|^[d-]rw-r--r--/);
      expect(line).toContain(' 0/0 ');
      expect(line).toContain('2009-02-13 23:31:30');
    }
    expect(image.appLayer.size).toBeLessThan(200 * 1024);
    expect(image.index?.value.manifests).toHaveLength(1);
    const dir = extractLayer(image.appLayer.blob);
    temps.push(dir);
    const bundle = readFileSync(path.join(dir, 'app/index.mjs'), 'utf8');
    expect(bundle).toContain('sourceMappingURL=index.mjs.map');
    expect(bundle).not.toContain(workspaceRoot); // no path of the build machine
  });

  it('says which platforms the base offers when one is missing', async () => {
    await expect(buildImage({ app: 'helloworld', base, workspaceRoot, platforms: [{ os: 'linux', architecture: 's390x' }] })).rejects.toThrow(
      /has no linux\/s390x; it offers linux\/amd64, linux\/arm64\/v8/,
    );
  });

  it('names the known apps when the app does not exist', async () => {
    await expect(buildImage({ app: 'nope', base, workspaceRoot })).rejects.toThrow(/no app "nope".*apps: .*helloworld/);
  });
});

describe('an app with a CommonJS dependency and an external package', () => {
  it('bundles the CommonJS code, ships the external one with its dependency, and runs from the extracted layer', async () => {
    const root = makeFixtureWorkspace();
    temps.push(root);
    const image = await buildImage({ app: 'cjs-app', base, workspaceRoot: root, platforms: [{ os: 'linux', architecture: 'amd64' }] });
    const names = listLayer(image.appLayer.blob).map((line) => line.split(/\s+/).at(-1));
    expect(names).toContain('app/node_modules/data-reader/data.txt');
    expect(names).toContain('app/node_modules/data-format/index.js');
    expect(names.some((name) => name?.includes('cjs-greeter'))).toBe(false); // bundled, not shipped
    const dir = extractLayer(image.appLayer.blob);
    temps.push(dir);
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(dir, 'app/index.mjs')], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
    try {
      let body = '';
      await waitFor('the bundled fixture app', async () => {
        body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
        return true;
      }, 20_000, child);
      expect(body).toBe('Hello World! (cjs from app) [external data]\n');
    } finally {
      await stopProcess(child);
    }
  });
});

describe('apps that cannot be bundled as they are', () => {
  it('refuses to bundle a native addon and says to declare it external', async () => {
    const root = makeFixtureWorkspace();
    temps.push(root);
    await expect(buildImage({ app: 'native-app', base, workspaceRoot: root })).rejects.toThrow(
      /apps\/native-app bundles native-thing, which loads a native addon at run time: add "image": \{ "external": \["native-thing"\] \} to apps\/native-app\/package.json/,
    );
  });

  it("reports esbuild's error with the file and line", async () => {
    const root = makeFixtureWorkspace();
    temps.push(root);
    await expect(buildImage({ app: 'broken-app', base, workspaceRoot: root })).rejects.toThrow(
      /esbuild cannot bundle apps\/broken-app: Could not resolve "missing-package" \(apps\/broken-app\/src\/index.ts:1\)/,
    );
  });
});

describe('local outputs', () => {
  it('writes an OCI layout whose index.json and blobs match the digests, and a tarball with docker load metadata', async () => {
    const image = await buildImage({ app: 'helloworld', base, workspaceRoot, created: 0 });
    const dir = temp('hok-image-layout-');
    await writeOciLayout(image, dir, { tag: 'v1' });
    const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8'));
    expect(index.manifests[0]).toMatchObject({ digest: image.digest, annotations: { 'org.opencontainers.image.ref.name': 'v1' } });
    const blob = (digest: string) => readFileSync(path.join(dir, 'blobs/sha256', digest.slice(7)));
    expect(sha256Digest(blob(image.digest))).toBe(image.digest);
    const amd64 = JSON.parse(blob(image.index!.value.manifests[0]!.digest).toString()) as ImageManifest;
    for (const descriptor of [amd64.config, ...amd64.layers]) expect(sha256Digest(blob(descriptor.digest))).toBe(descriptor.digest);

    // The layout is a valid base in turn: building from it gives the same image.
    const again = await buildImage({ app: 'helloworld', base: `oci-layout:${dir}:v1`, workspaceRoot, created: 0 });
    expect(again.images[0]!.baseManifest.layers).toHaveLength(2);

    const tarball = path.join(temp('hok-image-tar-'), 'helloworld.tar');
    await writeTarball(image, tarball, { repoTag: 'example.com/demo/helloworld:v1' });
    const names = execFileSync('tar', ['-tf', tarball], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toEqual(expect.arrayContaining(['oci-layout', 'index.json', 'manifest.json', `blobs/sha256/${image.digest.slice(7)}`]));
    const dockerManifest = JSON.parse(execFileSync('tar', ['-xOf', tarball, 'manifest.json'], { encoding: 'utf8' }));
    expect(dockerManifest[0].RepoTags).toEqual(['example.com/demo/helloworld:v1']);
    expect(dockerManifest[0].Layers).toHaveLength(2);
  });
});
