// The local Knative controller: watches the ObjectStore and runs Knative's reconcilers
// (@hands-on-knative/knative, pure) in one pass over the store:
//   Services -> their Configuration and Route (created/updated, owned)
//   Configurations -> the Revision of each generation
//   Revisions -> status from the data plane (Ready, reasons, replicas); routingState labels
//   Configurations, Routes, Services -> status (conditions, latest*RevisionName, traffic, url)
//   DataPlane <- the runnable revisions and the routing table.
// Passes run after the store changes or the data plane reports, coalesced, until nothing changes.
import {
  Annotations,
  Labels,
  childNeedsUpdate,
  makeConfiguration,
  makeRoute,
  reconcileConfiguration,
  reconcileRoute,
  reconcileServiceStatus,
  referencedRevisions,
  revisionStatusFrom,
  routingStateOf,
  type Configuration,
  type Revision,
  type RevisionObservation,
  type Route,
  type Service,
} from '@hands-on-knative/knative';
import type { DataPlane, KubeObject, ObjectStore, ResourceName, RevisionRuntimeSpec, RevisionRuntimeStatus } from '../contracts.js';
import { RoutingTable } from './routing-table.js';
import { runtimeSpecFor } from './runtime-spec.js';

export interface ControllerOptions {
  store: ObjectStore;
  dataPlane: DataPlane;
  /** The domain of route hosts: `<svc>.<ns>.<domain>`; default "localhost". */
  domain?: string;
  /** The port in status URLs; default: the port of dataPlane.ingressUrl (omitted when 80). */
  urlPort?: number;
  /** Timestamps for conditions; default the system clock. */
  now?: () => Date;
  /** Problems the controller recovers from (conflicts, a bad object); default: ignored. */
  onError?: (error: unknown, context: string) => void;
}

export interface Controller {
  /** Subscribes to the store and the data plane and reconciles everything once. */
  start(): void;
  /** Unsubscribes; the data plane is left as it is (its owner closes it). */
  stop(): void;
  /** Resolves when no pass is pending or running. */
  idle(): Promise<void>;
  /** Runs one reconcile pass now (synchronously); returns how many writes it made. */
  reconcileNow(): number;
}

const MAX_PASSES_IN_A_ROW = 25;

const key = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function portOf(url: string): number | undefined {
  try {
    const port = new URL(url).port;
    return port ? Number(port) : undefined;
  } catch {
    return undefined;
  }
}

