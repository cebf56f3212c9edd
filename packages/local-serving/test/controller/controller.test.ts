// The controller end to end over an ObjectStore and a DataPlane: Knative's objects, statuses and
// reasons, the routing table and the revisions handed to the data plane. Uses the test doubles of
// helpers.ts (why: see there); the last test runs against the real SQLite store.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifests } from '@hands-on-knative/knative';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject, ObjectStore } from '../../src/contracts.js';
import { createController, type Controller } from '../../src/controller/index.js';
import { SqliteObjectStore } from '../../src/store/index.js';
import { condition, MemoryObjectStore, RecordingDataPlane, service } from './helpers.js';

const controllers: Controller[] = [];
afterEach(() => {
  for (const c of controllers.splice(0)) c.stop();
});

function setup(options: { domain?: string; store?: ObjectStore } = {}) {
  const store = options.store ?? new MemoryObjectStore();
  const dataPlane = new RecordingDataPlane();
  const errors: unknown[] = [];
  const controller = createController({
    store,
    dataPlane,
    ...(options.domain ? { domain: options.domain } : {}),
    now: () => new Date('2026-01-01T10:00:00Z'),
    onError: (e) => errors.push(e),
  });
  controllers.push(controller);
  controller.start();
  return { store, dataPlane, controller, errors };
}

const manifest = (file: string): KubeObject => {
  const url = new URL(`../../../../manifests/helloworld/${file}`, import.meta.url);
  return { ...(parseManifests(readFileSync(url, 'utf8'), file)[0]!.object as KubeObject), metadata: { name: 'helloworld', namespace: 'default' } };
};

/** kubectl apply: create, or update keeping the stored metadata. */
function apply(store: ObjectStore, object: KubeObject): void {
  const existing = store.get('services', object.metadata.namespace, object.metadata.name);
  if (!existing) store.create('services', object);
  else store.update('services', { ...existing, spec: object.spec as Record<string, unknown> });
}

const get = (store: ObjectStore, resource: 'services' | 'configurations' | 'revisions' | 'routes', name: string) => store.get(resource, 'default', name);
const status = (o: KubeObject | undefined) => (o?.status ?? {}) as Record<string, unknown>;

