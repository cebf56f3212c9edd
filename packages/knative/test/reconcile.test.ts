// The reconcilers' rules, checked against knative/serving's own behaviour and messages:
// pkg/reconciler/service/service.go, configuration/configuration.go, route/traffic/traffic.go,
// and the lifecycle files (service_lifecycle.go, configuration_lifecycle.go, route_lifecycle.go,
// revision_lifecycle.go). The objects are moved through the reconcilers by hand, as Knative's
// table tests do, with the store's bookkeeping (generation, uid) written out explicitly.
import { describe, expect, it } from 'vitest';
import {
  getCondition,
  makeConfiguration,
  makeRoute,
  reconcileConfiguration,
  reconcileRoute,
  reconcileServiceStatus,
  revisionStatusFrom,
  referencedRevisions,
  routingStateOf,
  type Configuration,
  type Revision,
  type RevisionObservation,
  type Route,
  type Service,
  type TrafficTarget,
} from '../src/index.js';

const NOW = '2026-01-01T00:00:00Z';

function helloworld(target: string, generation: number, traffic?: TrafficTarget[]): Service {
  const spec: NonNullable<Service['spec']> = { template: { spec: { containers: [{ image: 'hands-on-knative/helloworld', env: [{ name: 'TARGET', value: target }] }] } } };
  if (traffic) spec.traffic = traffic;
  return { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'helloworld', namespace: 'default', uid: 'svc-uid', generation }, spec };
}

/** What the store does on write: keep uid, bump generation when the spec changed. */
function stored<T extends Configuration | Route | Revision>(desired: T, existing: T | undefined, uid: string): T {
  const changed = !existing || JSON.stringify(existing.spec) !== JSON.stringify(desired.spec);
  const generation = (existing?.metadata.generation ?? 0) + (changed ? 1 : 0);
  return { ...desired, metadata: { ...desired.metadata, uid, generation }, status: existing?.status } as T;
}

/** One pass of the three reconcilers for a Service, with revisions observed by `observe`. */
function world() {
  let config: Configuration | undefined;
  let route: Route | undefined;
  const revisions: Revision[] = [];
  const pass = (service: Service, observe: (name: string) => RevisionObservation | undefined) => {
    config = stored(makeConfiguration(service), config, 'cfg-uid');
    const result = reconcileConfiguration(config, revisions, NOW);
    if (result.create) revisions.push(stored(result.create, undefined, `${result.create.metadata.name}-uid`));
    for (const [i, r] of revisions.entries()) revisions[i] = { ...r, status: revisionStatusFrom(r, observe(r.metadata.name), NOW) };
    config = { ...config, status: reconcileConfiguration(config, revisions, NOW).status };
    route = stored(makeRoute(service), route, 'route-uid');
    const routed = reconcileRoute(route, { configurations: [config], revisions, domain: 'localhost', ingressReady: true, now: NOW });
    route = { ...route, status: routed.status };
    return { config, route, revisions, hosts: routed.hosts, status: reconcileServiceStatus(service, config, route, NOW) };
  };
  return { pass };
}

const ready: RevisionObservation = { phase: 'Ready', actualReplicas: 1, desiredReplicas: 1 };
const cond = (conditions: { type: string }[] | undefined, type: string) => getCondition(conditions as never, type);

