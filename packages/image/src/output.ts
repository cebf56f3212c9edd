// Local outputs that need no registry: an OCI image layout folder, or a
// tarball of one (which also carries Docker's manifest.json, so `docker load`
// of Docker 20.10, which predates OCI archives, accepts it too).
import { mkdirSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { BuiltImage } from './build.js';
import { canonicalJson, digestHex } from './digest.js';
import { MediaType, type ImageIndex } from './oci.js';
import type { ProgressListener } from './progress.js';
import { createTar, type TarEntry } from './tar.js';

export interface LocalOutputOptions {
  /** The tag recorded in index.json (org.opencontainers.image.ref.name), default latest. */
  tag?: string;
  /** For a tarball: the name `docker load` gives the image, e.g. 127.0.0.1:5000/demo/helloworld:latest. */
  repoTag?: string;
  progress?: ProgressListener;
}

/** Every file of the OCI layout, as paths and bytes (pure apart from reading base blobs). */
export async function layoutFiles(image: BuiltImage, options: LocalOutputOptions = {}): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const addBlob = (digest: string, bytes: Buffer) => files.set(`blobs/sha256/${digestHex(digest)}`, bytes);
  for (const platformImage of image.images) {
    for (const layer of platformImage.baseManifest.layers) {
      if (!files.has(`blobs/sha256/${digestHex(layer.digest)}`)) addBlob(layer.digest, await image.base.source.blob(layer.digest));
    }
    addBlob(platformImage.config.descriptor.digest, platformImage.config.bytes);
    addBlob(platformImage.manifest.descriptor.digest, platformImage.manifest.bytes);
  }
  addBlob(image.appLayer.digest, image.appLayer.blob);
  if (image.index) addBlob(image.index.descriptor.digest, image.index.bytes);
  const top = image.index ?? image.images[0]!.manifest;
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [{ ...top.descriptor, annotations: { 'org.opencontainers.image.ref.name': options.tag ?? 'latest' } }],
  };
  files.set('oci-layout', canonicalJson({ imageLayoutVersion: '1.0.0' }));
  files.set('index.json', canonicalJson(index));
  // Docker's own archive format: the first platform only (docker load has no index).
  const first = image.images[0]!;
  const docker = [
    {
      Config: `blobs/sha256/${digestHex(first.config.descriptor.digest)}`,
      RepoTags: options.repoTag ? [options.repoTag] : [],
      Layers: first.manifest.value.layers.map((layer) => `blobs/sha256/${digestHex(layer.digest)}`),
    },
  ];
  files.set('manifest.json', canonicalJson(docker));
  return files;
}

export async function writeOciLayout(image: BuiltImage, dir: string, options: LocalOutputOptions = {}): Promise<void> {
  options.progress?.({ type: 'step', message: `writing OCI layout ${dir}` });
  for (const [name, bytes] of await layoutFiles(image, options)) {
    if (name === 'manifest.json') continue; // only tarballs carry Docker's format
    const file = path.join(dir, name);
    if (name.startsWith('blobs/') && existsSync(file)) continue; // content-addressed: already right
    mkdirSync(path.dirname(file), { recursive: true });
    writeAtomically(file, bytes);
  }
}

export async function writeTarball(image: BuiltImage, file: string, options: LocalOutputOptions & { mtime?: number } = {}): Promise<void> {
  options.progress?.({ type: 'step', message: `writing tarball ${file}` });
  const entries: TarEntry[] = [];
  for (const [name, bytes] of await layoutFiles(image, options)) entries.push({ type: 'file', path: name, content: bytes });
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeAtomically(file, createTar(entries, { mtime: options.mtime ?? 0 }));
}

function writeAtomically(file: string, bytes: Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, file);
}
