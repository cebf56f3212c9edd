// The whole local serving (store, API, controller, data plane) driven only
// through its kubeconfig and its ingress, as a tutorial reader does: the real
// kubectl and @kubernetes/client-node, real app processes, HTTP over loopback.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServing, type LocalServing } from '../../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const ksvc = { group: 'serving.knative.dev', version: 'v1', namespace: 'default', plural: 'services' };
const FIELD_MANAGER = { fieldManager: 'e2e-test' };

let dir: string;
let serving: LocalServing;
let objects: CustomObjectsApi;

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--kubeconfig', serving.kubeconfigPath, ...args],
      { env: { PATH: process.env.PATH, HOME: path.join(dir, 'home') }, timeout: 90_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

function get(host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: serving.ingressPort, path: '/', headers: { host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const manifest = (target: string, image = 'hands-on-knative/helloworld') => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: helloworld
spec:
  template:
    spec:
      containers:
        - image: ${image}
          env:
            - name: TARGET
              value: "${target}"
`;

async function service(): Promise<{ status: Record<string, any>; metadata: Record<string, any> }> {
  return objects.getNamespacedCustomObject({ ...ksvc, name: 'helloworld' });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const hasKubectl = await new Promise<boolean>((resolve) => execFile('kubectl', ['version', '--client'], (error) => resolve(!error)));
if (!hasKubectl && process.env.CI === 'true') throw new Error('kubectl is needed for the end-to-end tests (.ci/run installs it)');

describe.skipIf(!hasKubectl)('the tutorial on the local serving', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'local-serving-e2e-'));
    serving = await startLocalServing({
      stateDir: path.join(dir, 'state'),
      repoRoot,
      ingressPort: 0,
      idleWindowMs: 1500,
      onLog: () => {},
      onNotice: () => {},
    });
    const config = new KubeConfig();
    config.loadFromFile(serving.kubeconfigPath);
    objects = config.makeApiClient(CustomObjectsApi);
  }, 60_000);
  afterAll(async () => {
    await serving?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('step 1: kubectl apply, wait, and the URL answers', async () => {
    writeFileSync(path.join(dir, 'v1.yaml'), manifest('v1'));
    expect((await kubectl(['apply', '-f', path.join(dir, 'v1.yaml')])).stdout).toContain('service.serving.knative.dev/helloworld created');
    expect((await kubectl(['wait', '--for=condition=Ready', 'ksvc/helloworld', '--timeout=60s'])).code).toBe(0);
    const { status } = await service();
    expect(status).toMatchObject({ latestReadyRevisionName: 'helloworld-00001', url: `http://helloworld.default.localhost:${serving.ingressPort}` });
    expect(await get('helloworld.default.localhost')).toEqual({ status: 200, body: 'Hello v1!\n' });
    const listed = await kubectl(['get', 'configuration,revision,route', '-o', 'name']);
    expect(listed.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'configuration.serving.knative.dev/helloworld',
      'revision.serving.knative.dev/helloworld-00001',
      'route.serving.knative.dev/helloworld',
    ]);
  });

  it('step 2: a changed env (client-node merge patch) makes a second revision and the answer changes', async () => {
    await objects.patchNamespacedCustomObject(
      { ...ksvc, name: 'helloworld', body: { spec: { template: { spec: { containers: [{ image: 'hands-on-knative/helloworld', env: [{ name: 'TARGET', value: 'v2' }] }] } } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await until('helloworld-00002 ready', async () => ((await service()).status.latestReadyRevisionName === 'helloworld-00002' ? true : undefined));
    expect(await get('helloworld.default.localhost')).toEqual({ status: 200, body: 'Hello v2!\n' });
  });

  it('step 3: an 80/20 split with tags (server-side apply) holds over 1,000 requests, and each tag URL reaches its revision', async () => {
    const current = await service();
    const applied = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'helloworld', namespace: 'default' },
      spec: {
        template: { spec: { containers: [{ image: 'hands-on-knative/helloworld', env: [{ name: 'TARGET', value: 'v2' }] }] } },
        traffic: [
          { tag: 'current', revisionName: 'helloworld-00001', percent: 80 },
          { tag: 'candidate', revisionName: 'helloworld-00002', percent: 20 },
          { tag: 'latest', latestRevision: true, percent: 0 },
        ],
      },
    };
    await objects.patchNamespacedCustomObject(
      { ...ksvc, name: 'helloworld', body: applied, ...FIELD_MANAGER, force: true },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    const generation = current.metadata.generation + 1;
    await until('the split to be routed', async () => {
      const { status } = await service();
      return status.observedGeneration === generation && status.traffic?.length === 3 ? true : undefined;
    });
    const { status } = await service();
    expect(status.traffic.map((t: { tag: string; url: string }) => [t.tag, t.url])).toEqual([
      ['current', `http://current-helloworld.default.localhost:${serving.ingressPort}`],
      ['candidate', `http://candidate-helloworld.default.localhost:${serving.ingressPort}`],
      ['latest', `http://latest-helloworld.default.localhost:${serving.ingressPort}`],
    ]);
    let v1 = 0;
    for (let i = 0; i < 1000; i++) if ((await get('helloworld.default.localhost')).body === 'Hello v1!\n') v1++;
    expect(v1).toBeGreaterThanOrEqual(750);
    expect(v1).toBeLessThanOrEqual(850);
    expect((await get('current-helloworld.default.localhost')).body).toBe('Hello v1!\n');
    expect((await get('candidate-helloworld.default.localhost')).body).toBe('Hello v2!\n');
    expect((await get('latest-helloworld.default.localhost')).body).toBe('Hello v2!\n');
  });

  it('a revision whose app crashes is RevisionFailed with its exit code, and traffic stays where it was', async () => {
    // twilio-sms without its auth token refuses to start (exit 1) with one clear line.
    writeFileSync(path.join(dir, 'crash.yaml'), manifest('v3', 'hands-on-knative/twilio-sms'));
    expect((await kubectl(['apply', '-f', path.join(dir, 'crash.yaml')])).code).toBe(0);
    const failed = await until('the Service to report RevisionFailed', async () => {
      const { status } = await service();
      const ready = status.conditions?.find((c: { type: string }) => c.type === 'Ready');
      return ready?.status === 'False' && status.latestCreatedRevisionName === 'helloworld-00003' ? ready : undefined;
    });
    expect(failed.reason).toBe('RevisionFailed');
    expect(failed.message).toContain('Revision "helloworld-00003" failed with message:');
    const revision = await kubectl(['get', 'revision', 'helloworld-00003', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}']);
    expect(revision.stdout).toBe('ExitCode1');
    const tagged = await get('current-helloworld.default.localhost');
    expect(tagged).toEqual({ status: 200, body: 'Hello v1!\n' });
    const main = await get('helloworld.default.localhost');
    expect(main.status).toBe(200);
  });

  it('scales an idle revision to zero and wakes it on the next request', async () => {
    await until('helloworld-00001 to scale to zero', async () => {
      const pods = await kubectl(['get', 'pods', '-l', 'serving.knative.dev/revision=helloworld-00001', '-o', 'name']);
      return pods.stdout.trim() === '' ? true : undefined;
    });
    expect(await get('current-helloworld.default.localhost')).toEqual({ status: 200, body: 'Hello v1!\n' });
    const pods = await kubectl(['get', 'pods', '-l', 'serving.knative.dev/revision=helloworld-00001', '-o', 'name']);
    expect(pods.stdout.trim()).toMatch(/^pod\/helloworld-00001-deployment-/);
  });
});
