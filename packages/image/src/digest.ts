import { createHash } from 'node:crypto';

/** `sha256:<hex>` of some bytes: the content address of every OCI blob. */
export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** The hex part of a digest, e.g. for a blob's file name in an OCI layout. */
export function digestHex(digest: string): string {
  if (!isDigest(digest)) throw new Error(`not a sha256 digest: ${digest}`);
  return digest.slice('sha256:'.length);
}

/**
 * The JSON bytes of a manifest, index or config. Keys keep their insertion
 * order, so the same object built the same way always gives the same digest.
 */
export function canonicalJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
