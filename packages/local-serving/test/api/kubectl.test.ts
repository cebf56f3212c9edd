// The real kubectl (the machine's, v1.32 by default) against the API over
// loopback. Skipped only where no kubectl is installed.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodInfo, PodSource } from '../../src/api/index.js';
import { hasKubectl, kubectl, readyStatus, service, startTestApi, writeManifest, type TestApi } from './helpers.js';

const manifest = (name: string, target: string, labels = 'app: hello') => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ${name}
  labels: {${labels}}
spec:
  template:
    spec:
      containers:
      - image: helloworld
        env:
        - name: TARGET
          value: ${target}
`;

describe.skipIf(!hasKubectl)('kubectl against the local API', { timeout: 180_000 }, () => {
  let api: TestApi;
  // What the data plane reports while hello-00001 runs (the integrator connects the real one).
  const pods: PodInfo[] = [];
  const podSource: PodSource = {
    list: (namespace) => pods.filter((p) => !namespace || p.namespace === namespace),
    logs: (_namespace, revision) => (revision === 'hello-00001' ? ['listening on 8080', 'GET / 200'] : []),
  };
  beforeAll(async () => {
    api = await startTestApi({ pods: podSource });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  }, 60_000);

  it('writes a kubeconfig (mode 0600) that kubectl uses, and serves version 1.32', async () => {
    expect(statSync(api.server.kubeconfigPath).mode & 0o777).toBe(0o600);
    expect(statSync(`${api.stateDir}/api.key`).mode & 0o777).toBe(0o600);
    const config = readFileSync(api.server.kubeconfigPath, 'utf8');
    expect(config).toContain('current-context: knative-local');
    const result = await kubectl(api, ['version', '-o', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).serverVersion.minor).toBe('32');
  });

  it('applies client-side twice (created, then unchanged) and gets it as table, yaml, json and name', async () => {
    const file = writeManifest(api, 'hello.yaml', manifest('hello', 'world'));
    const first = await kubectl(api, ['apply', '-f', file]);
    expect(first.stderr).toBe('');
    expect(first.stdout.trim()).toBe('service.serving.knative.dev/hello created');
    const second = await kubectl(api, ['apply', '-f', file]);
    expect(second.stdout.trim()).toBe('service.serving.knative.dev/hello unchanged');

    const table = await kubectl(api, ['get', 'ksvc']);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+URL\s+LATESTCREATED\s+LATESTREADY\s+READY\s+REASON$/);
    expect(table.stdout).toMatch(/^hello\s/m);

    const yaml = await kubectl(api, ['get', 'ksvc', 'hello', '-o', 'yaml']);
    expect(yaml.stdout).toContain('kind: Service');
    expect(yaml.stdout).toContain('generation: 1');
    expect(yaml.stdout).toContain('kubectl.kubernetes.io/last-applied-configuration');
    const json = JSON.parse((await kubectl(api, ['get', 'ksvc', 'hello', '-o', 'json'])).stdout);
    expect(json.spec.template.spec.containers[0].env[0].value).toBe('world');
    expect(json.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await kubectl(api, ['get', 'kservice', '-o', 'name'])).stdout.trim()).toBe('service.serving.knative.dev/hello');
  });

  it('shows printer columns from the status, get all, -A and the tutorial multi-type get', async () => {
    const current = api.store.get('services', 'default', 'hello')!;
    api.store.updateStatus('services', readyStatus(current, 'http://hello.default.localhost'));
    api.store.create('revisions', {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Revision',
      metadata: {
        name: 'hello-00001',
        labels: { 'serving.knative.dev/configuration': 'hello', 'serving.knative.dev/configurationGeneration': '1', 'serving.knative.dev/service': 'hello' },
        ownerReferences: [{ apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'hello', uid: current.metadata.uid!, controller: true }],
      },
      spec: { containers: [{ image: 'helloworld' }] },
      status: { actualReplicas: 1, desiredReplicas: 1, conditions: [{ type: 'Ready', status: 'True' }] },
    });
    const ksvc = await kubectl(api, ['get', 'ksvc', 'hello']);
    expect(ksvc.stdout).toMatch(/hello\s+http:\/\/hello\.default\.localhost\s+hello-00001\s+hello-00001\s+True/);
    const rev = await kubectl(api, ['get', 'rev']);
    expect(rev.stdout.split('\n')[0]).toMatch(/^NAME\s+CONFIG NAME\s+GENERATION\s+READY\s+REASON\s+ACTUAL REPLICAS\s+DESIRED REPLICAS$/);
    expect(rev.stdout).toMatch(/hello-00001\s+hello\s+1\s+True\s+1\s+1/);
    const all = await kubectl(api, ['get', 'all']);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('service.serving.knative.dev/hello');
    expect(all.stdout).toContain('revision.serving.knative.dev/hello-00001');
    pods.push({ namespace: 'default', replica: 1, revision: 'hello-00001', service: 'hello', ready: true, phase: 'Running', restarts: 0, startedAt: new Date().toISOString() });
    const tutorial = await kubectl(api, ['get', 'pod,ksvc,configuration,revision,route']);
    expect(tutorial.code).toBe(0);
    expect(tutorial.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(tutorial.stdout).toMatch(/^pod\/hello-00001-deployment-[a-z0-9]+-[a-z0-9]+\s+1\/1\s+Running\s+0\s+\d+s$/m);
    expect(tutorial.stdout).toContain('service.serving.knative.dev/hello');
    const podName = (await kubectl(api, ['get', 'pods', '-o', 'name'])).stdout.trim();
    const logs = await kubectl(api, ['logs', podName]);
    expect(logs.stdout).toBe('listening on 8080\nGET / 200\n');
    // Scale to zero: the pod goes away while kubectl waits for it to.
    const waiting = kubectl(api, ['wait', '--for=delete', podName, '--timeout=30s']);
    setTimeout(() => (pods.length = 0), 1000);
    const waited = await waiting;
    expect(waited.code).toBe(0);
    expect(waited.stdout).toContain('condition met');
    const everywhere = await kubectl(api, ['get', 'ksvc', '-A']);
    expect(everywhere.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+URL/);
    expect(everywhere.stdout).toMatch(/^default\s+hello\s/m);
  });

  it('selects by label with =, !=, in, notin, exists and !exists', async () => {
    await kubectl(api, ['apply', '-f', writeManifest(api, 'other.yaml', manifest('other', 'x', 'app: other, tier: web'))]);
    const names = async (selector: string) => (await kubectl(api, ['get', 'ksvc', '-l', selector, '-o', 'name'])).stdout.trim().split('\n').filter(Boolean);
    expect(await names('app=hello')).toEqual(['service.serving.knative.dev/hello']);
    expect(await names('app!=hello')).toEqual(['service.serving.knative.dev/other']);
    expect(await names('app in (hello,other)')).toHaveLength(2);
    expect(await names('app notin (hello)')).toEqual(['service.serving.knative.dev/other']);
    expect(await names('tier')).toEqual(['service.serving.knative.dev/other']);
    expect(await names('!tier')).toEqual(['service.serving.knative.dev/hello']);
    expect(await names('app==other,tier=web')).toEqual(['service.serving.knative.dev/other']);
  });

  it('applies server-side: creates, updates, reports a conflict with the other manager, and forces', async () => {
    const file = writeManifest(api, 'ssa.yaml', manifest('ssa', 'one'));
    const created = await kubectl(api, ['apply', '--server-side', '-f', file]);
    expect(created.stdout.trim()).toBe('service.serving.knative.dev/ssa serverside-applied');
    const updated = await kubectl(api, ['apply', '--server-side', '-f', writeManifest(api, 'ssa2.yaml', manifest('ssa', 'two'))]);
    expect(updated.code).toBe(0);
    expect(api.store.get('services', 'default', 'ssa')?.metadata.generation).toBe(2);

    const theirs = writeManifest(api, 'ssa-bob.yaml', manifest('ssa', 'bob'));
    const conflict = await kubectl(api, ['apply', '--server-side', '--field-manager=bob', '-f', theirs]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl" using serving.knative.dev/v1: .spec.template.spec.containers');

    const forced = await kubectl(api, ['apply', '--server-side', '--field-manager=bob', '--force-conflicts', '-f', theirs]);
    expect(forced.code).toBe(0);
    const stored = api.store.get('services', 'default', 'ssa')!;
    expect((stored.spec as any).template.spec.containers[0].env[0].value).toBe('bob');
    const managers = (stored.metadata.managedFields as { manager: string; fieldsV1: object }[]).map((m) => m.manager);
    expect(managers).toContain('bob');
    // The containers list is atomic: bob now owns all of it, kubectl keeps only its label.
    const kubectlFields = JSON.stringify((stored.metadata.managedFields as { manager: string; fieldsV1: object }[]).find((m) => m.manager === 'kubectl')?.fieldsV1);
    expect(kubectlFields).not.toContain('containers');
  });

  it('moves an object from client-side to server-side apply without a conflict, as kubectl expects', async () => {
    expect((await kubectl(api, ['apply', '-f', writeManifest(api, 'csa.yaml', manifest('migrated', 'client'))])).code).toBe(0);
    const result = await kubectl(api, ['apply', '--server-side', '-f', writeManifest(api, 'csa2.yaml', manifest('migrated', 'server'))]);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('service.serving.knative.dev/migrated serverside-applied');
    const stored = api.store.get('services', 'default', 'migrated')!;
    expect((stored.spec as any).template.spec.containers[0].env[0].value).toBe('server');
    // kubectl rewrote managedFields (a JSON patch) to hand the client-side fields to its server-side manager.
    const managers = (stored.metadata.managedFields as { manager: string }[]).map((m) => m.manager);
    expect(managers).toContain('kubectl');
    expect(managers).not.toContain('kubectl-client-side-apply');
  });

  it('patches with --type merge and json, says "no change", and refuses strategic merge on a Knative kind', async () => {
    const merge = await kubectl(api, ['patch', 'ksvc', 'hello', '--type', 'merge', '-p', '{"metadata":{"labels":{"team":"a"}}}']);
    expect(merge.stdout.trim()).toBe('service.serving.knative.dev/hello patched');
    const same = await kubectl(api, ['patch', 'ksvc', 'hello', '--type', 'merge', '-p', '{"metadata":{"labels":{"team":"a"}}}']);
    expect(same.stdout.trim()).toBe('service.serving.knative.dev/hello patched (no change)');
    const json = await kubectl(api, ['patch', 'ksvc', 'hello', '--type', 'json', '-p', '[{"op":"replace","path":"/metadata/labels/team","value":"b"}]']);
    expect(json.code).toBe(0);
    expect(api.store.get('services', 'default', 'hello')?.metadata.labels?.team).toBe('b');
    // Metadata-only changes leave the generation alone.
    expect(api.store.get('services', 'default', 'hello')?.metadata.generation).toBe(1);
    const strategic = await kubectl(api, ['patch', 'ksvc', 'hello', '-p', '{"metadata":{"labels":{"team":"c"}}}']);
    expect(strategic.code).not.toBe(0);
    expect(strategic.stderr).toContain('strategic-merge-patch+json is not supported');
  });

  it('diffs through a server-side dry run without storing, and replaces and labels', async () => {
    const before = api.store.get('services', 'default', 'other')!;
    const diff = await kubectl(api, ['diff', '-f', writeManifest(api, 'other-diff.yaml', manifest('other', 'changed', 'app: other, tier: web'))]);
    expect(diff.code).toBe(1); // kubectl diff: 1 means "differences found"
    expect(diff.stdout).toContain('+          value: changed');
    expect(api.store.get('services', 'default', 'other')!.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    const replaced = await kubectl(api, ['replace', '-f', writeManifest(api, 'other-replace.yaml', manifest('other', 'replaced', 'app: other, tier: web'))]);
    expect(replaced.stdout.trim()).toBe('service.serving.knative.dev/other replaced');
    expect(api.store.get('services', 'default', 'other')!.metadata.generation).toBe(2);
    expect((await kubectl(api, ['label', 'ksvc', 'other', 'extra=yes'])).stdout.trim()).toBe('service.serving.knative.dev/other labeled');
    expect(api.store.get('services', 'default', 'other')!.metadata.generation).toBe(2);
  });

  it('refuses the blog\'s v1alpha1 YAML as a real cluster does: no matches for kind', async () => {
    const legacy = `apiVersion: serving.knative.dev/v1alpha1