export function createController(options: ControllerOptions): Controller {
  const { store, dataPlane } = options;
  const domain = options.domain ?? 'localhost';
  const urlPort = options.urlPort ?? portOf(dataPlane.ingressUrl);
  const clock = options.now ?? (() => new Date());
  const onError = options.onError ?? (() => undefined);
  const observations = new Map<string, RevisionRuntimeStatus>();
  const routing = new RoutingTable();
  let lastRevisionSpecs = '';
  let lastRoutes = '';
  let unsubscribe: (() => void)[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  let running = false;
  let dirty = false;
  let idleWaiters: (() => void)[] = [];

  const now = () => clock().toISOString().replace(/\.\d+Z$/, 'Z');
  const list = <T>(resource: ResourceName) => store.list(resource) as unknown as T[];

  function write(context: string, action: () => KubeObject | undefined): boolean {
    try {
      action();
      return true;
    } catch (error) {
      // A conflict means someone else wrote first: the change event brings us back.
      onError(error, context);
      return false;
    }
  }

  function reconcileChildren(services: Service[]): number {
    let writes = 0;
    for (const service of services) {
      if (service.metadata.deletionTimestamp) continue;
      const ns = service.metadata.namespace ?? 'default';
      const pairs: [ResourceName, Configuration | Route][] = [
        ['configurations', makeConfiguration(service)],
        ['routes', makeRoute(service)],
      ];
      for (const [resource, desired] of pairs) {
        const existing = store.get(resource, ns, desired.metadata.name) as unknown as Configuration | Route | undefined;
        if (!existing) {
          if (write(`create ${resource} ${key(desired)}`, () => store.create(resource, desired as unknown as KubeObject))) writes++;
          continue;
        }
        const owned = existing.metadata.ownerReferences?.some((r) => r.controller && r.uid === service.metadata.uid);
        if (!owned || !childNeedsUpdate(desired, existing)) continue;
        const next = { ...existing, metadata: { ...existing.metadata, labels: desired.metadata.labels }, spec: desired.spec };
        if (desired.metadata.annotations) next.metadata.annotations = desired.metadata.annotations;
        else delete next.metadata.annotations;
        if (write(`update ${resource} ${key(desired)}`, () => store.update(resource, next as unknown as KubeObject))) writes++;
      }
    }
    return writes;
  }

  function createRevisions(configurations: Configuration[], revisions: Revision[]): number {
    let writes = 0;
    for (const config of configurations) {
      const ns = config.metadata.namespace ?? 'default';
      const { create } = reconcileConfiguration(config, revisions.filter((r) => (r.metadata.namespace ?? 'default') === ns), now());
      if (create && write(`create revision ${key(create)}`, () => store.create('revisions', create as unknown as KubeObject))) writes++;
    }
    return writes;
  }

  /** Revision statuses, and the specs the data plane can run (a missing secret fails the revision instead). */
  function reconcileRevisions(revisions: Revision[]): { writes: number; specs: RevisionRuntimeSpec[] } {
    let writes = 0;
    const specs: RevisionRuntimeSpec[] = [];
    const getSecret = (namespace: string, name: string) => store.get('secrets', namespace, name);
    for (const revision of revisions) {
      const runtime = runtimeSpecFor(revision, getSecret);
      let observation: RevisionObservation | undefined = observations.get(key(revision));
      if (runtime.ok) specs.push(runtime.spec);
      else observation = { phase: 'Failed', reason: runtime.reason, message: runtime.message, actualReplicas: 0, desiredReplicas: 0 };
      // After a restart the data plane has not reported yet: the stored status stands until it does.
      if (!observation && revision.status?.conditions?.length) continue;
      const status = revisionStatusFrom(revision, observation, now());
      if (!same(status, revision.status)) {
        const next = { ...revision, status } as unknown as KubeObject;
        if (write(`status of revision ${key(revision)}`, () => store.updateStatus('revisions', next))) writes++;
      }
    }
    return { writes, specs };
  }

  function reconcileConfigurationStatuses(configurations: Configuration[], revisions: Revision[]): number {
    let writes = 0;
    for (const config of configurations) {
      const ns = config.metadata.namespace ?? 'default';
      const { status } = reconcileConfiguration(config, revisions.filter((r) => (r.metadata.namespace ?? 'default') === ns), now());
      if (same(status, config.status)) continue;
      const next = { ...config, status } as unknown as KubeObject;
      if (write(`status of configuration ${key(config)}`, () => store.updateStatus('configurations', next))) writes++;
    }
    return writes;
  }

  function reconcileRoutes(routes: Route[], configurations: Configuration[], revisions: Revision[]): number {
    let writes = 0;
    routing.retain(new Set(routes.map((r) => RoutingTable.keyOf(r.metadata.namespace ?? 'default', r.metadata.name))));
    for (const route of routes) {
      const ns = route.metadata.namespace ?? 'default';
      const inNs = <T extends { metadata: { namespace?: string } }>(items: T[]) => items.filter((i) => (i.metadata.namespace ?? 'default') === ns);
      const ctx = { configurations: inNs(configurations), revisions: inNs(revisions), domain, now: now() };
      const trial = reconcileRoute(route, urlPort ? { ...ctx, urlPort } : ctx);
      const service = route.metadata.labels?.[Labels.service] ?? route.metadata.name;
      if (trial.hosts) routing.set(ns, route.metadata.name, service, trial.hosts);
      // The routing table is pushed in this same pass, so the ingress is ready with it.
      const ingressReady = routing.has(ns, route.metadata.name);
      const { status } = reconcileRoute(route, { ...ctx, ...(urlPort ? { urlPort } : {}), ingressReady });
      if (same(status, route.status)) continue;
      const next = { ...route, status } as unknown as KubeObject;
      if (write(`status of route ${key(route)}`, () => store.updateStatus('routes', next))) writes++;
    }
    return writes;
  }

  /** The labeler: routingState active/pending/reserve from what the routes reference. */
  function labelRevisions(revisions: Revision[], routes: Route[]): number {
    let writes = 0;
    const referencedIn = new Map<string, Set<string>>();
    for (const route of routes) {
      const ns = route.metadata.namespace ?? 'default';
      const names = referencedIn.get(ns) ?? new Set<string>();
      for (const name of referencedRevisions([route])) names.add(name);
      referencedIn.set(ns, names);
    }
    for (const revision of revisions) {
      const state = routingStateOf(revision, referencedIn.get(revision.metadata.namespace ?? 'default') ?? new Set());
      if (revision.metadata.labels?.[Labels.routingState] === state) continue;
      const next = {
        ...revision,
        metadata: {
          ...revision.metadata,
          labels: { ...revision.metadata.labels, [Labels.routingState]: state },
          annotations: { ...revision.metadata.annotations, [Annotations.routingStateModified]: now() },
        },
      } as unknown as KubeObject;
      if (write(`label revision ${key(revision)}`, () => store.update('revisions', next))) writes++;
    }
    return writes;
  }

  function reconcileServiceStatuses(services: Service[]): number {
    let writes = 0;
    for (const service of services) {
      const ns = service.metadata.namespace ?? 'default';
      const config = store.get('configurations', ns, service.metadata.name) as unknown as Configuration | undefined;
      const route = store.get('routes', ns, service.metadata.name) as unknown as Route | undefined;
      const status = reconcileServiceStatus(service, config, route, now());
      if (same(status, service.status)) continue;
      const next = { ...service, status } as unknown as KubeObject;
      if (write(`status of service ${key(service)}`, () => store.updateStatus('services', next))) writes++;
    }
    return writes;
  }

  function pushToDataPlane(specs: RevisionRuntimeSpec[]): void {
    const sorted = [...specs].sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
    const specsJson = JSON.stringify(sorted);
    const routes = routing.routes();
    const routesJson = JSON.stringify(routes);
    // Revisions first: a route must never point at a revision the data plane does not know.
    if (specsJson !== lastRevisionSpecs) {
      dataPlane.setRevisions(sorted);
      lastRevisionSpecs = specsJson;
    }
    if (routesJson !== lastRoutes) {
      dataPlane.setRoutes(routes);
      lastRoutes = routesJson;
    }
  }

  /** One pass; each step reads the store afresh so it sees the previous step's writes. */
  function reconcileNow(): number {
    let writes = reconcileChildren(list<Service>('services'));
    writes += createRevisions(list<Configuration>('configurations'), list<Revision>('revisions'));
    const revisionStep = reconcileRevisions(list<Revision>('revisions'));
    writes += revisionStep.writes;
    const revisions = list<Revision>('revisions');
    writes += reconcileConfigurationStatuses(list<Configuration>('configurations'), revisions);
    writes += reconcileRoutes(list<Route>('routes'), list<Configuration>('configurations'), revisions);
    for (const known of [...observations.keys()]) {
      if (!revisions.some((r) => key(r) === known)) observations.delete(known);
    }
    pushToDataPlane(revisionStep.specs);
    writes += labelRevisions(list<Revision>('revisions'), list<Route>('routes'));
    writes += reconcileServiceStatuses(list<Service>('services'));
    return writes;
  }

  function settle(): void {
    if (running || dirty || scheduled) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function runPasses(): void {
    scheduled = undefined;
    running = true;
    try {
      for (let pass = 0; pass < MAX_PASSES_IN_A_ROW; pass++) {
        dirty = false;
        let writes = 0;
        try {
          writes = reconcileNow();
        } catch (error) {
          onError(error, 'reconcile pass');
        }
        if (writes === 0 && !dirty) break;
        if (pass === MAX_PASSES_IN_A_ROW - 1) onError(new Error(`no steady state after ${MAX_PASSES_IN_A_ROW} passes`), 'reconcile');
      }
      // Our own writes marked us dirty; the last pass saw them and wrote nothing more.
      dirty = false;
    } finally {
      running = false;
    }
    settle();
  }

  function schedule(): void {
    if (running) {
      dirty = true;
      return;
    }
    scheduled ??= setImmediate(runPasses);
  }

  return {
    start() {
      if (unsubscribe.length > 0) return;
      unsubscribe = [
        // Store listeners run inside the store's commit: never write from there, only schedule.
        store.subscribe(() => schedule()),
        dataPlane.onRevisionStatus((status) => {
          const k = `${status.namespace}/${status.name}`;
          if (same(observations.get(k), status)) return;
          observations.set(k, { ...status });
          schedule();
        }),
      ];
      schedule();
    },
    stop() {
      for (const off of unsubscribe) off();
      unsubscribe = [];
      if (scheduled) clearImmediate(scheduled);
      scheduled = undefined;
      settle();
    },
    idle() {
      if (!running && !dirty && !scheduled) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    reconcileNow,
  };
}
