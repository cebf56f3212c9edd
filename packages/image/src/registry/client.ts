// A small Registry HTTP API v2 client: the calls an image push needs, with the
// token challenge handled once per set of scopes. No library on npm covers
// OCI indexes, cross-repository mounts and chunked uploads and is still kept
// up (docker-registry-client was last released in 2019), so it lives here.
import { sha256Digest } from '../digest.js';
import { MANIFEST_ACCEPT } from '../oci.js';
import { registryBaseUrl } from '../reference.js';
import { basicAuthorization, credentialHelperNote, parseChallenge, tokenUrl, type Challenge, type Credentials } from './auth.js';
import { RegistryError, httpFailure, networkFailure } from './errors.js';

export interface RegistryClientOptions {
  /** host[:port] as in the image reference (docker.io for Docker Hub). */
  registry: string;
  credentials?: Credentials | undefined;
  /** Plain http for a non-loopback registry. */
  insecure?: boolean;
  /** Blobs above this size are uploaded in PATCH chunks of this size (default 8 MiB). */
  chunkSize?: number;
  fetch?: typeof fetch;
  /** Where DOCKER_CONFIG is read from, for the hint about credential helpers (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface FetchedManifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

export type BlobContent = Uint8Array | AsyncIterable<Uint8Array>;

/** Scopes for reading a repository, and for pushing to one (optionally mounting from another). */
export const pullScope = (repository: string) => `repository:${repository}:pull`;
export const pushScope = (repository: string) => `repository:${repository}:pull,push`;

export class RegistryClient {
  readonly registry: string;
  readonly baseUrl: string;
  readonly chunkSize: number;
  private readonly credentials: Credentials | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly env: NodeJS.ProcessEnv;
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, string>();

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    this.baseUrl = registryBaseUrl(options.registry, options.insecure);
    this.credentials = options.credentials;
    this.chunkSize = options.chunkSize ?? 8 * 1024 * 1024;
    this.fetchImpl = options.fetch ?? fetch;
    this.env = options.env ?? process.env;
  }

  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const response = await this.send('GET', `/v2/${repository}/manifests/${reference}`, {
      scopes: [pullScope(repository)],
      headers: { accept: MANIFEST_ACCEPT },
      action: `read manifest ${this.registry}/${repository}:${reference}`,
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new RegistryError(`manifest ${this.registry}/${repository}@${reference} has digest ${digest}: the registry returned other content`);
    }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim() || (JSON.parse(bytes.toString()) as { mediaType?: string }).mediaType || '';
    return { mediaType, digest, bytes };
  }

  async blobExists(repository: string, digest: string): Promise<boolean> {
    const response = await this.send('HEAD', `/v2/${repository}/blobs/${digest}`, {
      scopes: [pushScope(repository)],
      allow: [404],
      action: `check blob ${digest} in ${this.registry}/${repository}`,
    });
    return response.status === 200;
  }