kind: Service
metadata:
  name: old
spec:
  runLatest:
    configuration:
      revisionTemplate:
        spec:
          container:
            image: hands-on-knative/helloworld
`;
    const result = await kubectl(api, ['apply', '-f', writeManifest(api, 'legacy.yaml', legacy)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('no matches for kind "Service" in version "serving.knative.dev/v1alpha1"');
    expect(api.store.get('services', 'default', 'old')).toBeUndefined();
  });

  it('prints Knative validation errors as "is invalid" with one line per field', async () => {
    const bad = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: broken
spec:
  template:
    spec:
      containers:
      - name: app
`;
    const one = await kubectl(api, ['apply', '-f', writeManifest(api, 'bad.yaml', bad)]);
    expect(one.code).not.toBe(0);
    expect(one.stderr).toContain('The Service "broken" is invalid: spec.template.spec.containers[0].image: missing field(s)');
    const two = await kubectl(api, ['apply', '-f', writeManifest(api, 'bad2.yaml', `${bad}      - name: second\n`)]);
    expect(two.stderr).toContain('The Service "broken" is invalid:');
    expect(two.stderr).toContain('* spec.template.spec.containers[0].image: missing field(s)');
    expect(two.stderr).toContain('* spec.template.spec.containers[1].image: missing field(s)');
    expect(api.store.get('services', 'default', 'broken')).toBeUndefined();
  });

  it('applies a Secret and a Namespace (twice: unchanged), folds stringData into data, and patches the Secret strategically', async () => {
    const file = writeManifest(
      api,
      'secret.yaml',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: twilio\ndata:\n  token: YWJj\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n',
    );
    const applied = await kubectl(api, ['apply', '-f', file]);
    expect(applied.stdout).toContain('secret/twilio created');
    expect(applied.stdout).toContain('namespace/team created');
    const again = await kubectl(api, ['apply', '-f', file]);
    expect(again.stdout).toContain('secret/twilio unchanged');
    const patched = await kubectl(api, ['patch', 'secret', 'twilio', '-p', '{"metadata":{"labels":{"use":"sms"}}}']);
    expect(patched.code).toBe(0);
    const secrets = await kubectl(api, ['get', 'secrets']);
    expect(secrets.stdout).toMatch(/twilio\s+Opaque\s+1\s+\d+s/);
    expect(Buffer.from(api.store.get('secrets', 'default', 'twilio')!.data!.token!, 'base64').toString()).toBe('abc');
    expect((await kubectl(api, ['get', 'ns'])).stdout).toMatch(/team\s+Active/);
    const stringData = writeManifest(api, 'string-data.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: plain\nstringData:\n  password: hunter2\n');
    expect((await kubectl(api, ['apply', '-f', stringData])).code).toBe(0);
    expect(api.store.get('secrets', 'default', 'plain')!.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
  });

  it('answers `kubectl create secret` (protobuf) with a 415 that points to kubectl apply', async () => {
    const result = await kubectl(api, ['create', 'secret', 'generic', 's', '--from-literal=a=b']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('kubectl apply -f');
  });

  it('waits for condition=Ready set by the store (the controller), and get -w receives the MODIFIED event', async () => {
    await kubectl(api, ['apply', '-f', writeManifest(api, 'waited.yaml', manifest('waited', 'w'))]);
    const home = `${api.dir}/home`;
    const watcher = spawn('kubectl', ['--kubeconfig', api.server.kubeconfigPath, 'get', 'ksvc', 'waited', '-w'], { env: { PATH: process.env.PATH, HOME: home } });
    let watched = '';
    watcher.stdout.on('data', (chunk: Buffer) => (watched += chunk.toString()));
    const waiting = kubectl(api, ['wait', 'ksvc/waited', '--for=condition=Ready', '--timeout=60s']);
    try {
      // Let both clients reach their watch before the status changes.
      await until(() => watched.includes('waited'));
      await new Promise((r) => setTimeout(r, 1500));
      const current = api.store.get('services', 'default', 'waited')!;
      api.store.updateStatus('services', readyStatus(current, 'http://waited.default.localhost'));
      const waited = await waiting;
      expect(waited.stdout.trim()).toBe('service.serving.knative.dev/waited condition met');
      await until(() => watched.includes('http://waited.default.localhost'));
      const lines = watched.trim().split('\n');
      expect(lines[0]).toMatch(/^NAME\s+URL/);
      expect(lines.at(-1)).toMatch(/^waited\s+http:\/\/waited\.default\.localhost\s+waited-00001\s+waited-00001\s+True/);
    } finally {
      watcher.kill('SIGKILL');
    }
  });

  it('deletes a Service and what it owns', async () => {
    const result = await kubectl(api, ['delete', 'ksvc', 'hello']);
    expect(result.stdout.trim()).toBe('service.serving.knative.dev "hello" deleted');
    expect(api.store.get('revisions', 'default', 'hello-00001')).toBeUndefined();
    const missing = await kubectl(api, ['get', 'ksvc', 'hello']);
    expect(missing.stderr).toContain('services.serving.knative.dev "hello" not found');
  });

  it('refuses a wrong token with "You must be logged in to the server"', async () => {
    const wrong = readFileSync(api.server.kubeconfigPath, 'utf8').replace(/token: .*/, 'token: not-the-token');
    const result = await kubectl(api, ['get', 'ksvc'], { kubeconfig: writeManifest(api, 'wrong-kubeconfig', wrong) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('error: You must be logged in to the server');
  });
});

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
void service;
