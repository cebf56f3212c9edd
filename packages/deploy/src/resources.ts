// The kinds pnpm apply knows, and where each lives in the API. Knative kinds go
// through CustomObjectsApi (client-node 1.x's generic object API maps
// serving.knative.dev Service onto core V1Service and drops its spec); core
// kinds through CoreV1Api.
// The types module only: the status and error paths must not load the YAML parser.
import { SERVING_GROUP } from '@hands-on-knative/knative/types';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  /** '' for core v1. */
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  /** Knative kinds have a Ready condition worth waiting for. */
  waitable: boolean;
}

const knative = (kind: string, plural: string): ResourceRef => ({
  apiVersion: 'serving.knative.dev/v1',
  kind,
  group: SERVING_GROUP,
  version: 'v1',
  plural,
  namespaced: true,
  waitable: true,
});

const core = (kind: string, plural: string, namespaced: boolean): ResourceRef => ({
  apiVersion: 'v1',
  kind,
  group: '',
  version: 'v1',
  plural,
  namespaced,
  waitable: false,
});

export const SERVICES = knative('Service', 'services');
export const CONFIGURATIONS = knative('Configuration', 'configurations');
export const REVISIONS = knative('Revision', 'revisions');
export const ROUTES = knative('Route', 'routes');
export const NAMESPACES = core('Namespace', 'namespaces', false);
export const SECRETS = core('Secret', 'secrets', true);
export const CONFIG_MAPS = core('ConfigMap', 'configmaps', true);

/** What `pnpm apply` accepts (Revisions are made by Configurations, not applied). */
export const APPLICABLE: readonly ResourceRef[] = [SERVICES, CONFIGURATIONS, ROUTES, NAMESPACES, SECRETS, CONFIG_MAPS];

export function resourceFor(apiVersion: unknown, kind: unknown): ResourceRef | undefined {
  return APPLICABLE.find((r) => r.apiVersion === apiVersion && r.kind === kind);
}

/** Namespaces first, then what Services read (Secrets, ConfigMaps), then Knative objects: as kubectl orders them. */
export function applyOrder(ref: ResourceRef): number {
  if (ref.kind === 'Namespace') return 0;
  if (!ref.waitable) return 1;
  return 2;
}

/** e.g. services.serving.knative.dev, secrets */
export const qualifiedName = (ref: ResourceRef): string => (ref.group ? `${ref.plural}.${ref.group}` : ref.plural);
