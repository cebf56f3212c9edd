// Discovery documents: what kubectl reads to learn which resources exist, their
// short names and categories (`ksvc`, `get all`), and a minimal OpenAPI v3
// that lets plain `kubectl apply` leave validation to the server.
import { createHash } from 'node:crypto';
import { RESOURCES, type ResourceInfo } from '../store/index.js';

export { SERVING_GROUP as KNATIVE_GROUP } from '@hands-on-knative/knative';
import { SERVING_GROUP as KNATIVE_GROUP } from '@hands-on-knative/knative';

/** minor 32 makes the kubectl dispatcher pick its default v1.32 client. */
export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-local-serving',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

interface DiscoveryEntry {
  info?: ResourceInfo;
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

const WRITE_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS_VERBS = ['get', 'patch', 'update'];
const KNATIVE_CATEGORIES = ['all', 'knative', 'serving'];

const knative = (info: ResourceInfo, shortNames: string[]): DiscoveryEntry => ({
  info,
  name: info.resource,
  singularName: info.singular,
  namespaced: true,
  kind: info.kind,
  verbs: WRITE_VERBS,
  shortNames,
  categories: KNATIVE_CATEGORIES,
});

const KNATIVE_ENTRIES: DiscoveryEntry[] = [
  knative(RESOURCES.services, ['kservice', 'ksvc']),
  knative(RESOURCES.configurations, ['config', 'cfg']),
  knative(RESOURCES.revisions, ['rev']),
  knative(RESOURCES.routes, ['rt']),
];

const CORE_ENTRIES: DiscoveryEntry[] = [
  { info: RESOURCES.namespaces, name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: WRITE_VERBS, shortNames: ['ns'] },
  { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'watch'], shortNames: ['po'], categories: ['all'] },
  { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
  { info: RESOURCES.secrets, name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret', verbs: WRITE_VERBS },
];

function resourceList(groupVersion: string, entries: DiscoveryEntry[]): unknown {
  const resources = entries.flatMap(({ info, ...entry }) => {
    const hash = createHash('sha256').update(`${groupVersion}/${entry.name}`).digest('base64').slice(0, 11);
    const main = entry.name.includes('/') ? entry : { ...entry, storageVersionHash: hash };
    return info?.hasStatusSubresource
      ? [main, { name: `${entry.name}/status`, singularName: '', namespaced: entry.namespaced, kind: entry.kind, verbs: STATUS_VERBS }]
      : [main];
  });
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

export const coreResourceList = (): unknown => resourceList('v1', CORE_ENTRIES);
export const knativeResourceList = (): unknown => resourceList(`${KNATIVE_GROUP}/v1`, KNATIVE_ENTRIES);

export const apiVersions = (): unknown => ({
  kind: 'APIVersions',
  versions: ['v1'],
  serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }],
});

export const apiGroupList = (): unknown => {
  const version = { groupVersion: `${KNATIVE_GROUP}/v1`, version: 'v1' };
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: KNATIVE_GROUP, versions: [version], preferredVersion: version }] };
};

export const apiGroup = (): unknown => {
  const version = { groupVersion: `${KNATIVE_GROUP}/v1`, version: 'v1' };
  return { kind: 'APIGroup', apiVersion: 'v1', name: KNATIVE_GROUP, versions: [version], preferredVersion: version };
};

function gvDocument(prefix: string, group: string, entries: DiscoveryEntry[]): unknown {
  const paths: Record<string, unknown> = {};
  for (const entry of entries) {
    if (!entry.info) continue;
    const gvk = { group, version: 'v1', kind: entry.kind };
    const item = entry.namespaced ? `${prefix}/namespaces/{namespace}/${entry.name}/{name}` : `${prefix}/${entry.name}/{name}`;
    const parameters = [
      { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
    ];
    paths[item] = {
      get: { 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } } },
      patch: { 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk, parameters, responses: { '200': { description: 'OK' } } },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: VERSION_INFO.gitVersion }, paths, components: { schemas: {} } };
}

const CORE_DOC = gvDocument('/api/v1', '', CORE_ENTRIES);
const KNATIVE_DOC = gvDocument(`/apis/${KNATIVE_GROUP}/v1`, KNATIVE_GROUP, KNATIVE_ENTRIES);
const hashOf = (doc: unknown): string => createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 32).toUpperCase();

export const openApiRoot = (): unknown => ({
  paths: {
    'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${hashOf(CORE_DOC)}` },
    [`apis/${KNATIVE_GROUP}/v1`]: { serverRelativeURL: `/openapi/v3/apis/${KNATIVE_GROUP}/v1?hash=${hashOf(KNATIVE_DOC)}` },
  },
});

/** The OpenAPI v3 document of a group-version path (`api/v1`, `apis/serving.knative.dev/v1`), if served. */
export function openApiDocument(path: string): unknown {
  if (path === 'api/v1') return CORE_DOC;
  if (path === `apis/${KNATIVE_GROUP}/v1`) return KNATIVE_DOC;
  return undefined;
}
