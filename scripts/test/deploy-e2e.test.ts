// End to end: pnpm apply, traffic, status, delete and ship run as a user runs them
// (`node scripts/dist/<command>.js`, KUBECONFIG pointing at a kubeconfig) against the
// local serving, started here over a temp state folder with ports 0 and driven only
// through its kubeconfig (HTTPS API) and its ingress (HTTP with Host headers).
// The tutorial steps run in order; each test builds on the previous one.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasBinary, missingComponent, startRegistry, writeTestBase } from '@hands-on-knative/image/testing';
import { startLocalServing, type LocalServing } from '@hands-on-knative/local-serving';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifest = (file: string) => path.join(repo, 'manifests', file);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let serving: LocalServing;
let temp: string;
let ingressPort: number;
const outputs: string[] = [];

function run(command: string, args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(repo, 'scripts', 'dist', `${command}.js`), ...args],
      {
        cwd: repo,
        env: { PATH: process.env.PATH, HOME: path.join(temp, 'home'), KUBECONFIG: serving.kubeconfigPath, ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        outputs.push(stdout, stderr);
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** curl -H 'Host: <host>' <ingress>/ */
function get(host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: ingressPort, path: '/', headers: { Host: host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: body.trim() }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function status(service: string): Promise<{ revisions: { name: string; traffic: number; tags: string[]; urls: string[] }[]; problems: { kind: string; name: string; reason: string; message: string }[] }> {
  const result = await run('status', [service, '-o', 'json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

const share = (report: Awaited<ReturnType<typeof status>>) => Object.fromEntries(report.revisions.filter((r) => r.traffic > 0).map((r) => [r.name, r.traffic]));

beforeAll(async () => {
  temp = mkdtempSync(path.join(os.tmpdir(), 'deploy-e2e-'));
  mkdirSync(path.join(temp, 'home'));
  // The local serving runs apps of a workspace: copies of the built helloworld and
  // twilio-sms (their package.json and dist, a bundle), plus an app that starts but
  // never listens (for the timeout).
  const apps = path.join(temp, 'workspace', 'apps');
  mkdirSync(path.join(apps, 'never-ready'), { recursive: true });
  for (const app of ['helloworld', 'twilio-sms']) {
    for (const part of ['package.json', 'dist']) cpSync(path.join(repo, 'apps', app, part), path.join(apps, app, part), { recursive: true });
  }
  writeFileSync(path.join(apps, 'never-ready', 'package.json'), JSON.stringify({ name: 'never-ready', private: true, main: 'index.js' }));
  writeFileSync(path.join(apps, 'never-ready', 'index.js'), 'setInterval(() => {}, 1000); // never listens on PORT\n');
  serving = await startLocalServing({
    stateDir: path.join(temp, 'state'),
    repoRoot: path.join(temp, 'workspace'),
    ingressPort: 0,
    apiPort: 0,
    onLog: () => {},
    onNotice: () => {},
  });
  ingressPort = serving.ingressPort;
}, 60_000);

afterAll(async () => {
  await serving?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
}, 60_000);

describe('the tutorial, step by step, through pnpm apply / traffic / status', () => {
  it('step 1: hello world v1 is created, Ready, and answers through the ingress', async () => {
    const result = await run('apply', [manifest('helloworld/service-v1.yaml')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Service 'helloworld' created to latest revision 'helloworld-00001' is available at URL:");
    expect(result.stdout).toContain(`http://helloworld.default.localhost:${ingressPort}`);
    expect(result.stdout).toContain('Serving: helloworld-00001');
    expect(result.stderr).toMatch(/Creating Service 'helloworld' in namespace 'default'/);
    expect(result.stderr).toMatch(/^\s+\d+\.\d{3}s Ready to serve\.$/m);
    expect(await get('helloworld.default.localhost')).toEqual({ status: 200, body: 'Hello v1!' });
  }, 120_000);

  it('step 1: pnpm status shows pod, ksvc, configuration, revision and route', async () => {
    const result = await run('status', []);
    expect(result.code, result.stderr).toBe(0);
    for (const row of [/^pod\/helloworld-00001-deployment-\S+\s+1\/1\s+Running/m, /^service\.serving\.knative\.dev\/helloworld\s+http:\/\/helloworld\.default\.localhost:\d+\s+helloworld-00001\s+helloworld-00001\s+True/m, /^configuration\.serving\.knative\.dev\/helloworld\s+helloworld-00001\s+helloworld-00001\s+True/m, /^revision\.serving\.knative\.dev\/helloworld-00001\s+helloworld\s+1\s+True.*100%/m, /^route\.serving\.knative\.dev\/helloworld\s+http:\/\/helloworld\.default\.localhost:\d+\s+True/m]) {
      expect(result.stdout).toMatch(row);
    }
  }, 60_000);

  it('step 2: v2 changes only an env var: a second revision takes the traffic', async () => {
    const result = await run('apply', [manifest('helloworld/service-v2.yaml')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Service 'helloworld' updated to latest revision 'helloworld-00002' is available at URL:");
    expect(await get('helloworld.default.localhost')).toEqual({ status: 200, body: 'Hello v2!' });
  }, 120_000);

  it('step 2: v3 is a third revision', async () => {
    const result = await run('apply', [manifest('helloworld/service-v3.yaml')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("updated to latest revision 'helloworld-00003'");
    expect((await get('helloworld.default.localhost')).body).toBe('Hello v3!');
  }, 120_000);

  it('step 3: pinned sends 100% to helloworld-00001 under `current`, `latest` reaches 00003, no new revision', async () => {
    const result = await run('apply', [manifest('helloworld/traffic-pinned.yaml')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('No new revision has been created.');
    expect(result.stdout).toMatch(/100%\s+helloworld-00001\s+tag current: http:\/\/current-helloworld\.default\.localhost:\d+/);
    expect((await get('helloworld.default.localhost')).body).toBe('Hello v1!');
    expect((await get('current-helloworld.default.localhost')).body).toBe('Hello v1!');
    expect((await get('latest-helloworld.default.localhost')).body).toBe('Hello v3!');
  }, 120_000);

  it('step 3: pnpm traffic rolls out the candidate 80/20 with kn semantics, each tag at its own URL', async () => {
    const result = await run('traffic', ['helloworld', '--tag', 'helloworld-00003=candidate', '--traffic', 'current=80', '--traffic', 'candidate=20']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ 80%\s+helloworld-00001\s+tag current/);
    expect(result.stdout).toMatch(/ 20%\s+helloworld-00003\s+tag candidate: http:\/\/candidate-helloworld\.default\.localhost:\d+/);
    expect(share(await status('helloworld'))).toEqual({ 'helloworld-00001': 80, 'helloworld-00003': 20 });
    expect((await get('candidate-helloworld.default.localhost')).body).toBe('Hello v3!');
    // The curl loop of the tutorial: both versions answer on the main URL.
    const seen = new Set<string>();
    for (let i = 0; i < 60 && seen.size < 2; i++) seen.add((await get('helloworld.default.localhost')).body);
    expect([...seen].sort()).toEqual(['Hello v1!', 'Hello v3!']);
  }, 120_000);

  it('a later apply of a manifest without spec.traffic keeps the split set by pnpm traffic', async () => {
    const result = await run('apply', [manifest('helloworld/service-v3.yaml')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('No new revision has been created.');
    expect(share(await status('helloworld'))).toEqual({ 'helloworld-00001': 80, 'helloworld-00003': 20 });
  }, 120_000);

  it('a manifest with spec.traffic does not silently take the split back: 409 naming the manager, exit 3', async () => {
    const result = await run('apply', [manifest('helloworld/traffic-split-50-50.yaml')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('conflict');
    expect(result.stderr).toContain('.spec.traffic managed by "hands-on-knative-traffic" (pnpm traffic)');
    expect(result.stderr).toContain('--force');
    expect(share(await status('helloworld'))).toEqual({ 'helloworld-00001': 80, 'helloworld-00003': 20 });
  }, 120_000);

  it('step 3: 50/50 with pnpm traffic (a comma-separated --traffic, as kn accepts)', async () => {
    const result = await run('traffic', ['helloworld', '--traffic', 'current=50,candidate=50']);
    expect(result.code, result.stderr).toBe(0);
    expect(share(await status('helloworld'))).toEqual({ 'helloworld-00001': 50, 'helloworld-00003': 50 });
  }, 120_000);

  it('pnpm apply --force takes the split back from the manifest', async () => {
    const result = await run('apply', ['--force', manifest('helloworld/traffic-split-80-20.yaml')]);
    expect(result.code, result.stderr).toBe(0);
    const report = await status('helloworld');
    expect(share(report)).toEqual({ 'helloworld-00001': 80, 'helloworld-00003': 20 });
    expect(report.revisions.find((r) => r.name === 'helloworld-00003')!.tags.sort()).toEqual(['candidate', 'latest']);
  }, 120_000);

  it('kn traffic errors are invalid input (exit 2), and nothing is sent', async () => {
    const over = await run('traffic', ['helloworld', '--traffic', 'current=80', '--traffic', 'candidate=30']);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('given traffic percents sum to 110, want <=100');
    const taken = await run('traffic', ['helloworld', '--tag', 'helloworld-00002=current']);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain("refusing to overwrite existing tag in service, add flag '--untag current' in command to untag it");
  }, 60_000);

  it('the blog v1alpha1 runLatest is applied as v1 with a warning: a new revision gets 100%', async () => {
    const result = await run('apply', [manifest('legacy/service-runlatest.yaml')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('warning: ');
    expect(result.stderr).toContain('converted serving.knative.dev/v1alpha1 to serving.knative.dev/v1');
    expect(result.stderr).toContain('spec.runLatest became spec.traffic');
    expect(result.stdout).toContain("updated to latest revision 'helloworld-00004'");
    expect((await get('helloworld.default.localhost')).body).toBe('Hello v1!');
  }, 120_000);
});

describe('failures a user can act on', () => {
  it('a revision whose image names no workspace app fails with its reason and message, exit 3', async () => {
    const file = path.join(temp, 'broken.yaml');
    writeFileSync(file, 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: broken\nspec:\n  template:\n    spec:\n      containers:\n        - image: hands-on-knative/no-such-app\n');
    const result = await run('apply', [file]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("apply: service 'broken' failed: RevisionFailed: Revision \"broken-00001\" failed with message: Unable to fetch image \"hands-on-knative/no-such-app\"");
    const report = await status('broken');
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'revision.serving.knative.dev', name: 'broken-00001', reason: 'ContainerMissing' }));
  }, 120_000);

  it('twilio-sms without its Secret fails to start: reason and message, exit 3, no secret printed', async () => {
    const result = await run('apply', [manifest('twilio-sms/service.yaml')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('secret "twilio" not found');
    const text = await run('status', ['twilio-sms']);
    expect(text.stdout).toMatch(/Failing conditions:\n(.*\n)*\s+revision\.serving\.knative\.dev\/twilio-sms-00001 Ready: CreateContainerConfigError: secret "twilio" not found/);
    // With the Secret applied first (same command, Secrets go before Services), it starts.
    const fixed = await run('apply', [manifest('twilio-sms/service.yaml'), manifest('twilio-sms/secret.example.yaml')]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/^Secret 'twilio' created in namespace 'default'\.$/m);
    expect(fixed.stdout).toContain("Service 'twilio-sms' with latest revision 'twilio-sms-00001' (unchanged) is available at URL:");
  }, 120_000);

  it('pnpm traffic refuses to send traffic to a revision that is not Ready', async () => {
    const failing = await run('apply', [manifest('helloworld/service-v3.yaml'), '--image', 'helloworld=hands-on-knative/no-such-app']);
    expect(failing.code).toBe(3);
    const result = await run('traffic', ['helloworld', '--traffic', 'helloworld-00005=10', '--traffic', 'current=90']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('revision "helloworld-00005" is not ready (ContainerMissing: Unable to fetch image');
    expect(result.stderr).toContain('refusing to send it 10% of the traffic');
  }, 120_000);

  it('--timeout 1 on a revision that never gets ready: exit 4 with the last status', async () => {
    const file = path.join(temp, 'slow.yaml');
    writeFileSync(file, 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: slow\nspec:\n  template:\n    spec:\n      containers:\n        - image: hands-on-knative/never-ready\n');
    const result = await run('apply', [file, '--timeout', '1']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("apply: timeout: service 'slow' not ready after 1 seconds");
  }, 120_000);

  it('delete --wait waits until it is gone; apply --no-wait returns after the write', async () => {
    const result = await run('delete', ['slow', '--wait']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("Service 'slow' successfully deleted in namespace 'default'.\n");
    const file = path.join(temp, 'slow.yaml');
    const again = await run('apply', [file, '--no-wait']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Service 'slow' created in namespace 'default'.");
  }, 120_000);

  it('invalid manifests are refused before any request, with file, document and field (exit 2)', async () => {
    const file = path.join(temp, 'invalid.yaml');
    writeFileSync(file, 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: helloworld\nspec:\n  template:\n    spec:\n      containers:\n        - image: hands-on-knative/helloworld\n          env:\n            - name: PORT\n              value: "1"\n');
    const result = await run('apply', [file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid\.yaml:1 \(document 1\): Service "helloworld": spec\.template\.spec\.containers\[0\]\.env\[0\]\.name: /);
    const manual = await run('apply', [path.join(temp, 'nope.yaml')]);
    expect(manual.code).toBe(2);
    expect(manual.stderr).toContain('no such file or folder');
  }, 60_000);

  it('delete removes the service; status then says it is not found (exit 3)', async () => {
    const result = await run('delete', ['broken', '--wait']);
    expect(result.code, result.stderr).toBe(0);
    const gone = await run('status', ['broken']);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toContain('Service "broken" not found in namespace "default"');
  }, 60_000);

  it('a missing namespace is named; a Namespace document in the same file is applied first', async () => {
    const missing = await run('apply', [manifest('helloworld/service-v1.yaml'), '-n', 'team-b']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('namespace "team-b" does not exist');
    const file = path.join(temp, 'team-a.yaml');
    writeFileSync(file, 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: hello\n  namespace: team-a\nspec:\n  template:\n    spec:\n      containers:\n        - image: hands-on-knative/helloworld\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n');
    const result = await run('apply', [file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe("Namespace 'team-a' created.");
    expect(result.stdout).toContain(`http://hello.team-a.localhost:${ingressPort}`);
    expect((await get('hello.team-a.localhost')).body).toBe('Hello World!');
  }, 120_000);

  it('no kubeconfig anywhere: exit 2 with what to do', async () => {
    const result = await run('status', ['--state', path.join(temp, 'no-state')], { KUBECONFIG: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no kubeconfig');
    expect(result.stderr).toContain('pnpm start');
  }, 60_000);

  it('the local serving kubeconfig is the last fallback, and the command says so', async () => {
    const result = await run('status', ['helloworld', '--state', path.join(temp, 'state')], { KUBECONFIG: undefined });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("Using the local serving's kubeconfig");
  }, 60_000);

  it('a refused connection, Knative not installed, and RBAC are told apart (exit 3)', async () => {
    const answers = new Map<string, { code: number; reason: string; message: string }>([
      ['notinstalled', { code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' }],
      ['forbidden', { code: 403, reason: 'Forbidden', message: 'services.serving.knative.dev "helloworld" is forbidden: User "dev" cannot get resource "services" in API group "serving.knative.dev" in the namespace "default"' }],
    ]);
    // A plain HTTP stand-in for an API server without Knative / with RBAC (each a Status, as kube-apiserver answers).
    const server = http.createServer((request, response) => {
      const answer = answers.get(request.url!.split('/')[1]!)!;
      response.writeHead(answer.code, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...answer }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const kubeconfig = (name: string, server: string) => {
      const file = path.join(temp, `${name}.kubeconfig`);
      writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: super-secret-token-value\ncontexts:\n- name: ctx\n  context:\n    cluster: c\n    user: u\ncurrent-context: ctx\n`);
      return file;
    };
    try {
      const closed = await run('status', ['helloworld', '--kubeconfig', kubeconfig('closed', 'https://127.0.0.1:1')]);
      expect(closed.code).toBe(3);
      expect(closed.stderr).toContain('cannot reach the cluster at https://127.0.0.1:1: connection refused');
      const missing = await run('status', ['helloworld', '--kubeconfig', kubeconfig('missing', `http://127.0.0.1:${port}/notinstalled`)]);
      expect(missing.code).toBe(3);
      expect(missing.stderr).toContain('Knative Serving is not installed');
      const forbidden = await run('status', ['helloworld', '--kubeconfig', kubeconfig('forbidden', `http://127.0.0.1:${port}/forbidden`)]);
      expect(forbidden.code).toBe(3);
      expect(forbidden.stderr).toContain('forbidden: services.serving.knative.dev "helloworld" is forbidden');
      expect(forbidden.stderr).toContain('RBAC');
      for (const r of [closed, missing, forbidden]) expect(r.stdout + r.stderr).not.toContain('super-secret-token-value');
    } finally {
      server.close();
    }
  }, 60_000);

  it('--dry-run needs no cluster and never prints Secret values', async () => {
    const result = await run('apply', ['--dry-run', '-o', 'json', manifest('twilio-sms/secret.example.yaml'), manifest('helloworld/service-v1.yaml')], { KUBECONFIG: path.join(temp, 'nowhere') });
    expect(result.code, result.stderr).toBe(0);
    const list = JSON.parse(result.stdout);
    expect(list.items.map((i: { kind: string }) => i.kind)).toEqual(['Secret', 'Service']);
    expect(list.items[0].stringData.authToken).toBe('(redacted)');
    expect(result.stdout).not.toContain('not-a-real-token-replace-me');
  }, 60_000);
});

describe('ship', () => {
  it('builds the app and deploys it with the placeholder against the local serving', async () => {
    const result = await run('ship', ['helloworld', '-f', manifest('helloworld/service-v2.yaml')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Building helloworld');
    expect(result.stdout).toMatch(/Service 'helloworld' (created|updated) to latest revision 'helloworld-\d{5}' is available at URL:/);
    expect((await get('helloworld.default.localhost')).body).toBe('Hello v2!');
  }, 180_000);
});

describe('ship --repo', () => {
  it('builds and pushes to a registry, records the digest, deploys the revision pinned to it', async (context) => {
    if (!hasBinary('docker-registry')) {
      missingComponent('docker-registry is not installed (apt-get install docker-registry)');
      context.skip();
    }
    const registry = await startRegistry();
    try {
      const base = path.join(temp, 'base');
      writeTestBase(base);
      const state = path.join(temp, 'ship-state');
      const result = await run('ship', ['helloworld', '--repo', `${registry.host}/demo`, '--base', `oci-layout:${base}`, '-f', manifest('helloworld/service-v3.yaml'), '--state', state]);
      expect(result.code, result.stderr).toBe(0);
      const reference = /Pushed (\S+)/.exec(result.stderr)?.[1] ?? '';
      expect(reference).toMatch(new RegExp(`^${registry.host.replace(/\./g, '\\.')}/demo/helloworld@sha256:[0-9a-f]{64}$`));
      expect(result.stderr).toContain(`image helloworld: ${reference} (--image)`);
      expect(result.stdout).toMatch(/Service 'helloworld' (created|updated) to latest revision 'helloworld-\d{5}' is available at URL:/);
      expect((await get('helloworld.default.localhost')).body).toBe('Hello v3!');
      // The digest is recorded: a later apply for a cluster (here a dry run) resolves the placeholder to it.
      const records = JSON.parse(readFileSync(path.join(state, 'images.json'), 'utf8'));
      expect(records.images.helloworld.reference).toBe(reference);
      const dry = await run('apply', ['--dry-run', '-o', 'json', '--state', state, manifest('helloworld/service-v1.yaml')]);
      expect(JSON.parse(dry.stdout).spec.template.spec.containers[0].image).toBe(reference);
    } finally {
      await registry.stop();
    }
  }, 300_000);
});

describe('credentials', () => {
  it('the API token of the kubeconfig never appeared in any output', () => {
    const token = readFileSync(path.join(temp, 'state', 'api-token'), 'utf8').trim();
    expect(token.length).toBeGreaterThan(20);
    expect(outputs.length).toBeGreaterThan(40);
    for (const text of outputs) expect(text).not.toContain(token);
    // Nor the value of the Secret that was applied (plain or base64).
    for (const text of outputs) {
      expect(text).not.toContain('not-a-real-token-replace-me');
      expect(text).not.toContain(Buffer.from('not-a-real-token-replace-me').toString('base64'));
    }
  });
});
