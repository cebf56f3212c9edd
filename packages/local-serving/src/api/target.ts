// Maps a request path to what it addresses: a discovery document, or a
// resource collection, item or subresource.
import { ApiError } from './status.js';
import type { ResourceName } from '../contracts.js';
import {
  KNATIVE_GROUP,
  VERSION_INFO,
  apiGroup,
  apiGroupList,
  apiVersions,
  coreResourceList,
  knativeResourceList,
  openApiDocument,
  openApiRoot,
} from './discovery.js';

export type ServedResource = ResourceName | 'pods';

export interface ResourceTarget {
  resource: ServedResource;
  /** Undefined for cluster-scoped resources and for lists across all namespaces. */
  namespace?: string;
  name?: string;
  subresource?: string;
}

export type Target =
  | { type: 'document'; body: unknown; public: boolean }
  | { type: 'health' }
  | { type: 'openapi-v2' }
  | { type: 'resource'; target: ResourceTarget }
  | { type: 'unknown' };

const CORE: Record<string, { resource: ServedResource; namespaced: boolean }> = {
  namespaces: { resource: 'namespaces', namespaced: false },
  secrets: { resource: 'secrets', namespaced: true },
  pods: { resource: 'pods', namespaced: true },
};
const KNATIVE: Record<string, { resource: ServedResource; namespaced: boolean }> = {
  services: { resource: 'services', namespaced: true },
  configurations: { resource: 'configurations', namespaced: true },
  revisions: { resource: 'revisions', namespaced: true },
  routes: { resource: 'routes', namespaced: true },
};

function resourcePath(segments: string[], known: typeof CORE): Target {
  const bad: Target = { type: 'unknown' };
  if (segments[0] === 'namespaces' && segments.length >= 3 && known[segments[2]!]?.namespaced) {
    const [, namespace, resource, name, subresource, ...rest] = segments;
    if (rest.length > 0) return bad;
    return { type: 'resource', target: { resource: known[resource!]!.resource, namespace, name, subresource } };
  }
  const [resource, name, subresource, ...rest] = segments;
  const entry = known[resource ?? ''];
  if (!entry || rest.length > 0) return bad;
  // A namespaced resource without a namespace is only a list across namespaces.
  if (entry.namespaced && name !== undefined) return bad;
  return { type: 'resource', target: { resource: entry.resource, name, subresource } };
}

export function parseTarget(pathname: string): Target {
  const path = pathname.replace(/\/+$/, '') || '/';
  switch (path) {
    case '/version':
      return { type: 'document', body: VERSION_INFO, public: true };
    case '/healthz':
    case '/livez':
    case '/readyz':
      return { type: 'health' };
    case '/api':
      return { type: 'document', body: apiVersions(), public: false };
    case '/api/v1':
      return { type: 'document', body: coreResourceList(), public: false };
    case '/apis':
      return { type: 'document', body: apiGroupList(), public: false };
    case `/apis/${KNATIVE_GROUP}`:
      return { type: 'document', body: apiGroup(), public: false };
    case `/apis/${KNATIVE_GROUP}/v1`:
      return { type: 'document', body: knativeResourceList(), public: false };
    case '/openapi/v3':
      return { type: 'document', body: openApiRoot(), public: false };
    case '/openapi/v2':
      return { type: 'openapi-v2' };
  }
  if (path.startsWith('/openapi/v3/')) {
    const body = openApiDocument(path.slice('/openapi/v3/'.length));
    return body ? { type: 'document', body, public: false } : { type: 'unknown' };
  }
  let segments: string[];
  try {
    segments = path.split('/').slice(1).map(decodeURIComponent);
  } catch {
    throw new ApiError('BadRequest', 'the path has a malformed %-escape');
  }
  if (segments[0] === 'api' && segments[1] === 'v1') return resourcePath(segments.slice(2), CORE);
  if (segments[0] === 'apis' && segments[1] === KNATIVE_GROUP && segments[2] === 'v1') return resourcePath(segments.slice(3), KNATIVE);
  return { type: 'unknown' };
}
