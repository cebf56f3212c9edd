// A Node base image made on this machine (for tests and benchmarks), since no image can be pulled here:
// linux/amd64 = the host's node binary + the libraries `ldd` lists + an
// /etc/passwd with the non-root `node` user (uid 1000), like node:*-slim;
// linux/arm64 = a small synthetic image (passwd only, no node) so that the
// base is a real two-platform index. It is written as an OCI image layout.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonBlob } from '../assemble.js';
import { canonicalJson, digestHex } from '../digest.js';
import { createLayer } from '../layer.js';
import { MediaType, type ImageConfig, type ImageIndex, type ImageManifest } from '../oci.js';
import type { TarEntry } from '../tar.js';

const PASSWD = 'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000:node:/home/node:/sbin/nologin\n';
const GROUP = 'root:x:0:\nnode:x:1000:\n';

/** The shared libraries of a binary, from `ldd` (path as the loader looks for it). */
export function sharedLibraries(binary: string): string[] {
  const output = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libraries: string[] = [];
  for (const line of output.split('\n')) {
    const match = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (match) libraries.push(match[1]!);
  }
  return libraries;
}

function etcEntries(): TarEntry[] {
  return [
    { type: 'file', path: 'etc/passwd', content: Buffer.from(PASSWD) },
    { type: 'file', path: 'etc/group', content: Buffer.from(GROUP) },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'dir', path: 'home/node' },
  ];
}

function config(architecture: string, diffId: string, variant?: string): ImageConfig {
  return {
    architecture,
    os: 'linux',
    ...(variant ? { variant } : {}),
    created: '1970-01-01T00:00:00Z',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NODE_VERSION=test'], Cmd: ['node'] },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created: '1970-01-01T00:00:00Z', created_by: `test base for ${architecture}` }],
  };
}

export interface TestBase {
  dir: string;
  /** The index digest. */
  digest: string;
}

export interface TestBaseOptions {
  nodeBinary?: string;
  /** Docker schema 2 media types (manifest list, v2 manifests) instead of OCI, like older Hub images. */
  docker?: boolean;
}

/** Writes the two-platform test base as an OCI layout in `dir`. */
export function writeTestBase(dir: string, options: TestBaseOptions = {}): TestBase {
  const nodeBinary = options.nodeBinary ?? process.execPath;
  const types = options.docker
    ? { manifest: MediaType.dockerManifest, index: MediaType.dockerManifestList, config: MediaType.dockerConfig, layer: MediaType.dockerLayerGzip }
    : { manifest: MediaType.ociManifest, index: MediaType.ociIndex, config: MediaType.ociConfig, layer: MediaType.ociLayerGzip };
  const blobs = new Map<string, Buffer>();
  const manifestFor = (layerEntries: TarEntry[], architecture: string, variant?: string) => {
    const layer = createLayer(layerEntries, { mtime: 0, level: 1 }); // level 1: 100 MB of binaries compress fast enough
    blobs.set(layer.digest, layer.blob);
    const configBlob = jsonBlob(config(architecture, layer.diffId, variant), types.config);
    blobs.set(configBlob.descriptor.digest, configBlob.bytes);
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: types.manifest,
      config: configBlob.descriptor,
      layers: [{ mediaType: types.layer, digest: layer.digest, size: layer.size }],
    };
    const manifestBlob = jsonBlob(manifest, types.manifest);
    blobs.set(manifestBlob.descriptor.digest, manifestBlob.bytes);
    return manifestBlob.descriptor;
  };
  const amd64Entries: TarEntry[] = [
    ...etcEntries(),
    { type: 'file', path: 'usr/local/bin/node', content: readFileSync(realpathSync(nodeBinary)), mode: 0o755 },
    ...sharedLibraries(nodeBinary).map((library): TarEntry => ({ type: 'file', path: library, content: readFileSync(realpathSync(library)), mode: 0o755 })),
  ];
  const arm64Entries: TarEntry[] = [
    ...etcEntries(),
    { type: 'file', path: 'SYNTHETIC', content: Buffer.from('a synthetic arm64 base for tests: it has no node and does not run\n') },
  ];
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: types.index,
    manifests: [
      { ...manifestFor(amd64Entries, 'amd64'), platform: { os: 'linux', architecture: 'amd64' } },
      { ...manifestFor(arm64Entries, 'arm64', 'v8'), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    ],
  };
  const indexBlob = jsonBlob(index, types.index);
  blobs.set(indexBlob.descriptor.digest, indexBlob.bytes);
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const [digest, bytes] of blobs) writeFileSync(path.join(dir, 'blobs', 'sha256', digestHex(digest)), bytes);
  writeFileSync(path.join(dir, 'oci-layout'), canonicalJson({ imageLayoutVersion: '1.0.0' }));
  const top: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [{ ...indexBlob.descriptor, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }],
  };
  writeFileSync(path.join(dir, 'index.json'), canonicalJson(top));
  return { dir, digest: indexBlob.descriptor.digest };
}
