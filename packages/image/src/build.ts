// Build: bundle the app, make its layer, and stack it on every wanted
// platform of the base. Nothing is written or pushed here (see push.ts, output.ts).
import path from 'node:path';
import { findApp, findWorkspaceRoot, type AppSource } from './app.js';
import { appImageConfig, appIndex, appManifest, jsonBlob, platformOf, type AppSettings, type Blob } from './assemble.js';
import { bundleApp, type Bundle } from './bundle.js';
import { gitRevision, gitSourceUrl } from './git.js';
import { createLayer, sourceDateEpoch, type Layer } from './layer.js';
import {
  MediaType,
  isDockerMediaType,
  isIndexMediaType,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  type Platform,
} from './oci.js';
import { UsageError } from './errors.js';
import { formatPlatform, platformMatches } from './platform.js';
import type { ProgressListener } from './progress.js';
import { openImageSource, type ImageSource } from './source.js';
import type { TarEntry } from './tar.js';

/**
 * The default base: the official Node 24 (the current LTS) slim image. It is
 * published for linux/amd64 and linux/arm64, has `node` on PATH and a `node`
 * user (uid 1000), and is the same FROM the Dockerfile path uses, so both
 * paths give the same runtime. (Distroless is smaller but has no shell to debug with.)
 */
export const DEFAULT_BASE = 'docker.io/library/node:24-slim';

export interface BuildOptions {
  /** A folder name of apps/, or a path to an app folder. */
  app: string;
  /** An image reference, or `oci-layout:<dir>[:tag]`. */
  base?: string;
  /** Platforms to build; by default every platform the base offers. */
  platforms?: Platform[] | 'all';
  /** Defaults to the workspace above the current directory. */
  workspaceRoot?: string;
  /** Plain http for a non-loopback base registry. */
  insecure?: boolean;
  /** Seconds since the epoch for mtimes and `created`; defaults to SOURCE_DATE_EPOCH or 0. */
  created?: number;
  /** Overrides for the runtime user and the OCI labels (source/revision come from git otherwise). */
  user?: string;
  source?: string;
  revision?: string;
  labels?: Record<string, string>;
  progress?: ProgressListener;
  env?: NodeJS.ProcessEnv;
}

export interface PlatformImage {
  platform: Platform;
  baseManifest: ImageManifest;
  config: Blob<ImageConfig>;
  manifest: Blob<ImageManifest>;
}

export interface BuiltImage {
  app: AppSource;
  bundle: Bundle;
  appLayer: Layer;
  base: { source: ImageSource; digest: string };
  images: PlatformImage[];
  /** Present when the base is multi-platform: the image is then an index of `images`. */
  index?: Blob<ImageIndex>;
  /** The digest of what a reference should pin: the index, or the only manifest. */
  digest: string;
  mediaType: string;
}

/** The app files of the layer: everything under /app, root-owned and read-only for the app user. */
export function appLayerEntries(bundle: Bundle): TarEntry[] {
  return [{ type: 'dir', path: 'app' }, ...bundle.files.map((file) => ({ ...file, path: `app/${file.path}` }))];
}

export async function buildImage(options: BuildOptions): Promise<BuiltImage> {
  const progress = options.progress ?? (() => {});
  const env = options.env ?? process.env;
  const root = options.workspaceRoot ?? findWorkspaceRoot();
  const app = findApp(options.app, root);
  const created = options.created ?? sourceDateEpoch(env);

  progress({ type: 'step', message: `bundling apps/${app.name} (${path.relative(root, app.entry)})` });
  const bundle = await bundleApp(app, { workingDir: root });
  for (const warning of bundle.warnings) progress({ type: 'step', message: `esbuild warning: ${warning}` });
  const appLayer = createLayer(appLayerEntries(bundle), { mtime: created });

  const baseName = options.base ?? DEFAULT_BASE;
  progress({ type: 'step', message: `reading base ${baseName}` });
  const source = openImageSource(baseName, { ...(options.insecure ? { insecure: true } : {}), env });
  const top = await source.root();

  const settings: AppSettings = {
    appName: app.name,
    created,
    ...(options.user ? { user: options.user } : {}),
    ...optional('source', options.source ?? gitSourceUrl(root)),
    ...optional('revision', options.revision ?? gitRevision(root)),
    ...(options.labels ? { labels: options.labels } : {}),
  };
  const baseRef = { name: baseName, digest: top.digest };

  const stack = async (baseManifest: ImageManifest): Promise<PlatformImage> => {
    const baseConfig = JSON.parse((await source.blob(baseManifest.config.digest)).toString()) as ImageConfig;
    const configValue = appImageConfig(baseConfig, appLayer, settings);
    const docker = isDockerMediaType(baseManifest.mediaType);
    const config = jsonBlob(configValue, docker ? MediaType.dockerConfig : MediaType.ociConfig);
    const manifest = appManifest(baseManifest, config, appLayer, baseRef);
    return { platform: platformOf(configValue), baseManifest, config, manifest };
  };

  if (!isIndexMediaType(top.mediaType)) {
    const image = await stack(JSON.parse(top.bytes.toString()) as ImageManifest);
    const wanted = options.platforms;
    if (wanted && wanted !== 'all' && !wanted.some((platform) => platformMatches(platform, image.platform))) {
      throw new UsageError(`the base ${baseName} is only for ${formatPlatform(image.platform)}: pick that platform or a multi-platform base`);
    }
    return { app, bundle, appLayer, base: { source, digest: top.digest }, images: [image], digest: image.manifest.descriptor.digest, mediaType: image.manifest.descriptor.mediaType };
  }

  const baseIndex = JSON.parse(top.bytes.toString()) as ImageIndex;
  const offered = baseIndex.manifests.filter((entry) => entry.platform && entry.platform.os !== 'unknown'); // skip attestations
  const chosen = selectPlatforms(offered.map((entry) => entry.platform!), options.platforms ?? 'all', baseName);
  const images: PlatformImage[] = [];
  for (const platform of chosen) {
    const entry = offered.find((candidate) => candidate.platform === platform)!;
    const manifest = await source.manifest(entry.digest);
    images.push(await stack(JSON.parse(manifest.bytes.toString()) as ImageManifest));
  }
  const index = appIndex(
    images.map((image) => ({ manifest: image.manifest, platform: image.platform })),
    isDockerMediaType(baseIndex.mediaType),
  );
  return { app, bundle, appLayer, base: { source, digest: top.digest }, images, index, digest: index.descriptor.digest, mediaType: index.descriptor.mediaType };
}

/** The base's platforms that were asked for, in the base's order; an error names what is missing. */
export function selectPlatforms(offered: Platform[], wanted: Platform[] | 'all', baseName: string): Platform[] {
  if (wanted === 'all') return offered;
  const missing = wanted.filter((platform) => !offered.some((candidate) => platformMatches(platform, candidate)));
  if (missing.length > 0) {
    throw new UsageError(
      `the base ${baseName} has no ${missing.map(formatPlatform).join(', ')}; it offers ${offered.map(formatPlatform).join(', ')}`,
    );
  }
  return offered.filter((candidate) => wanted.some((platform) => platformMatches(platform, candidate)));
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
