// Pushing to a real registry: Debian's docker-registry on 127.0.0.1 (see support/global-setup.ts).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import {
  buildImage,
  findWorkspaceRoot,
  MANIFEST_ACCEPT,
  MediaType,
  pushImage,
  pushLayout,
  RegistryClient,
  RegistryError,
  sha256Digest,
  writeTestBase,
  type ImageIndex,
  type ImageManifest,
} from './support/lib.js';
import { freePort } from './support/lib.js';

const skip = inject('registrySkipReason');
const host = inject('registryHost');
const base = inject('baseReference');
const workspaceRoot = findWorkspaceRoot(import.meta.dirname);
const fixed = { created: 0, revision: 'r1', source: 'https://example.com/hok' };

/** Reads straight from the registry with fetch, not with the client under test. */
async function registryGet(path: string, accept?: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const response = await fetch(`http://${host}/v2/${path}`, { headers: accept ? { accept } : {} });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

describe.skipIf(skip !== '')('push to docker-registry', () => {
  it('pushes helloworld, mounts the base layers, and reads back manifests, configs and layers by digest', async () => {
    const image = await buildImage({ app: 'helloworld', base, workspaceRoot, ...fixed });
    const result = await pushImage(image, { repo: `${host}/push-test`, tags: ['v1', 'stable'] });
    expect(result.reference).toBe(`${host}/push-test/helloworld@${image.digest}`);
    expect(result.stats).toMatchObject({ mounted: 2, uploaded: 3, existing: 0 }); // 2 base layers; app layer + 2 configs
    expect(result.stats.uploadedBytes).toBe(image.appLayer.size + image.images.reduce((sum, i) => sum + i.config.descriptor.size, 0));

    const index = await registryGet(`push-test/helloworld/manifests/${image.digest}`, MANIFEST_ACCEPT);
    expect(index.status).toBe(200);
    expect(sha256Digest(index.bytes)).toBe(image.digest);
    expect(index.headers.get('content-type')).toBe('application/vnd.oci.image.index.v1+json');
    const manifests = (JSON.parse(index.bytes.toString()) as ImageIndex).manifests;
    expect(manifests.map((m) => m.platform?.architecture)).toEqual(['amd64', 'arm64']);
    for (const descriptor of manifests) {
      const manifest = await registryGet(`push-test/helloworld/manifests/${descriptor.digest}`, descriptor.mediaType);
      expect(sha256Digest(manifest.bytes)).toBe(descriptor.digest);
      const value = JSON.parse(manifest.bytes.toString()) as ImageManifest;
      for (const blob of [value.config, ...value.layers]) {
        const read = await registryGet(`push-test/helloworld/blobs/${blob.digest}`);
        expect(read.status).toBe(200);
        expect(sha256Digest(read.bytes)).toBe(blob.digest);
        expect(read.bytes.length).toBe(blob.size);
      }
      const config = JSON.parse((await registryGet(`push-test/helloworld/blobs/${value.config.digest}`)).bytes.toString());
      expect(config.architecture).toBe(descriptor.platform?.architecture);
      expect(config.rootfs.diff_ids).toHaveLength(2);
    }
    for (const tag of ['v1', 'stable']) {
      const tagged = await registryGet(`push-test/helloworld/manifests/${tag}`, MANIFEST_ACCEPT);
      expect(tagged.headers.get('docker-content-digest')).toBe(image.digest);
    }
  });

  it('uploads nothing when the same image is pushed again, and a rebuild gives the same digest', async () => {
    const first = await buildImage({ app: 'helloworld', base, workspaceRoot, ...fixed });
    await pushImage(first, { repo: `${host}/repush` });
    const rebuilt = await buildImage({ app: 'helloworld', base, workspaceRoot, ...fixed });
    expect(rebuilt.digest).toBe(first.digest);
    const again = await pushImage(rebuilt, { repo: `${host}/repush` });
    expect(again.stats).toEqual({ uploadedBytes: 0, manifestBytes: 0, uploaded: 0, mounted: 0, existing: 5 });
    expect(again.reference).toBe(`${host}/repush/helloworld@${first.digest}`);
  });

  it('pushes a single-platform image as a manifest pinned by its own digest', async () => {
    const image = await buildImage({ app: 'helloworld', base, workspaceRoot, ...fixed, platforms: [{ os: 'linux', architecture: 'amd64' }] });
    const result = await pushImage(image, { repo: `${host}/one` });
    const tagged = await registryGet('one/helloworld/manifests/latest', MANIFEST_ACCEPT);
    expect(tagged.headers.get('docker-content-digest')).toBe(result.digest);
    expect(JSON.parse(tagged.bytes.toString()).mediaType).toBe('application/vnd.oci.image.index.v1+json'); // the base is an index
  });

  it('keeps Docker schema 2 media types on a Docker schema 2 base (manifest list, v2 manifests)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hok-docker-base-'));
    try {
      const layout = writeTestBase(path.join(dir, 'layout'), { docker: true });
      const digest = await pushLayout(layout.dir, new RegistryClient({ registry: host }), 'base/node-docker', 'test');
      const image = await buildImage({ app: 'helloworld', base: `${host}/base/node-docker@${digest}`, workspaceRoot, ...fixed });
      await pushImage(image, { repo: `${host}/schema2` });
      const list = await registryGet(`schema2/helloworld/manifests/${image.digest}`, MANIFEST_ACCEPT);
      expect(list.headers.get('content-type')).toBe(MediaType.dockerManifestList);
      for (const entry of (JSON.parse(list.bytes.toString()) as ImageIndex).manifests) {
        expect(entry.mediaType).toBe(MediaType.dockerManifest);
        const manifest = JSON.parse((await registryGet(`schema2/helloworld/manifests/${entry.digest}`, entry.mediaType)).bytes.toString()) as ImageManifest;
        expect(manifest.config.mediaType).toBe(MediaType.dockerConfig);
        expect(manifest.layers.map((layer) => layer.mediaType)).toEqual([MediaType.dockerLayerGzip, MediaType.dockerLayerGzip]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('mounts a blob from another repository, and falls back to an upload when that repository lacks it', async () => {
    const client = new RegistryClient({ registry: host });
    const data = randomBytes(2048);
    const digest = sha256Digest(data);
    await client.uploadBlob('mount/source', digest, data.length, data);
    expect(await client.mountBlob('mount/target', digest, 'mount/source')).toBe(true);
    expect(await client.blobExists('mount/target', digest)).toBe(true);
    const other = randomBytes(2048);
    const otherDigest = sha256Digest(other);
    expect(await client.mountBlob('mount/target', otherDigest, 'mount/source')).toBe(false);
    await client.uploadBlob('mount/target', otherDigest, other.length, other);
    expect((await client.getBlob('mount/target', otherDigest)).equals(other)).toBe(true);
  });

  it('uploads a large blob in PATCH chunks and the registry stores exactly those bytes', async () => {
    const client = new RegistryClient({ registry: host, chunkSize: 256 * 1024 });
    const data = randomBytes(1024 * 1024 + 123);
    const digest = sha256Digest(data);
    const seen: number[] = [];
    await client.uploadBlob('chunks/test', digest, data.length, data, (sent) => seen.push(sent));
    expect(seen).toEqual([262144, 524288, 786432, 1048576, 1048699]);
    expect(await client.blobExists('chunks/test', digest)).toBe(true);
    expect((await client.getBlob('chunks/test', digest)).equals(data)).toBe(true);
  });

  it('says what to do when the base does not exist', async () => {
    await expect(buildImage({ app: 'helloworld', base: `${host}/base/missing:nope`, workspaceRoot })).rejects.toThrow(
      /read manifest .*base\/missing:nope failed: HTTP 404 .*MANIFEST_UNKNOWN.*check the image name and tag/,
    );
  });

  it('says what to do when nothing listens at the registry address', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const error = await buildImage({ app: 'helloworld', base: `${closed}/base/node:test`, workspaceRoot }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/cannot reach 127\.0\.0\.1:\d+ .*ECONNREFUSED: nothing listens there/);
  });
});
