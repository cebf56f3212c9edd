// The controller with the real store (SQLite) and the real data plane (processes from the data
// plane's fixture apps, an ingress on 127.0.0.1:0): what a user sees after `kubectl apply`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/contracts.js';
import { createController, type Controller } from '../../src/controller/index.js';
import { SqliteObjectStore } from '../../src/store/index.js';
import { startPlane, type TestPlane } from '../dataplane/helpers.js';
import { condition, service } from './helpers.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function until(predicate: () => boolean, what: () => string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function system(): Promise<{ store: SqliteObjectStore; t: TestPlane; controller: Controller }> {
  const dir = mkdtempSync(join(tmpdir(), 'hok-controller-real-'));
  const store = SqliteObjectStore.open({ stateDir: dir });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanup.push(() => store.close());
  const t = await startPlane();
  cleanup.push(() => t.close());
  const controller = createController({ store, dataPlane: t.plane });
  cleanup.push(() => controller.stop());
  controller.start();
  return { store, t, controller };
}

describe('controller + real data plane', () => {
  it('serves a Service at its host; a crashing new revision fails with ExitCode and log tail while traffic stays', async () => {
    const { store, t } = await system();
    store.create('services', service('echo', { image: 'hands-on-knative/echo', env: [{ name: 'TARGET', value: 'one' }] }));
    const svc = () => store.get('services', 'default', 'echo');
    await until(() => condition(svc())?.status === 'True', () => JSON.stringify(svc()?.status));
    expect((svc()?.status as { url?: string }).url).toBe(`http://echo.default.localhost:${t.plane.port}`);
    const first = await t.get('echo.default.localhost');
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ revision: 'echo-00001', env: { TARGET: 'one', K_SERVICE: 'echo', K_REVISION: 'echo-00001' } });

    const current = svc()!;
    store.update('services', { ...current, spec: { template: { spec: { containers: [{ image: 'hands-on-knative/crash' }] } } } } as KubeObject);
    await until(() => condition(svc())?.status === 'False', () => JSON.stringify(svc()?.status));
    const ready = condition(svc());
    expect(ready?.reason).toBe('RevisionFailed');
    expect(ready?.message).toMatch(/^Revision "echo-00002" failed with message: Container failed with: exit code 3/);
    expect(ready?.message).toContain('Error: DATABASE_URL is not set');
    expect(condition(store.get('revisions', 'default', 'echo-00002'))?.reason).toBe('ExitCode3');
    expect(svc()?.status).toMatchObject({ latestCreatedRevisionName: 'echo-00002', latestReadyRevisionName: 'echo-00001' });
    const still = await t.get('echo.default.localhost');
    expect(JSON.parse(still.body).revision).toBe('echo-00001');
  }, 90_000);
});