  /** The blob's bytes, checked against its digest. */
  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const response = await this.send('GET', `/v2/${repository}/blobs/${digest}`, {
      scopes: [pullScope(repository)],
      action: `read blob ${digest} from ${this.registry}/${repository}`,
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (sha256Digest(bytes) !== digest) throw new RegistryError(`blob ${digest} from ${this.registry}/${repository} does not match its digest`);
    return bytes;
  }

  /** The blob as a stream (for copying large layers between registries). */
  async streamBlob(repository: string, digest: string): Promise<AsyncIterable<Uint8Array>> {
    const response = await this.send('GET', `/v2/${repository}/blobs/${digest}`, {
      scopes: [pullScope(repository)],
      action: `read blob ${digest} from ${this.registry}/${repository}`,
    });
    if (!response.body) throw new RegistryError(`blob ${digest} from ${this.registry}/${repository} has no body`);
    return response.body as unknown as AsyncIterable<Uint8Array>;
  }

  /**
   * Asks the registry to link a blob from another repository it already holds:
   * true when mounted (nothing to upload), false when an upload is needed.
   */
  async mountBlob(repository: string, digest: string, fromRepository: string): Promise<boolean> {
    const query = new URLSearchParams({ mount: digest, from: fromRepository });
    const response = await this.send('POST', `/v2/${repository}/blobs/uploads/?${query}`, {
      scopes: [pushScope(repository), pullScope(fromRepository)],
      headers: { 'content-length': '0' },
      action: `mount blob ${digest} from ${fromRepository} into ${this.registry}/${repository}`,
    });
    if (response.status === 201) return true;
    // 202: the registry opened an upload instead; cancel it, the caller uploads.
    const location = response.headers.get('location');
    if (location) await this.send('DELETE', location, { scopes: [pushScope(repository)], allow: [404, 405], action: 'cancel upload' }).catch(() => undefined);
    return false;
  }

  /**
   * Uploads a blob: one PUT when it is small, PATCH chunks then a closing PUT
   * when it is large or streamed. `onProgress` gets the bytes sent so far.
   */
  async uploadBlob(
    repository: string,
    digest: string,
    size: number,
    content: BlobContent,
    onProgress: (sent: number) => void = () => {},
  ): Promise<void> {
    const scopes = [pushScope(repository)];
    const action = `upload blob ${digest} to ${this.registry}/${repository}`;
    const start = await this.send('POST', `/v2/${repository}/blobs/uploads/`, { scopes, headers: { 'content-length': '0' }, action });
    let location = this.uploadLocation(start, action);
    if (content instanceof Uint8Array && content.length <= this.chunkSize) {
      await this.send('PUT', withDigest(location, digest), {
        scopes,
        body: content,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(content.length) },
        action,
      });
      onProgress(content.length);
      return;
    }
    let sent = 0;
    for await (const chunk of chunks(content, this.chunkSize)) {
      const response = await this.send('PATCH', location, {
        scopes,
        body: chunk,
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(chunk.length),
          'content-range': `${sent}-${sent + chunk.length - 1}`,
        },
        action,
      });
      location = this.uploadLocation(response, action);
      sent += chunk.length;
      onProgress(sent);
    }
    if (sent !== size) throw new RegistryError(`${action}: sent ${sent} bytes, expected ${size}`);
    await this.send('PUT', withDigest(location, digest), { scopes, headers: { 'content-length': '0' }, action });
  }

  /** The digest a tag or digest points at, or undefined when there is none (HEAD, no body). */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const response = await this.send('HEAD', `/v2/${repository}/manifests/${reference}`, {
      scopes: [pushScope(repository)],
      headers: { accept: MANIFEST_ACCEPT },
      allow: [404],
      action: `check manifest ${this.registry}/${repository}:${reference}`,
    });
    return response.status === 200 ? (response.headers.get('docker-content-digest') ?? undefined) : undefined;
  }

  /** PUTs a manifest or index under a tag or digest; returns the digest the registry computed. */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const response = await this.send('PUT', `/v2/${repository}/manifests/${reference}`, {
      scopes: [pushScope(repository)],
      body: bytes,
      headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
      action: `push manifest ${this.registry}/${repository}:${reference}`,
    });
    const expected = sha256Digest(bytes);
    const returned = response.headers.get('docker-content-digest');
    if (returned && returned !== expected) {
      throw new RegistryError(`${this.registry} stored the manifest under ${returned}, expected ${expected}`);
    }
    return expected;
  }

  private uploadLocation(response: Response, action: string): string {
    const location = response.headers.get('location');
    if (!location) throw new RegistryError(`${action}: the registry sent no upload Location`);
    return location;
  }

  /** One request with auth: reuses a token for these scopes, else answers the 401 challenge once. */
  private async send(
    method: string,
    pathOrUrl: string,
    options: { scopes: string[]; headers?: Record<string, string>; body?: Uint8Array; allow?: number[]; action: string },
  ): Promise<Response> {
    const url = new URL(pathOrUrl, this.baseUrl).toString();
    const scopeKey = [...options.scopes].sort().join(' ');
    let authorization = this.tokens.get(scopeKey);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method,
          headers: { ...options.headers, ...(authorization ? { authorization } : {}) },
          ...(options.body ? { body: options.body } : {}),
          redirect: 'follow',
        });
      } catch (error) {
        throw networkFailure(this.registry, url, error);
      }
      if (response.ok || options.allow?.includes(response.status)) return response;
      const body = method === 'HEAD' ? '' : await response.text().catch(() => '');
      if (response.status === 401 && attempt === 0) {
        const challenge = parseChallenge(response.headers.get('www-authenticate'));
        if (challenge) {
          this.challenge = challenge;
          authorization = await this.authorize(options.scopes);
          this.tokens.set(scopeKey, authorization);
          continue;
        }
      }
      throw httpFailure({
        registry: this.registry,
        action: options.action,
        status: response.status,
        body,
        authNote: response.status === 401 ? credentialHelperNote(this.registry, this.env) : undefined,
        hasCredentials: this.credentials !== undefined,
      });
    }
  }

  /** The Authorization header for a challenge: Basic as is, Bearer through the token endpoint. */
  private async authorize(scopes: string[]): Promise<string> {
    const challenge = this.challenge!;
    if (challenge.scheme === 'basic') {
      if (!this.credentials) {
        throw new RegistryError(
          `${this.registry} needs credentials: run \`docker login ${this.registry}\` or set REGISTRY_USERNAME and REGISTRY_PASSWORD`,
          401,
        );
      }
      return basicAuthorization(this.credentials);
    }
    const url = tokenUrl(challenge, scopes);
    let response: Response;
    try {
      response = await this.fetchImpl(url, { headers: this.credentials ? { authorization: basicAuthorization(this.credentials) } : {} });
    } catch (error) {
      throw networkFailure(this.registry, new URL(url).origin, error);
    }
    if (!response.ok) {
      throw httpFailure({
        registry: this.registry,
        action: `get a token from ${new URL(url).origin}`,
        status: response.status,
        body: await response.text().catch(() => ''),
        authNote: credentialHelperNote(this.registry, this.env),
        hasCredentials: this.credentials !== undefined,
      });
    }
    const json = (await response.json()) as { token?: string; access_token?: string };
    const token = json.token ?? json.access_token;
    if (!token) throw new RegistryError(`the token endpoint of ${this.registry} returned no token`);
    return `Bearer ${token}`;
  }
}

function withDigest(location: string, digest: string): string {
  return `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}

/** Re-slices any content into pieces of exactly `size` bytes (the last may be shorter). */
export async function* chunks(content: BlobContent, size: number): AsyncGenerator<Buffer> {
  if (content instanceof Uint8Array) {
    for (let offset = 0; offset < content.length; offset += size) yield Buffer.from(content.subarray(offset, offset + size));
    return;
  }
  let pending: Buffer[] = [];
  let pendingLength = 0;
  for await (const piece of content) {
    pending.push(Buffer.from(piece));
    pendingLength += piece.length;
    while (pendingLength >= size) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, size);
      pending = [all.subarray(size)];
      pendingLength = all.length - size;
    }
  }
  if (pendingLength > 0) yield Buffer.concat(pending);
}
