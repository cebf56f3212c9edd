// Pure assembly of the image on top of a base: config, manifest and index.
// No I/O here, so each rule (user, env, labels, media types) is tested alone.
import { canonicalJson, sha256Digest } from './digest.js';
import type { Layer } from './layer.js';
import {
  MediaType,
  isDockerMediaType,
  type ContainerConfig,
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  type Platform,
} from './oci.js';

/** Where the bundle lives in the image, and what runs it. */
export const APP_DIR = '/app';
export const APP_ENTRY = 'index.mjs';
export const APP_PORT = 8080;
/**
 * The `node` user of the official node images (uid 1000). Numeric, so that
 * Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
 */
export const DEFAULT_USER = '1000:1000';

export interface AppSettings {
  /** The app's folder name under apps/, for the history entry. */
  appName: string;
  /** Seconds since the epoch (SOURCE_DATE_EPOCH or 0): `created` and the OCI label. */
  created: number;
  user?: string;
  /** org.opencontainers.image.source, when known. */
  source?: string;
  /** org.opencontainers.image.revision (the git commit), when known. */
  revision?: string;
  /** Extra labels; they win over the defaults. */
  labels?: Record<string, string>;
}

export function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The node binary of the base: distroless images point their entrypoint at it
 * (/nodejs/bin/node); the official node images have `node` on PATH.
 */
export function nodeBinaryOf(base: ContainerConfig | undefined): string {
  const first = base?.Entrypoint?.[0];
  return first && /(^|\/)node$/.test(first) ? first : 'node';
}

export function appEntrypoint(base: ContainerConfig | undefined): string[] {
  return [nodeBinaryOf(base), '--enable-source-maps', `${APP_DIR}/${APP_ENTRY}`];
}

export function appLabels(settings: AppSettings): Record<string, string> {
  return {
    'org.opencontainers.image.created': isoTime(settings.created),
    ...(settings.source ? { 'org.opencontainers.image.source': settings.source } : {}),
    ...(settings.revision ? { 'org.opencontainers.image.revision': settings.revision } : {}),
    'org.opencontainers.image.title': settings.appName,
    ...settings.labels,
  };
}

/** The base's config with the app layer on top and the app's runtime settings. */
export function appImageConfig(base: ImageConfig, appLayer: Pick<Layer, 'diffId'>, settings: AppSettings): ImageConfig {
  const created = isoTime(settings.created);
  const baseEnv = (base.config?.Env ?? []).filter((line) => !line.startsWith('NODE_ENV='));
  const config: ContainerConfig = {
    ...base.config,
    User: settings.user ?? DEFAULT_USER,
    ExposedPorts: { ...base.config?.ExposedPorts, [`${APP_PORT}/tcp`]: {} },
    Env: [...baseEnv, 'NODE_ENV=production'],
    Entrypoint: appEntrypoint(base.config),
    Cmd: null,
    WorkingDir: APP_DIR,
    Labels: { ...base.config?.Labels, ...appLabels(settings) },
  };
  return {
    ...base,
    created,
    config,
    rootfs: { type: 'layers', diff_ids: [...base.rootfs.diff_ids, appLayer.diffId] },
    history: [
      ...(base.history ?? []),
      { created, created_by: `hands-on-knative image: esbuild bundle of apps/${settings.appName}`, comment: 'app layer' },
    ],
  };
}

/** A JSON document with the descriptor that points at it. */
export interface Blob<T> {
  value: T;
  bytes: Buffer;
  descriptor: Descriptor;
}

export function jsonBlob<T>(value: T, mediaType: string, extra: Partial<Descriptor> = {}): Blob<T> {
  const bytes = canonicalJson(value);
  return { value, bytes, descriptor: { mediaType, digest: sha256Digest(bytes), size: bytes.length, ...extra } };
}

export interface BaseRef {
  /** The base as the user named it, e.g. docker.io/library/node:24-slim. */
  name: string;
  /** The digest of the base manifest this image was built on. */
  digest: string;
}

/**
 * The app manifest. It keeps the base's media type family (Docker schema 2 or
 * OCI) so that every layer descriptor agrees with the manifest that lists it.
 */
export function appManifest(
  baseManifest: ImageManifest,
  config: Blob<ImageConfig>,
  appLayer: Pick<Layer, 'digest' | 'size'>,
  base?: BaseRef,
): Blob<ImageManifest> {
  const docker = isDockerMediaType(baseManifest.mediaType);
  const mediaType = docker ? MediaType.dockerManifest : MediaType.ociManifest;
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: docker ? MediaType.dockerConfig : MediaType.ociConfig, digest: config.descriptor.digest, size: config.descriptor.size },
    layers: [
      ...baseManifest.layers.map(({ mediaType: type, digest, size }) => ({ mediaType: type, digest, size })),
      { mediaType: docker ? MediaType.dockerLayerGzip : MediaType.ociLayerGzip, digest: appLayer.digest, size: appLayer.size },
    ],
    // Docker schema 2 has no annotations; OCI records which base was used.
    ...(!docker && base
      ? { annotations: { 'org.opencontainers.image.base.name': base.name, 'org.opencontainers.image.base.digest': base.digest } }
      : {}),
  };
  return jsonBlob(manifest, mediaType);
}

export function platformOf(config: ImageConfig): Platform {
  return config.variant
    ? { os: config.os, architecture: config.architecture, variant: config.variant }
    : { os: config.os, architecture: config.architecture };
}

/** An index of per-platform manifests, in the order given (the base's order). */
export function appIndex(manifests: ReadonlyArray<{ manifest: Blob<ImageManifest>; platform: Platform }>, docker: boolean): Blob<ImageIndex> {
  const mediaType = docker ? MediaType.dockerManifestList : MediaType.ociIndex;
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType,
    manifests: manifests.map(({ manifest, platform }) => ({ ...manifest.descriptor, platform })),
  };
  return jsonBlob(index, mediaType);
}
