import { gzipSync } from 'node:zlib';
import { sha256Digest } from './digest.js';
import { createTar, type TarEntry } from './tar.js';

/** A layer ready to upload: its compressed bytes and both of its digests. */
export interface Layer {
  /** The gzip bytes, as stored in a registry. */
  blob: Buffer;
  /** sha256 of `blob`: the manifest's layer digest. */
  digest: string;
  /** sha256 of the uncompressed tar: the config's rootfs diff_id. */
  diffId: string;
  size: number;
}

export interface LayerOptions {
  /** Seconds since the epoch for every entry (SOURCE_DATE_EPOCH, else 0). */
  mtime: number;
  /** zlib level; fixed so the bytes do not vary (9 by default: the app layer is small). */
  level?: number;
}

/**
 * A reproducible layer: sorted tar entries with fixed owner/modes/mtime, and
 * gzip with no timestamp or file name in its header (zlib writes neither).
 */
export function createLayer(entries: readonly TarEntry[], options: LayerOptions): Layer {
  const tar = createTar(entries, { mtime: options.mtime });
  const blob = gzipSync(tar, { level: options.level ?? 9 });
  return { blob, digest: sha256Digest(blob), diffId: sha256Digest(tar), size: blob.length };
}

/** SOURCE_DATE_EPOCH as a number of seconds, or 0 when unset (reproducible-builds.org). */
export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${raw}"`);
  return Number(raw);
}
