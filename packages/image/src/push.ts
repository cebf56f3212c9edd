// Push: every blob at most once (HEAD first, then a cross-repository mount
// from the base when it lives in the same registry, else an upload), then
// the manifests, then the tags. Returns the digest-pinned reference.
import type { BuiltImage } from './build.js';
import type { Blob } from './assemble.js';
import { UsageError } from './errors.js';
import { parseReference } from './reference.js';
import type { ProgressListener } from './progress.js';
import { resolveCredentials } from './registry/auth.js';
import { RegistryClient, type BlobContent } from './registry/client.js';

export interface PushOptions {
  /** `<registry>/<namespace>`: the image goes to `<repo>/<app>`. */
  repo: string;
  /** Tags to point at the image (default: latest). */
  tags?: string[];
  insecure?: boolean;
  progress?: ProgressListener;
  env?: NodeJS.ProcessEnv;
  /** Blobs uploaded at the same time (default 3). */
  concurrency?: number;
  /** For tests: a client with other options (chunk size, fetch). */
  client?: RegistryClient;
}

export interface PushStats {
  /** Blob bytes sent to the registry (manifests not counted). */
  uploadedBytes: number;
  /** Manifest and index bytes sent. */
  manifestBytes: number;
  uploaded: number;
  mounted: number;
  existing: number;
}

export interface PushResult {
  /** `<repo>/<app>@sha256:…` */
  reference: string;
  digest: string;
  repository: string;
  registry: string;
  stats: PushStats;
}

interface PendingBlob {
  digest: string;
  size: number;
  label: string;
  content: () => Promise<BlobContent>;
  /** A repository of the same registry that holds it (the base's). */
  mountFrom?: string;
}

/** The target repository for an app: `<repo>/<app>`. */
export function targetReference(repo: string, appName: string): { registry: string; repository: string; display: string } {
  const display = `${repo.replace(/\/+$/, '')}/${appName}`;
  const parsed = parseReference(display);
  if (parsed.tag !== 'latest' || parsed.digest || display.includes('@')) {
    throw new UsageError(`--repo must be <registry>/<namespace> without a tag or digest, got "${repo}"`);
  }
  return { registry: parsed.registry, repository: parsed.repository, display };
}

export async function pushImage(image: BuiltImage, options: PushOptions): Promise<PushResult> {
  const progress = options.progress ?? (() => {});
  const target = targetReference(options.repo, image.app.name);
  const client =
    options.client ??
    new RegistryClient({
      registry: target.registry,
      credentials: resolveCredentials(target.registry, { isPushTarget: true, ...(options.env ? { env: options.env } : {}) }),
      insecure: options.insecure ?? false,
      ...(options.env ? { env: options.env } : {}),
    });
  const stats: PushStats = { uploadedBytes: 0, manifestBytes: 0, uploaded: 0, mounted: 0, existing: 0 };
  progress({ type: 'step', message: `pushing to ${target.display}` });

  const blobs = blobsToPush(image, target.registry);
  await runLimited(blobs, options.concurrency ?? 3, async (blob) => {
    const event = { type: 'blob' as const, digest: blob.digest, size: blob.size, label: blob.label, sent: 0 };
    if (await client.blobExists(target.repository, blob.digest)) {
      stats.existing++;
      progress({ ...event, state: 'exists' });
      return;
    }
    if (blob.mountFrom && blob.mountFrom !== target.repository && (await client.mountBlob(target.repository, blob.digest, blob.mountFrom))) {
      stats.mounted++;
      progress({ ...event, state: 'mounted' });
      return;
    }
    await client.uploadBlob(target.repository, blob.digest, blob.size, await blob.content(), (sent) =>
      progress({ ...event, state: 'uploading', sent }),
    );
    stats.uploaded++;
    stats.uploadedBytes += blob.size;
    progress({ ...event, state: 'uploaded', sent: blob.size });
  });

  const putIfMissing = async (reference: string, manifest: Blob<unknown>) => {
    const current = await client.manifestDigest(target.repository, reference);
    if (current === manifest.descriptor.digest) return;
    await client.putManifest(target.repository, reference, manifest.bytes, manifest.descriptor.mediaType);
    stats.manifestBytes += manifest.bytes.length;
  };
  for (const platformImage of image.images) {
    if (image.index) await putIfMissing(platformImage.manifest.descriptor.digest, platformImage.manifest);
  }
  const top: Blob<unknown> = image.index ?? image.images[0]!.manifest;
  await putIfMissing(top.descriptor.digest, top);
  for (const tag of options.tags?.length ? options.tags : ['latest']) await putIfMissing(tag, top);

  const reference = `${target.display}@${image.digest}`;
  progress({ type: 'step', message: `pushed ${reference}` });
  return { reference, digest: image.digest, repository: target.repository, registry: target.registry, stats };
}

/** Every blob of every platform once: base layers, the app layer, the configs. */
export function blobsToPush(image: BuiltImage, targetRegistry: string): PendingBlob[] {
  const seen = new Set<string>();
  const result: PendingBlob[] = [];
  const base = image.base.source;
  const mountFrom = base.registry && base.registry.registry === targetRegistry ? base.registry.repository : undefined;
  const add = (blob: PendingBlob) => {
    if (seen.has(blob.digest)) return;
    seen.add(blob.digest);
    result.push(blob);
  };
  for (const platformImage of image.images) {
    for (const layer of platformImage.baseManifest.layers) {
      add({ digest: layer.digest, size: layer.size, label: 'base layer', content: () => base.streamBlob(layer.digest), ...(mountFrom ? { mountFrom } : {}) });
    }
  }
  add({ digest: image.appLayer.digest, size: image.appLayer.size, label: 'app layer', content: async () => image.appLayer.blob });
  for (const platformImage of image.images) {
    const config = platformImage.config;
    add({ digest: config.descriptor.digest, size: config.descriptor.size, label: `config ${platformImage.platform.architecture}`, content: async () => config.bytes });
  }
  return result;
}

async function runLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
