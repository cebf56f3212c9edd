import { SERVING_GROUP } from '@hands-on-knative/knative';
import type { ResourceName } from '../contracts.js';

/** What the store and the API need to know about each resource they keep. */
export interface ResourceInfo {
  resource: ResourceName;
  kind: string;
  listKind: string;
  singular: string;
  /** '' for the core group. */
  group: string;
  version: string;
  apiVersion: string;
  namespaced: boolean;
  /** metadata.generation is kept (and bumped on spec change) only for kinds with a spec. */
  tracksGeneration: boolean;
  /** Kinds with a /status subresource: writes to the main resource leave status alone. */
  hasStatusSubresource: boolean;
}

const knative = (resource: ResourceName, kind: string, singular: string): ResourceInfo => ({
  resource,
  kind,
  listKind: `${kind}List`,
  singular,
  group: SERVING_GROUP,
  version: 'v1',
  apiVersion: 'serving.knative.dev/v1',
  namespaced: true,
  tracksGeneration: true,
  hasStatusSubresource: true,
});

export const RESOURCES: Readonly<Record<ResourceName, ResourceInfo>> = {
  services: knative('services', 'Service', 'service'),
  configurations: knative('configurations', 'Configuration', 'configuration'),
  revisions: knative('revisions', 'Revision', 'revision'),
  routes: knative('routes', 'Route', 'route'),
  secrets: {
    resource: 'secrets',
    kind: 'Secret',
    listKind: 'SecretList',
    singular: 'secret',
    group: '',
    version: 'v1',
    apiVersion: 'v1',
    namespaced: true,
    tracksGeneration: false,
    hasStatusSubresource: false,
  },
  namespaces: {
    resource: 'namespaces',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    singular: 'namespace',
    group: '',
    version: 'v1',
    apiVersion: 'v1',
    namespaced: false,
    tracksGeneration: false,
    hasStatusSubresource: true,
  },
};

export const RESOURCE_NAMES = Object.keys(RESOURCES) as ResourceName[];

export function resourceForKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return Object.values(RESOURCES).find((r) => r.apiVersion === apiVersion && r.kind === kind);
}
