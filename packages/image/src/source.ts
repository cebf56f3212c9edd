// Where a base image comes from: a registry, or a local OCI image layout
// (`oci-layout:<dir>[:tag]`, for offline builds and for tests).
import { existsSync, readFileSync, createReadStream } from 'node:fs';
import path from 'node:path';
import { digestHex, sha256Digest } from './digest.js';
import { UsageError } from './errors.js';
import type { ImageIndex } from './oci.js';
import { parseReference, type ImageReference } from './reference.js';
import { resolveCredentials } from './registry/auth.js';
import { RegistryClient } from './registry/client.js';

export interface Manifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

export interface ImageSource {
  /** The base as the user wrote it, for labels and messages. */
  readonly name: string;
  /** Set when the base lives in a registry: blobs may be mounted from there. */
  readonly registry?: { registry: string; repository: string };
  /** The manifest or index the name points at. */
  root(): Promise<Manifest>;
  manifest(digest: string): Promise<Manifest>;
  blob(digest: string): Promise<Buffer>;
  streamBlob(digest: string): Promise<AsyncIterable<Uint8Array>>;
}

export const LAYOUT_PREFIX = 'oci-layout:';

export function openImageSource(name: string, options: { insecure?: boolean; env?: NodeJS.ProcessEnv } = {}): ImageSource {
  if (name.startsWith(LAYOUT_PREFIX)) return new LayoutSource(name);
  return new RegistrySource(name, parseReference(name), options);
}

class RegistrySource implements ImageSource {
  readonly registry: { registry: string; repository: string };
  private readonly client: RegistryClient;

  constructor(
    readonly name: string,
    private readonly ref: ImageReference,
    options: { insecure?: boolean; env?: NodeJS.ProcessEnv },
  ) {
    this.registry = { registry: ref.registry, repository: ref.repository };
    this.client = new RegistryClient({
      registry: ref.registry,
      credentials: resolveCredentials(ref.registry, { ...(options.env ? { env: options.env } : {}) }),
      insecure: options.insecure ?? false,
      ...(options.env ? { env: options.env } : {}),
    });
  }

  root(): Promise<Manifest> {
    return this.client.getManifest(this.ref.repository, this.ref.digest ?? this.ref.tag ?? 'latest');
  }

  manifest(digest: string): Promise<Manifest> {
    return this.client.getManifest(this.ref.repository, digest);
  }

  blob(digest: string): Promise<Buffer> {
    return this.client.getBlob(this.ref.repository, digest);
  }

  streamBlob(digest: string): Promise<AsyncIterable<Uint8Array>> {
    return this.client.streamBlob(this.ref.repository, digest);
  }
}

/** `oci-layout:<dir>` (the only image, or the one named `latest`), `oci-layout:<dir>:<tag>`. */
class LayoutSource implements ImageSource {
  private readonly dir: string;
  private readonly tag: string | undefined;

  constructor(readonly name: string) {
    const rest = name.slice(LAYOUT_PREFIX.length);
    const match = /^(.*?)(?::([\w][\w.-]*))?$/.exec(rest)!;
    this.dir = path.resolve(match[1]!);
    this.tag = match[2];
    if (!existsSync(path.join(this.dir, 'index.json'))) {
      throw new UsageError(`${this.dir} is not an OCI image layout (no index.json): check the path after ${LAYOUT_PREFIX}`);
    }
  }

  async root(): Promise<Manifest> {
    const index = JSON.parse(readFileSync(path.join(this.dir, 'index.json'), 'utf8')) as ImageIndex;
    const named = (tag: string) => index.manifests.filter((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
    const candidates = this.tag ? named(this.tag) : index.manifests.length === 1 ? index.manifests : named('latest');
    const chosen = candidates[0];
    if (!chosen) throw new Error(`no image ${this.tag ? `tagged ${this.tag} ` : ''}in the OCI layout ${this.dir}`);
    return this.manifest(chosen.digest);
  }

  async manifest(digest: string): Promise<Manifest> {
    const bytes = await this.blob(digest);
    const mediaType = (JSON.parse(bytes.toString()) as { mediaType?: string }).mediaType ?? '';
    return { mediaType, digest, bytes };
  }

  async blob(digest: string): Promise<Buffer> {
    const bytes = readFileSync(this.blobPath(digest));
    if (sha256Digest(bytes) !== digest) throw new Error(`blob ${digest} in ${this.dir} does not match its digest`);
    return bytes;
  }

  async streamBlob(digest: string): Promise<AsyncIterable<Uint8Array>> {
    return createReadStream(this.blobPath(digest));
  }

  private blobPath(digest: string): string {
    const file = path.join(this.dir, 'blobs', 'sha256', digestHex(digest));
    if (!existsSync(file)) throw new Error(`blob ${digest} is missing from the OCI layout ${this.dir}`);
    return file;
  }
}

