// The HTTPS server: bearer-token auth, body limits, routing to discovery,
// resource handlers and watches, every error as a Status.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SqliteObjectStore } from '../store/index.js';
import { credentialFiles, loadOrCreateCredentials, writeKubeconfig } from './credentials.js';
import { handleResource, type ApiContext } from './handlers.js';
import { emptyPodSource, type PodSource } from './pods.js';
import type { ApiRequest } from './request.js';
import { ApiError, toApiError } from './status.js';
import { parseTarget } from './target.js';
import { knativeValidate, type Validate } from './validation.js';
import { startWatch, type OpenWatch } from './watch.js';

export interface ApiServerOptions {
  store: SqliteObjectStore;
  /** Where the kubeconfig, token, certificate and key live (usually the store's state folder). */
  stateDir: string;
  /** Default 127.0.0.1: only this machine can connect. */
  host?: string;
  /** Default 0: any free port (read it from the result). */
  port?: number;
  validate?: Validate;
  pods?: PodSource;
  /** Request bodies above this are refused with 413. Default 3 MiB, as the API server. */
  maxBodyBytes?: number;
  /** New token and certificate even if the state folder has some. */
  rotateCredentials?: boolean;
  /** Upper bound of a watch's life. Default 1800 s. */
  maxWatchSeconds?: number;
  /** How often a watch that allows bookmarks gets one. Default 30 s. */
  bookmarkIntervalMs?: number;
  /** One line per request (method, path, status); never headers or bodies. */
  log?: (line: string) => void;
  now?: () => Date;
}

export interface ApiServer {
  /** e.g. https://127.0.0.1:6443 */
  readonly url: string;
  readonly port: number;
  /** `<stateDir>/kubeconfig`, mode 0600. */
  readonly kubeconfigPath: string;
  close(): Promise<void>;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  response.end(text);
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new ApiError('RequestEntityTooLarge', `the request body is larger than ${limit} bytes`));
      request.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new ApiError('RequestEntityTooLarge', `the request body is larger than ${limit} bytes`));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const credentials = await loadOrCreateCredentials(options.stateDir, { rotate: options.rotateCredentials ?? false });
  const expected = digest(`Bearer ${credentials.token}`);
  const context: ApiContext = {
    store: options.store,
    validate: options.validate ?? knativeValidate,
    pods: options.pods ?? emptyPodSource,
    now: options.now ?? (() => new Date()),
  };
  const maxBody = options.maxBodyBytes ?? 3 * 1024 * 1024;
  const log = options.log ?? (() => {});
  const watches = new Set<OpenWatch>();

  // Constant-time: both sides are hashed to the same length before comparing.
  const authorized = (request: IncomingMessage): boolean => timingSafeEqual(digest(String(request.headers.authorization ?? '')), expected);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'https://localhost');
    const method = (request.method ?? 'GET').toUpperCase();
    response.on('finish', () => log(`${method} ${url.pathname} ${response.statusCode}`));
    const target = parseTarget(url.pathname);
    const isPublic = (target.type === 'document' && target.public) || target.type === 'health';
    if (!isPublic && !authorized(request)) throw new ApiError('Unauthorized', 'Unauthorized');
    if (target.type === 'health') {
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    if (target.type === 'document') {
      if (method !== 'GET') throw new ApiError('MethodNotAllowed', `${method} is not allowed on ${url.pathname}`);
      sendJson(response, 200, target.body);
      return;
    }
    if (target.type === 'openapi-v2') {
      // kubectl asks v2 (as protobuf) for a group-version that /openapi/v3 does not
      // list, e.g. the blog's serving.knative.dev/v1alpha1. An empty document (zero
      // protobuf bytes) says "no schema": kubectl then maps the kind and reports,
      // as against a real cluster, no matches for kind "Service" in that version.
      const protobuf = (request.headers.accept ?? '').includes('protobuf');
      const body = protobuf ? Buffer.alloc(0) : Buffer.from(JSON.stringify({ swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths: {} }));
      response.writeHead(200, {
        'Content-Type': protobuf ? 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' : 'application/json',
        'Content-Length': body.length,
      });
      response.end(body);
      return;
    }
    if (target.type === 'unknown') throw new ApiError('NotFound', 'the server could not find the requested resource');
    const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
    const apiRequest: ApiRequest = {
      method,
      target: target.target,
      query: url.searchParams,
      headers: request.headers,
      ...(hasBody ? { body: await readBody(request, maxBody) } : {}),
    };
    const watch = url.searchParams.get('watch');
    if (method === 'GET' && (watch === 'true' || watch === '1')) {
      const open = startWatch(context, apiRequest, response, {
        maxTimeoutSeconds: options.maxWatchSeconds ?? 1800,
        bookmarkIntervalMs: options.bookmarkIntervalMs ?? 30_000,
      });
      watches.add(open);
      response.on('close', () => watches.delete(open));
      return;
    }
    const result = handleResource(context, apiRequest);
    if (typeof result.body === 'string') response.writeHead(result.status, { 'Content-Type': 'text/plain' }).end(result.body);
    else sendJson(response, result.status, result.body);
  };

  const server: Server = createServer({ key: credentials.privateKey, cert: credentials.certificate }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      const apiError = toApiError(error);
      if (apiError.reason === 'InternalError') log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
      if (response.headersSent) response.end();
      else sendJson(response, apiError.code, apiError.toStatus());
    });
  });
  server.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  const advertised = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
  const url = `https://${advertised}:${address.port}`;
  const kubeconfigPath = credentialFiles(options.stateDir).kubeconfig;
  writeKubeconfig(kubeconfigPath, url, credentials);

  return {
    url,
    port: address.port,
    kubeconfigPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const open of watches) open.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
