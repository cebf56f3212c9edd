// The Service reconciler's pure parts (knative/serving pkg/reconciler/service/service.go and
// resources/configuration.go, resources/route.go; status rules from
// pkg/apis/serving/v1/service_lifecycle.go).
import { CONDITION_SETS, ConditionManager, READY, ServiceConditions, getCondition } from '../conditions.js';
import { defaultServiceTraffic } from '../defaults.js';
import { Labels, SERVING_V1, type Configuration, type Route, type Service, type ServiceStatus, type TrafficTarget } from '../types.js';
import { controllerRef, inheritableAnnotations, isControlledBy } from './owner.js';

function childLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = { ...service.metadata.labels, [Labels.service]: service.metadata.name };
  if (service.metadata.uid) labels[Labels.serviceUID] = service.metadata.uid;
  return labels;
}

function childMeta(service: Service) {
  const meta: Configuration['metadata'] = {
    name: service.metadata.name,
    labels: childLabels(service),
    ownerReferences: [controllerRef(service)],
  };
  if (service.metadata.namespace) meta.namespace = service.metadata.namespace;
  const annotations = inheritableAnnotations(service.metadata.annotations);
  if (annotations) meta.annotations = annotations;
  return meta;
}

/** MakeConfiguration: the Configuration named after the Service, owning its template. */
export function makeConfiguration(service: Service): Configuration {
  return {
    apiVersion: SERVING_V1,
    kind: 'Configuration',
    metadata: childMeta(service),
    spec: { template: structuredClone(service.spec?.template ?? {}) },
  };
}

/** MakeRoute: the Route named after the Service; targets without a revision follow its Configuration. */
export function makeRoute(service: Service): Route {
  const traffic: TrafficTarget[] = defaultServiceTraffic(service.spec?.traffic).map((t) =>
    t.revisionName ? { ...t } : { ...t, configurationName: service.metadata.name },
  );
  return { apiVersion: SERVING_V1, kind: 'Route', metadata: childMeta(service), spec: { traffic } };
}

/** The semantic equality the reconciler uses before updating a child (spec, labels, annotations). */
export function childNeedsUpdate(desired: Configuration | Route, existing: Configuration | Route): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
  return (
    !same(desired.spec, existing.spec) ||
    !same(sortKeys(desired.metadata.labels), sortKeys(existing.metadata.labels)) ||
    !same(sortKeys(desired.metadata.annotations), sortKeys(existing.metadata.annotations))
  );
}

function sortKeys(map: Record<string, string> | undefined): Record<string, string> | undefined {
  return map && Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const NOT_OWNED = (kind: string, name: string) => `There is an existing ${kind} ${JSON.stringify(name)} that we do not own.`;

/**
 * The Service's status from its (already created or updated) Configuration and Route, as
 * ReconcileKind computes it. `configuration`/`route` are the stored children, with their status.
 */
export function reconcileServiceStatus(
  service: Service,
  configuration: Configuration | undefined,
  route: Route | undefined,
  now: string,
): ServiceStatus {
  const previous = service.status ?? {};
  const status: ServiceStatus = { ...structuredClone(previous) };
  const generation = service.metadata.generation ?? 0;
  const cm = new ConditionManager(previous.conditions, CONDITION_SETS.Service, now).initialize();
  const finish = (): ServiceStatus => {
    status.conditions = cm.conditions;
    status.observedGeneration = generation;
    return status;
  };
  if (previous.observedGeneration !== generation) {
    // PreProcessReconcile (knative.dev/pkg reconciler/reconcile_common.go).
    cm.markUnknown(READY, 'NewObservedGenFailure', 'unsuccessfully observed a new generation');
  }

  if (!configuration) return finish();
  if (!isControlledBy(configuration.metadata, service)) {
    cm.markFalse(ServiceConditions.configurationsReady, 'NotOwned', NOT_OWNED('Configuration', configuration.metadata.name));
    return finish();
  }
  const configStatus = configuration.status ?? {};
  if ((configuration.metadata.generation ?? 0) !== configStatus.observedGeneration) {
    cm.markUnknown(ServiceConditions.configurationsReady, 'OutOfDate', 'The Configuration is still working to reflect the latest desired specification.');
    // With a BYO revision name the Route must wait for the Configuration (it names the revision).
    if (configuration.spec?.template?.metadata?.name) return finish();
  } else {
    // PropagateConfigurationStatus
    if (configStatus.latestCreatedRevisionName) status.latestCreatedRevisionName = configStatus.latestCreatedRevisionName;
    if (configStatus.latestReadyRevisionName) status.latestReadyRevisionName = configStatus.latestReadyRevisionName;
    const cc = getCondition(configStatus.conditions, READY);
    if (cc?.status === 'True') cm.markTrue(ServiceConditions.configurationsReady);
    else if (cc?.status === 'False') cm.markFalse(ServiceConditions.configurationsReady, cc.reason ?? '', cc.message ?? '');
    else if (cc) cm.markUnknown(ServiceConditions.configurationsReady, cc.reason, cc.message);
  }

  if (!route) return finish();
  if (!isControlledBy(route.metadata, service)) {
    cm.markFalse(ServiceConditions.routesReady, 'NotOwned', NOT_OWNED('Route', route.metadata.name));
    return finish();
  }
  const routeStatus = route.status ?? {};
  if ((route.metadata.generation ?? 0) !== routeStatus.observedGeneration) {
    cm.markUnknown(ServiceConditions.routesReady, 'OutOfDate', 'The Route is still working to reflect the latest desired specification.');
  } else {
    // PropagateRouteStatus
    for (const key of ['url', 'address', 'traffic'] as const) {
      if (routeStatus[key] !== undefined) status[key] = structuredClone(routeStatus[key]) as never;
      else delete status[key];
    }
    const rc = getCondition(routeStatus.conditions, READY);
    if (rc?.status === 'True') cm.markTrue(ServiceConditions.routesReady);
    else if (rc?.status === 'False') cm.markFalse(ServiceConditions.routesReady, rc.reason ?? '', rc.message ?? '');
    else if (rc) cm.markUnknown(ServiceConditions.routesReady, rc.reason, rc.message);
  }
  if (!trafficMigrated(cm, configuration, route)) {
    cm.markUnknown(ServiceConditions.routesReady, 'TrafficNotMigrated', 'Traffic is not yet migrated to the latest revision.');
  }
  return finish();
}

/** checkRoutesNotReady: the Route's status must show the spec with latest targets resolved. */
function trafficMigrated(cm: ConditionManager, configuration: Configuration, route: Route): boolean {
  if (cm.get(ServiceConditions.routesReady)?.status !== 'True') return true;
  const want = route.spec?.traffic ?? [];
  const got = route.status?.traffic ?? [];
  if (want.length !== got.length) return false;
  const lrr = configuration.status?.latestReadyRevisionName;
  return want.every((w, i) => {
    const g = got[i]!;
    const revisionName = w.configurationName === configuration.metadata.name ? lrr : w.revisionName;
    return (
      (g.revisionName ?? '') === (revisionName ?? '') &&
      (g.tag ?? '') === (w.tag ?? '') &&
      (g.percent ?? 0) === (w.percent ?? 0) &&
      !g.configurationName
    );
  });
}
