// What a resource handler needs to know about a request, free of sockets.
import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError } from './status.js';
import type { ResourceTarget } from './target.js';

export interface ApiRequest {
  method: string;
  target: ResourceTarget;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body?: Buffer;
}

export const APPLY_PATCH = 'application/apply-patch+yaml';
export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
export const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

export function contentType(request: ApiRequest): string {
  return String(request.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
}

/** The request body as JSON (or YAML for apply); protobuf is refused with what to do instead. */
export function parseBody(request: ApiRequest): unknown {
  const type = contentType(request);
  if (type === PROTOBUF) {
    throw new ApiError(
      'UnsupportedMediaType',
      'this local API accepts JSON bodies only, and kubectl sends protobuf for `kubectl create namespace` and `kubectl create secret`: ' +
        'write the object as YAML and use `kubectl apply -f <file>` (or `kubectl create secret ... --dry-run=client -o yaml | kubectl apply -f -`)',
    );
  }
  const text = request.body?.toString('utf8') ?? '';
  if (text.trim() === '') return undefined;
  try {
    return type === APPLY_PATCH || type.endsWith('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ApiError('BadRequest', `the request body could not be decoded: ${(error as Error).message.split('\n')[0]}`);
  }
}

export function wantsTable(request: ApiRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return accept.split(',').some((part) => /;\s*as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
}

export function isDryRun(request: ApiRequest, body?: unknown): boolean {
  if (request.query.getAll('dryRun').includes('All')) return true;
  const fromBody = (body as { dryRun?: unknown } | undefined)?.dryRun;
  return Array.isArray(fromBody) && fromBody.includes('All');
}

/** The field manager: the fieldManager query parameter, else the client's name from its User-Agent. */
export function fieldManagerOf(request: ApiRequest): string {
  const given = request.query.get('fieldManager');
  const manager = given ?? (String(request.headers['user-agent'] ?? 'unknown').split('/')[0] || 'unknown');
  if (manager.length > 128) throw new ApiError('Invalid', 'fieldManager: Too long: may not be longer than 128 characters');
  return manager;
}
