// What Knative's defaulting webhook adds before validation and storage
// (knative/serving pkg/apis/serving/v1/*_defaults.go, config-defaults).
import type { AnyObject, RevisionSpec, TrafficTarget } from './types.js';

/** config-defaults revision-timeout-seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 300;
/** config-defaults container-concurrency (0 = unlimited). */
export const DEFAULT_CONTAINER_CONCURRENCY = 0;

/** RevisionSpec.SetDefaults (the parts that change behaviour here). */
export function defaultRevisionSpec(spec: RevisionSpec | undefined): RevisionSpec {
  return {
    ...spec,
    timeoutSeconds: spec?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    containerConcurrency: spec?.containerConcurrency ?? DEFAULT_CONTAINER_CONCURRENCY,
  };
}

/**
 * RouteSpec.SetDefaults inside a Service: no traffic means 100% to the latest revision,
 * and each target's latestRevision defaults to "no revisionName".
 */
export function defaultServiceTraffic(traffic: readonly TrafficTarget[] | undefined): TrafficTarget[] {
  const list = traffic && traffic.length > 0 ? traffic : [{ percent: 100, latestRevision: true }];
  return list.map((t) => ({ ...t, latestRevision: t.latestRevision ?? !t.revisionName }));
}

/** A copy of a Service/Configuration/Route with the defaults applied; other objects are copied as is. */
export function applyDefaults<T extends AnyObject>(object: T): T {
  const copy = structuredClone(object) as T & { spec?: Record<string, unknown> };
  const spec = copy.spec;
  if (!spec || typeof spec !== 'object') return copy;
  if (copy.kind === 'Service' || copy.kind === 'Configuration') {
    const template = (spec.template ?? {}) as { spec?: RevisionSpec };
    spec.template = { ...template, spec: defaultRevisionSpec(template.spec) };
  }
  if (copy.kind === 'Service') spec.traffic = defaultServiceTraffic(spec.traffic as TrafficTarget[] | undefined);
  if (copy.kind === 'Route' && Array.isArray(spec.traffic)) {
    spec.traffic = (spec.traffic as TrafficTarget[]).map((t) => ({ ...t, latestRevision: t.latestRevision ?? !t.revisionName }));
  }
  if (copy.kind === 'Revision') copy.spec = defaultRevisionSpec(spec as RevisionSpec) as typeof spec;
  return copy;
}
