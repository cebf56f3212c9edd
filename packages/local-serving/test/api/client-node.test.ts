// @kubernetes/client-node 1.4.0 (CustomObjectsApi, as the project's scripts use it) against the API.
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, Watch, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyStatus, service, startTestApi, type TestApi } from './helpers.js';

const ksvc = { group: 'serving.knative.dev', version: 'v1', namespace: 'default', plural: 'services' };

async function failure(promise: Promise<unknown>): Promise<{ code: number; status: { kind: string; reason: string; message: string; code: number } }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    const apiError = error as ApiException<string>;
    return { code: apiError.code, status: JSON.parse(apiError.body) };
  }
  throw new Error('expected the call to fail');
}

describe('@kubernetes/client-node against the local API', { timeout: 60_000 }, () => {
  let api: TestApi;
  let config: KubeConfig;
  let objects: CustomObjectsApi;
  beforeAll(async () => {
    api = await startTestApi();
    config = new KubeConfig();
    config.loadFromFile(api.server.kubeconfigPath);
    objects = config.makeApiClient(CustomObjectsApi);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  }, 60_000);

  it('creates, gets and lists with a label selector', async () => {
    const created = await objects.createNamespacedCustomObject({ ...ksvc, body: service('one', 'a', { labels: { app: 'one' } }) });
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    await objects.createNamespacedCustomObject({ ...ksvc, body: service('two', 'b', { labels: { app: 'two' } }) });
    const got = await objects.getNamespacedCustomObject({ ...ksvc, name: 'one' });
    expect(got.spec.template.spec.containers[0].env[0].value).toBe('a');
    const list = await objects.listNamespacedCustomObject({ ...ksvc, labelSelector: 'app=two' });
    expect(list.kind).toBe('ServiceList');
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['two']);
  });

  it('merge-patches and bumps generation only for spec changes', async () => {
    const labelled = await objects.patchNamespacedCustomObject(
      { ...ksvc, name: 'one', body: { metadata: { labels: { extra: 'yes' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(labelled.metadata.labels.extra).toBe('yes');
    expect(labelled.metadata.generation).toBe(1);
    const changed = await objects.patchNamespacedCustomObject(
      { ...ksvc, name: 'one', body: { spec: { template: { spec: { containers: [{ image: 'helloworld:v2' }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(changed.metadata.generation).toBe(2);
  });

  it('applies server-side with the header override, and reports a conflict as an ApiException with a Status', async () => {
    const body = { ...service('applied', 'first'), metadata: { name: 'applied', namespace: 'default' } };
    const created = await objects.patchNamespacedCustomObject(
      { ...ksvc, name: 'applied', body, fieldManager: 'script' },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    expect(created.metadata.managedFields[0]).toMatchObject({ manager: 'script', operation: 'Apply' });
    const other = service('applied', 'second');
    const conflict = await failure(
      objects.patchNamespacedCustomObject(
        { ...ksvc, name: 'applied', body: other, fieldManager: 'someone-else' },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      ),
    );
    expect(conflict.code).toBe(409);
    expect(conflict.status).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
    expect(conflict.status.message).toContain('conflict with "script"');
    const forced = await objects.patchNamespacedCustomObject(
      { ...ksvc, name: 'applied', body: other, fieldManager: 'someone-else', force: true },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    expect(forced.spec.template.spec.containers[0].env[0].value).toBe('second');
  });

  it('watches from a resourceVersion and sees the status change', async () => {
    const start = await objects.getNamespacedCustomObject({ ...ksvc, name: 'two' });
    const events: { type: string; name: string; url?: string }[] = [];
    const watch = new Watch(config);
    const controller = await watch.watch(
      '/apis/serving.knative.dev/v1/namespaces/default/services',
      { resourceVersion: start.metadata.resourceVersion, fieldSelector: 'metadata.name=two' },
      (type, object) => events.push({ type, name: object.metadata.name, url: object.status?.url }),
      () => {},
    );
    try {
      api.store.updateStatus('services', readyStatus(api.store.get('services', 'default', 'two')!, 'http://two.default.localhost'));
      const deadline = Date.now() + 20_000;
      while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(events).toEqual([{ type: 'MODIFIED', name: 'two', url: 'http://two.default.localhost' }]);
    } finally {
      controller.abort();
    }
  });

  it('gets a 410 Gone watch error for a resourceVersion older than the change log', async () => {
    const small = await startTestApi({}, { changeLogSize: 2 });
    try {
      const kc = new KubeConfig();
      kc.loadFromFile(small.server.kubeconfigPath);
      const errors: { type: string; code?: number }[] = [];
      const old = small.store.resourceVersion();
      for (const name of ['a', 'b', 'c', 'd']) small.store.create('services', service(name));
      const done = new Promise<void>((resolve) => {
        void new Watch(kc).watch(
          '/apis/serving.knative.dev/v1/namespaces/default/services',
          { resourceVersion: String(old) },
          (type, object) => errors.push({ type, code: object.code }),
          () => resolve(),
        );
      });
      await done;
      expect(errors).toEqual([{ type: 'ERROR', code: 410 }]);
    } finally {
      await small.close();
    }
  });

  it('deletes, then answers NotFound as an ApiException carrying a Status', async () => {
    const deleted = await objects.deleteNamespacedCustomObject({ ...ksvc, name: 'one' });
    expect(deleted.metadata.name).toBe('one');
    const missing = await failure(objects.getNamespacedCustomObject({ ...ksvc, name: 'one' }));
    expect(missing.code).toBe(404);
    expect(missing.status).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'services.serving.knative.dev "one" not found' });
  });

  it('serves core v1 namespaces and secrets to CoreV1Api', async () => {
    const core = config.makeApiClient(CoreV1Api);
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toContain('default');
    await core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name: 'token' }, stringData: { value: 's3cret' } } });
    const secret = await core.readNamespacedSecret({ namespace: 'default', name: 'token' });
    expect(Buffer.from(secret.data!.value!, 'base64').toString()).toBe('s3cret');
  });
});