describe('Service -> Configuration -> Revision -> Route', () => {
  it('creates the children with Knative\'s names, labels and owner references', () => {
    const svc = helloworld('v1', 1);
    const config = makeConfiguration(svc);
    expect(config.metadata).toMatchObject({
      name: 'helloworld',
      namespace: 'default',
      labels: { 'serving.knative.dev/service': 'helloworld', 'serving.knative.dev/serviceUID': 'svc-uid' },
      ownerReferences: [{ apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'helloworld', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(makeRoute(svc).spec).toEqual({ traffic: [{ percent: 100, latestRevision: true, configurationName: 'helloworld' }] });

    const { revisions } = world().pass(svc, () => undefined);
    expect(revisions.map((r) => r.metadata.name)).toEqual(['helloworld-00001']);
    expect(revisions[0]!.metadata.labels).toMatchObject({
      'serving.knative.dev/configuration': 'helloworld',
      'serving.knative.dev/configurationGeneration': '1',
      'serving.knative.dev/service': 'helloworld',
      'serving.knative.dev/routingState': 'pending',
    });
    expect(revisions[0]!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Configuration', name: 'helloworld', controller: true });
    expect(revisions[0]!.spec).toMatchObject({ timeoutSeconds: 300, containerConcurrency: 0 });
  });

  it('waits with RevisionMissing, then is Ready with url, address and traffic', () => {
    const w = world();
    const first = w.pass(helloworld('v1', 1), () => undefined);
    expect(cond(first.status.conditions, 'Ready')).toMatchObject({ status: 'Unknown' });
    expect(cond(first.route.status?.conditions, 'AllTrafficAssigned')).toMatchObject({
      status: 'Unknown',
      reason: 'RevisionMissing',
      message: 'Configuration "helloworld" is waiting for a Revision to become ready.',
    });
    expect(first.status.latestCreatedRevisionName).toBe('helloworld-00001');
    expect(first.hosts).toBeUndefined();

    const second = w.pass(helloworld('v1', 1), () => ready);
    expect(second.status).toMatchObject({
      observedGeneration: 1,
      latestCreatedRevisionName: 'helloworld-00001',
      latestReadyRevisionName: 'helloworld-00001',
      url: 'http://helloworld.default.localhost',
      address: { url: 'http://helloworld.default.svc.cluster.local' },
      traffic: [{ revisionName: 'helloworld-00001', latestRevision: true, percent: 100 }],
    });
    for (const type of ['Ready', 'ConfigurationsReady', 'RoutesReady']) expect(cond(second.status.conditions, type)?.status).toBe('True');
    expect(second.hosts).toEqual([{ host: 'helloworld.default.localhost', tag: '', targets: [{ revision: 'helloworld-00001', percent: 100 }] }]);
  });

  it('a failing new revision: RevisionFailed on the Service, traffic stays on the last ready revision', () => {
    const w = world();
    w.pass(helloworld('v1', 1), () => ready);
    const failed: RevisionObservation = { phase: 'Failed', reason: 'ExitCode1', message: 'exit code 1: Error: boom', actualReplicas: 0, desiredReplicas: 1 };
    const after = w.pass(helloworld('v2', 2), (name) => (name === 'helloworld-00002' ? failed : ready));
    const rev2 = after.revisions.find((r) => r.metadata.name === 'helloworld-00002')!;
    expect(cond(rev2.status?.conditions, 'Ready')).toMatchObject({ status: 'False', reason: 'ExitCode1', message: 'Container failed with: exit code 1: Error: boom' });
    expect(cond(rev2.status?.conditions, 'ContainerHealthy')).toMatchObject({ status: 'False', reason: 'ExitCode1' });
    expect(after.config.status).toMatchObject({ latestCreatedRevisionName: 'helloworld-00002', latestReadyRevisionName: 'helloworld-00001' });
    const message = 'Revision "helloworld-00002" failed with message: Container failed with: exit code 1: Error: boom.';
    expect(cond(after.status.conditions, 'Ready')).toMatchObject({ status: 'False', reason: 'RevisionFailed', message });
    expect(cond(after.status.conditions, 'ConfigurationsReady')).toMatchObject({ status: 'False', reason: 'RevisionFailed' });
    expect(cond(after.status.conditions, 'RoutesReady')?.status).toBe('True');
    expect(after.status.traffic).toEqual([{ revisionName: 'helloworld-00001', latestRevision: true, percent: 100 }]);
    expect(after.hosts?.[0]?.targets).toEqual([{ revision: 'helloworld-00001', percent: 100 }]);

    // A fixed v3 becomes latest ready and takes the traffic.
    const fixed = w.pass(helloworld('v3', 3), (name) => (name === 'helloworld-00002' ? failed : ready));
    expect(fixed.status.latestReadyRevisionName).toBe('helloworld-00003');
    expect(cond(fixed.status.conditions, 'Ready')?.status).toBe('True');
  });

  it('tags get their own URLs and hosts; a pinned revision keeps its traffic', () => {
    const w = world();
    w.pass(helloworld('v1', 1), () => ready);
    const pinned = w.pass(
      helloworld('v2', 2, [
        { tag: 'current', revisionName: 'helloworld-00001', percent: 100 },
        { tag: 'latest', latestRevision: true, percent: 0 },
      ]),
      () => ready,
    );
    expect(pinned.status.traffic).toEqual([
      { tag: 'current', revisionName: 'helloworld-00001', latestRevision: false, percent: 100, url: 'http://current-helloworld.default.localhost' },
      { tag: 'latest', revisionName: 'helloworld-00002', latestRevision: true, percent: 0, url: 'http://latest-helloworld.default.localhost' },
    ]);
    expect(pinned.hosts).toEqual([
      { host: 'helloworld.default.localhost', tag: '', targets: [{ revision: 'helloworld-00001', percent: 100 }] },
      { host: 'current-helloworld.default.localhost', tag: 'current', targets: [{ revision: 'helloworld-00001', percent: 100 }] },
      { host: 'latest-helloworld.default.localhost', tag: 'latest', targets: [{ revision: 'helloworld-00002', percent: 100 }] },
    ]);
    expect(cond(pinned.status.conditions, 'Ready')?.status).toBe('True');
    const withPort = reconcileRoute(pinned.route, { configurations: [pinned.config], revisions: pinned.revisions, domain: 'localhost', urlPort: 8080, now: NOW });
    expect(withPort.status.url).toBe('http://helloworld.default.localhost:8080');
    expect(withPort.status.traffic?.[0]?.url).toBe('http://current-helloworld.default.localhost:8080');
    expect(withPort.hosts?.[1]?.host).toBe('current-helloworld.default.localhost');
    const refs = referencedRevisions([pinned.route]);
    expect([...refs].sort()).toEqual(['helloworld-00001', 'helloworld-00002']);
    expect(routingStateOf(pinned.revisions[0]!, new Set(['helloworld-00002']))).toBe('pending');
    expect(routingStateOf({ ...pinned.revisions[0]!, metadata: { ...pinned.revisions[0]!.metadata, labels: {} } }, new Set())).toBe('reserve');
  });

  it('a traffic target naming a missing revision: RevisionMissing, and the old traffic stays programmed', () => {
    const w = world();
    w.pass(helloworld('v1', 1), () => ready);
    const bad = w.pass(helloworld('v1', 2, [{ revisionName: 'helloworld-00009', percent: 100 }]), () => ready);
    expect(cond(bad.route.status?.conditions, 'AllTrafficAssigned')).toMatchObject({
      status: 'False',
      reason: 'RevisionMissing',
      message: 'Revision "helloworld-00009" referenced in traffic not found.',
    });
    expect(bad.hosts).toBeUndefined();
    expect(bad.route.status?.traffic).toEqual([{ revisionName: 'helloworld-00001', latestRevision: true, percent: 100 }]);
    expect(cond(bad.status.conditions, 'Ready')).toMatchObject({ status: 'False', reason: 'RevisionMissing' });
  });

  it('a BYO revision name owned by someone else fails with Knative\'s conflict message', () => {
    const config: Configuration = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Configuration',
      metadata: { name: 'helloworld', uid: 'cfg', generation: 1 },
      spec: { template: { metadata: { name: 'helloworld-v1' }, spec: { containers: [{ image: 'x' }] } } },
    };
    const foreign: Revision = { apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata: { name: 'helloworld-v1', generation: 1 }, spec: {} };
    const { status, create } = reconcileConfiguration(config, [foreign], NOW);
    expect(create).toBeUndefined();
    expect(cond(status.conditions, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'RevisionFailed',
      message: 'Revision creation failed with message: revisions.serving.knative.dev "helloworld-v1" already exists.',
    });
    const fresh = reconcileConfiguration(config, [], NOW);
    expect(fresh.create?.metadata.name).toBe('helloworld-v1');
  });

  it('out-of-date children surface as OutOfDate, and ownership is checked', () => {
    const svc = helloworld('v1', 2);
    const config = { ...makeConfiguration(svc), metadata: { ...makeConfiguration(svc).metadata, generation: 2 }, status: { observedGeneration: 1 } } as Configuration;
    const status = reconcileServiceStatus(svc, config, undefined, NOW);
    expect(cond(status.conditions, 'ConfigurationsReady')).toMatchObject({
      status: 'Unknown',
      reason: 'OutOfDate',
      message: 'The Configuration is still working to reflect the latest desired specification.',
    });
    const foreign = { ...config, metadata: { name: 'helloworld', ownerReferences: [] } } as Configuration;
    expect(cond(reconcileServiceStatus(svc, foreign, undefined, NOW).conditions, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'NotOwned',
      message: 'There is an existing Configuration "helloworld" that we do not own.',
    });
  });

  it('revision status from the runtime: Deploying, Ready (scaled to zero is still Ready), ProgressDeadlineExceeded', () => {
    const rev: Revision = { apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata: { name: 'r-00001', generation: 1 }, spec: { containers: [{ image: 'x' }] } };
    const pending = revisionStatusFrom(rev, undefined, NOW);
    expect(cond(pending.conditions, 'Ready')).toMatchObject({ status: 'Unknown', reason: 'Deploying' });
    const idle = revisionStatusFrom(rev, { phase: 'Ready', actualReplicas: 0, desiredReplicas: 0 }, NOW);
    expect(cond(idle.conditions, 'Ready')?.status).toBe('True');
    expect(cond(idle.conditions, 'Active')).toMatchObject({ status: 'False', reason: 'NoTraffic' });
    expect(idle).toMatchObject({ observedGeneration: 1, actualReplicas: 0, desiredReplicas: 0 });
    const stuck = revisionStatusFrom(rev, { phase: 'Failed', reason: 'ProgressDeadlineExceeded', message: 'Initial scale was never achieved', actualReplicas: 0, desiredReplicas: 1 }, NOW);
    expect(cond(stuck.conditions, 'ResourcesAvailable')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(cond(stuck.conditions, 'Ready')).toMatchObject({ status: 'False', message: 'Initial scale was never achieved' });
  });
});
