import { describe, expect, it } from 'vitest';
import { appImageConfig, appIndex, appManifest, jsonBlob, MediaType, type ImageConfig, type ImageManifest } from './support/lib.js';

const baseConfig: ImageConfig = {
  architecture: 'amd64',
  os: 'linux',
  config: { Env: ['PATH=/usr/bin', 'NODE_ENV=development'], Entrypoint: ['docker-entrypoint.sh'], Cmd: ['node'], ExposedPorts: { '9229/tcp': {} }, Labels: { maintainer: 'x' } },
  rootfs: { type: 'layers', diff_ids: ['sha256:' + '1'.repeat(64)] },
  history: [{ created_by: 'base' }],
  docker_version: 'kept as is',
};
const layer = { diffId: 'sha256:' + '2'.repeat(64), digest: 'sha256:' + '3'.repeat(64), size: 1234 };

describe('appImageConfig', () => {
  const config = appImageConfig(baseConfig, layer, { appName: 'helloworld', created: 0, revision: 'abc', source: 'https://example.com/r' });

  it('runs node on the bundle as the non-root user from /app with NODE_ENV=production', () => {
    expect(config.config).toMatchObject({
      User: '1000:1000',
      WorkingDir: '/app',
      Entrypoint: ['node', '--enable-source-maps', '/app/index.mjs'],
      Cmd: null,
      Env: ['PATH=/usr/bin', 'NODE_ENV=production'],
      ExposedPorts: { '9229/tcp': {}, '8080/tcp': {} },
    });
  });

  it('adds the OCI labels from the epoch and git, keeps the base labels and unknown fields', () => {
    expect(config.config?.Labels).toEqual({
      maintainer: 'x',
      'org.opencontainers.image.created': '1970-01-01T00:00:00Z',
      'org.opencontainers.image.source': 'https://example.com/r',
      'org.opencontainers.image.revision': 'abc',
      'org.opencontainers.image.title': 'helloworld',
    });
    expect(config.docker_version).toBe('kept as is');
    expect(config.rootfs.diff_ids).toEqual([...baseConfig.rootfs.diff_ids, layer.diffId]);
    expect(config.history).toHaveLength(2);
  });

  it("uses a distroless base's node path from its entrypoint", () => {
    const distroless = { ...baseConfig, config: { Entrypoint: ['/nodejs/bin/node'] } };
    expect(appImageConfig(distroless, layer, { appName: 'a', created: 0 }).config?.Entrypoint?.[0]).toBe('/nodejs/bin/node');
  });
});

describe('appManifest / appIndex', () => {
  const config = jsonBlob(appImageConfig(baseConfig, layer, { appName: 'a', created: 0 }), MediaType.ociConfig);
  const baseLayer = { mediaType: MediaType.dockerLayerGzip, digest: 'sha256:' + '4'.repeat(64), size: 9 };

  it('follows the media type family of a Docker schema 2 base', () => {
    const base: ImageManifest = { schemaVersion: 2, mediaType: MediaType.dockerManifest, config: baseLayer, layers: [baseLayer] };
    const manifest = appManifest(base, config, layer, { name: 'node:24-slim', digest: 'sha256:' + '5'.repeat(64) }).value;
    expect(manifest.mediaType).toBe(MediaType.dockerManifest);
    expect(manifest.config.mediaType).toBe(MediaType.dockerConfig);
    expect(manifest.layers.map((l) => l.mediaType)).toEqual([MediaType.dockerLayerGzip, MediaType.dockerLayerGzip]);
    expect(manifest.annotations).toBeUndefined();
  });

  it('writes an OCI manifest with the base annotations, and an index with the platforms', () => {
    const base: ImageManifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, config: baseLayer, layers: [{ ...baseLayer, mediaType: MediaType.ociLayerGzip }] };
    const manifest = appManifest(base, config, layer, { name: 'b', digest: 'sha256:' + '5'.repeat(64) });
    expect(manifest.value.annotations).toEqual({ 'org.opencontainers.image.base.name': 'b', 'org.opencontainers.image.base.digest': 'sha256:' + '5'.repeat(64) });
    expect(manifest.value.layers.at(-1)).toEqual({ mediaType: MediaType.ociLayerGzip, digest: layer.digest, size: layer.size });
    const index = appIndex([{ manifest, platform: { os: 'linux', architecture: 'amd64' } }], false);
    expect(index.value.manifests[0]).toEqual({ ...manifest.descriptor, platform: { os: 'linux', architecture: 'amd64' } });
  });
});