describe('controller', () => {
  it('Service -> Configuration, Revision helloworld-00001, Route; the data plane gets the revision', async () => {
    const { store, dataPlane, controller, errors } = setup();
    apply(store, manifest('service-v1.yaml'));
    await controller.idle();

    const svc = get(store, 'services', 'helloworld')!;
    const config = get(store, 'configurations', 'helloworld')!;
    const route = get(store, 'routes', 'helloworld')!;
    const rev = get(store, 'revisions', 'helloworld-00001')!;
    for (const child of [config, route]) {
      expect(child.metadata.ownerReferences).toEqual([
        { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'helloworld', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect(child.metadata.labels).toMatchObject({ 'serving.knative.dev/service': 'helloworld' });
    }
    expect(rev.metadata.labels).toMatchObject({
      'serving.knative.dev/configuration': 'helloworld',
      'serving.knative.dev/configurationGeneration': '1',
      'serving.knative.dev/service': 'helloworld',
      'serving.knative.dev/routingState': 'pending',
    });
    expect(rev.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Configuration', name: 'helloworld', uid: config.metadata.uid });
    expect(dataPlane.revisions).toEqual([
      {
        namespace: 'default',
        name: 'helloworld-00001',
        service: 'helloworld',
        configuration: 'helloworld',
        image: 'hands-on-knative/helloworld',
        env: { TARGET: 'v1' },
        containerPort: 8080,
        timeoutSeconds: 300,
        scaling: { minScale: 0, maxScale: 0, initialScale: 1, target: 100, targetUtilizationPercentage: 70, containerConcurrency: 0 },
      },
    ]);
    // Nothing routable yet: the revision is not ready.
    expect(dataPlane.routes).toEqual([]);
    expect(status(svc)).toMatchObject({ observedGeneration: 1, latestCreatedRevisionName: 'helloworld-00001' });
    expect(condition(svc)?.status).toBe('Unknown');
    expect(condition(route, 'AllTrafficAssigned')).toMatchObject({
      reason: 'RevisionMissing',
      message: 'Configuration "helloworld" is waiting for a Revision to become ready.',
    });
    expect(errors).toEqual([]);
  });

  it('a ready revision makes the Service Ready with url, address.url and traffic, and programs the ingress', async () => {
    const { store, dataPlane, controller } = setup();
    apply(store, manifest('service-v1.yaml'));
    await controller.idle();
    dataPlane.ready('helloworld-00001');
    await controller.idle();

    const svc = get(store, 'services', 'helloworld')!;
    expect(status(svc)).toMatchObject({
      observedGeneration: 1,
      latestCreatedRevisionName: 'helloworld-00001',
      latestReadyRevisionName: 'helloworld-00001',
      url: 'http://helloworld.default.localhost:8080',
      address: { url: 'http://helloworld.default.svc.cluster.local' },
      traffic: [{ revisionName: 'helloworld-00001', latestRevision: true, percent: 100 }],
    });
    for (const type of ['Ready', 'ConfigurationsReady', 'RoutesReady']) expect(condition(svc, type)?.status).toBe('True');
    expect(condition(get(store, 'revisions', 'helloworld-00001'))?.status).toBe('True');
    expect(status(get(store, 'revisions', 'helloworld-00001'))).toMatchObject({ actualReplicas: 1, desiredReplicas: 1, observedGeneration: 1 });
    expect(get(store, 'revisions', 'helloworld-00001')!.metadata.labels?.['serving.knative.dev/routingState']).toBe('active');
    expect(dataPlane.routes).toEqual([
      { host: 'helloworld.default.localhost', namespace: 'default', service: 'helloworld', targets: [{ revision: 'helloworld-00001', percent: 100 }] },
    ]);
  });

  it('a new revision whose process fails: Ready=False with the exit code and log tail, RevisionFailed, traffic stays', async () => {
    const { store, dataPlane, controller } = setup();
    apply(store, manifest('service-v1.yaml'));
    await controller.idle();
    dataPlane.ready('helloworld-00001');
    await controller.idle();

    apply(store, manifest('service-v2.yaml'));
    await controller.idle();
    expect(dataPlane.revisions.map((r) => `${r.name} TARGET=${r.env.TARGET}`)).toEqual(['helloworld-00001 TARGET=v1', 'helloworld-00002 TARGET=v2']);
    const logTail = 'exit code 1; last log lines:\nError: listen EADDRINUSE';
    dataPlane.report({ namespace: 'default', name: 'helloworld-00002', phase: 'Failed', reason: 'ExitCode1', message: logTail, actualReplicas: 0, desiredReplicas: 1 });
    await controller.idle();

    const rev2 = get(store, 'revisions', 'helloworld-00002');
    expect(condition(rev2)).toMatchObject({ status: 'False', reason: 'ExitCode1', message: `Container failed with: ${logTail}` });
    const svc = get(store, 'services', 'helloworld')!;
    expect(status(svc)).toMatchObject({
      observedGeneration: 2,
      latestCreatedRevisionName: 'helloworld-00002',
      latestReadyRevisionName: 'helloworld-00001',
      traffic: [{ revisionName: 'helloworld-00001', latestRevision: true, percent: 100 }],
    });
    expect(condition(svc)).toMatchObject({
      status: 'False',
      reason: 'RevisionFailed',
      message: `Revision "helloworld-00002" failed with message: Container failed with: ${logTail}.`,
    });
    expect(condition(svc, 'RoutesReady')?.status).toBe('True');
    expect(dataPlane.routes[0]?.targets).toEqual([{ revision: 'helloworld-00001', percent: 100 }]);

    // The fix (v3) becomes ready and takes the traffic; 00001 goes to reserve.
    apply(store, manifest('service-v3.yaml'));
    await controller.idle();
    dataPlane.ready('helloworld-00003');
    await controller.idle();
    const fixed = get(store, 'services', 'helloworld')!;
    expect(condition(fixed)?.status).toBe('True');
    expect(status(fixed).latestReadyRevisionName).toBe('helloworld-00003');
    expect(dataPlane.routes[0]?.targets).toEqual([{ revision: 'helloworld-00003', percent: 100 }]);
    expect(get(store, 'revisions', 'helloworld-00001')!.metadata.labels?.['serving.knative.dev/routingState']).toBe('reserve');
  });

  it('the tutorial traffic steps: tags get hosts and URLs, the split follows the manifests', async () => {
    const { store, dataPlane, controller } = setup();
    for (const [file, revision] of [
      ['service-v1.yaml', 'helloworld-00001'],
      ['service-v2.yaml', 'helloworld-00002'],
      ['service-v3.yaml', 'helloworld-00003'],
    ] as const) {
      apply(store, manifest(file));
      await controller.idle();
      dataPlane.ready(revision);
      await controller.idle();
    }
    apply(store, manifest('traffic-pinned.yaml'));
    await controller.idle();
    expect(store.list('revisions').map((r) => r.metadata.name)).toEqual(['helloworld-00001', 'helloworld-00002', 'helloworld-00003']);
    expect(status(get(store, 'services', 'helloworld')).traffic).toEqual([
      { tag: 'current', revisionName: 'helloworld-00001', latestRevision: false, percent: 100, url: 'http://current-helloworld.default.localhost:8080' },
      { tag: 'latest', revisionName: 'helloworld-00003', latestRevision: true, percent: 0, url: 'http://latest-helloworld.default.localhost:8080' },
    ]);
    expect(dataPlane.routes.map((r) => `${r.host} ${r.targets.map((t) => `${t.revision}=${t.percent}`).join(',')}`)).toEqual([
      'current-helloworld.default.localhost helloworld-00001=100',
      'helloworld.default.localhost helloworld-00001=100',
      'latest-helloworld.default.localhost helloworld-00003=100',
    ]);

    apply(store, manifest('traffic-split-80-20.yaml'));
    await controller.idle();
    const main = dataPlane.routes.find((r) => r.host === 'helloworld.default.localhost');
    expect(main?.targets).toEqual([
      { revision: 'helloworld-00001', percent: 80 },
      { revision: 'helloworld-00003', percent: 20 },
    ]);
    expect(dataPlane.routes.map((r) => r.host)).toContain('candidate-helloworld.default.localhost');
    expect(condition(get(store, 'services', 'helloworld'))?.status).toBe('True');
    // helloworld-00002 is referenced by no route: its routing state says its processes may stop.
    expect(get(store, 'revisions', 'helloworld-00002')!.metadata.labels?.['serving.knative.dev/routingState']).toBe('reserve');
    expect(dataPlane.routes.some((r) => r.targets.some((t) => t.revision === 'helloworld-00002'))).toBe(false);
  });

  it('secretKeyRef: a missing secret fails the revision like the kubelet; creating it starts the revision', async () => {
    const { store, dataPlane, controller } = setup();
    const env = [{ name: 'TWILIO_AUTH_TOKEN', valueFrom: { secretKeyRef: { name: 'twilio', key: 'authToken' } } }];
    store.create('services', service('sms', { image: 'hands-on-knative/twilio-sms', env }));
    await controller.idle();
    expect(condition(get(store, 'revisions', 'sms-00001'))).toMatchObject({
      status: 'False',
      reason: 'CreateContainerConfigError',
      message: 'secret "twilio" not found',
    });
    expect(condition(get(store, 'services', 'sms'))).toMatchObject({
      status: 'False',
      reason: 'RevisionFailed',
      message: 'Revision "sms-00001" failed with message: secret "twilio" not found.',
    });
    expect(dataPlane.revisions).toEqual([]);

    store.create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'twilio', namespace: 'default' }, data: { other: 'eA==' } });
    await controller.idle();
    expect(condition(get(store, 'revisions', 'sms-00001'))?.message).toBe("couldn't find key authToken in Secret default/twilio");

    const secret = store.get('secrets', 'default', 'twilio')!;
    store.update('secrets', { ...secret, data: { authToken: Buffer.from('s3cr3t').toString('base64') } });
    await controller.idle();
    expect(dataPlane.revisions.map((r) => r.env)).toEqual([{ TWILIO_AUTH_TOKEN: 's3cr3t' }]);
    dataPlane.ready('sms-00001');
    await controller.idle();
    expect(condition(get(store, 'services', 'sms'))?.status).toBe('True');
  });

  it('BYO revision names, annotations to scaling, configurable domain', async () => {
    const { store, dataPlane, controller } = setup({ domain: 'example.test' });
    store.create(
      'services',
      service(
        'blue',
        { image: 'hands-on-knative/helloworld', ports: [{ containerPort: 9000 }], readinessProbe: { httpGet: { path: '/healthz' } } },
        { templateMetadata: { name: 'blue-first', annotations: { 'autoscaling.knative.dev/minScale': '1', 'autoscaling.knative.dev/max-scale': '3' } } },
      ),
    );
    await controller.idle();
    expect(dataPlane.revisions).toEqual([
      expect.objectContaining({
        name: 'blue-first',
        containerPort: 9000,
        readinessPath: '/healthz',
        scaling: expect.objectContaining({ minScale: 1, maxScale: 3 }),
      }),
    ]);
    dataPlane.ready('blue-first');
    await controller.idle();
    expect(status(get(store, 'services', 'blue')).url).toBe('http://blue.default.example.test:8080');
    expect(dataPlane.routes.map((r) => r.host)).toEqual(['blue.default.example.test']);
  });

  it('deleting the Service deletes its children (garbage collection) and empties the data plane', async () => {
    const { store, dataPlane, controller } = setup();
    apply(store, manifest('service-v1.yaml'));
    await controller.idle();
    dataPlane.ready('helloworld-00001');
    await controller.idle();
    store.delete('services', 'default', 'helloworld');
    await controller.idle();
    expect(store.list('revisions')).toEqual([]);
    expect(store.list('routes')).toEqual([]);
    expect(dataPlane.revisions).toEqual([]);
    expect(dataPlane.routes).toEqual([]);
  });

  it('reaches a steady state: no writes when nothing changed', async () => {
    const { store, dataPlane, controller } = setup();
    apply(store, manifest('service-v1.yaml'));
    await controller.idle();
    dataPlane.ready('helloworld-00001');
    await controller.idle();
    const events = (store as MemoryObjectStore).events.length;
    const calls = dataPlane.revisionCalls.length + dataPlane.routeCalls.length;
    expect(controller.reconcileNow()).toBe(0);
    expect((store as MemoryObjectStore).events.length).toBe(events);
    expect(dataPlane.revisionCalls.length + dataPlane.routeCalls.length).toBe(calls);
  });

  it('after a restart, stored statuses stand until the data plane reports, and routes come back', async () => {
    const first = setup();
    apply(first.store, manifest('service-v1.yaml'));
    await first.controller.idle();
    first.dataPlane.ready('helloworld-00001');
    await first.controller.idle();
    first.controller.stop();

    const dataPlane = new RecordingDataPlane();
    const controller = createController({ store: first.store, dataPlane, now: () => new Date('2026-01-01T11:00:00Z') });
    controllers.push(controller);
    controller.start();
    await controller.idle();
    expect(condition(get(first.store, 'revisions', 'helloworld-00001'))?.status).toBe('True');
    expect(condition(get(first.store, 'services', 'helloworld'))?.status).toBe('True');
    expect(dataPlane.revisions.map((r) => r.name)).toEqual(['helloworld-00001']);
    expect(dataPlane.routes.map((r) => r.host)).toEqual(['helloworld.default.localhost']);
  });

  it('works the same over the real SQLite store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hok-controller-'));
    const store = SqliteObjectStore.open({ stateDir: dir });
    try {
      const { dataPlane, controller, errors } = setup({ store });
      apply(store, manifest('service-v1.yaml'));
      await controller.idle();
      dataPlane.ready('helloworld-00001');
      await controller.idle();
      const svc = store.get('services', 'default', 'helloworld');
      expect(condition(svc)?.status).toBe('True');
      expect(status(svc).url).toBe('http://helloworld.default.localhost:8080');
      apply(store, manifest('service-v2.yaml'));
      await controller.idle();
      expect(store.list('revisions').map((r) => r.metadata.name)).toEqual(['helloworld-00001', 'helloworld-00002']);
      expect(errors).toEqual([]);
      controller.stop();
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
