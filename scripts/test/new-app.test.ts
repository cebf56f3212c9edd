// `pnpm new` end to end: the built command refuses bad names (exit 2, nothing
// written), scaffolds into a temp workspace, and the new app passes its own
// typecheck and test, builds with its own build script, and is served by a local
// serving given the default manifests plus the app manifests. Nothing is ever
// written into this repository's apps/ or manifests/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalServing } from '@hands-on-knative/local-serving';
import { appServiceManifests } from '../src/start/app-manifests.js';
import { applyDefaultManifests, waitForServices } from '../src/start/default-manifests.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const newJs = path.join(repoRoot, 'scripts', 'dist', 'new.js');
const root = mkdtempSync(path.join(os.tmpdir(), 'hok-new-app-'));
const app = 'greeter';
const appDir = path.join(root, 'apps', app);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  expect(existsSync(path.join(repoRoot, 'apps', app))).toBe(false);
});

/** GET through the ingress with a Host header (fetch does not let one set Host). */
function getViaIngress(port: number, host: string, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function runNew(...args: string[]) {
  return spawnSync(process.execPath, [newJs, ...args], { encoding: 'utf8', timeout: 60_000 });
}

/** The packages a pnpm install would link, taken from this workspace (same versions). */
function linkDependencies(): void {
  const link = (target: string, at: string) => {
    mkdirSync(path.dirname(at), { recursive: true });
    symlinkSync(realpathSync(target), at, 'dir');
  };
  const hello = path.join(repoRoot, 'apps', 'helloworld', 'node_modules');
  link(path.join(repoRoot, 'packages', 'function-runtime'), path.join(appDir, 'node_modules', '@hands-on-knative', 'function-runtime'));
  for (const dep of ['supertest', '@types/supertest', 'esbuild']) link(path.join(hello, dep), path.join(appDir, 'node_modules', dep));
  for (const dep of ['vitest', 'typescript', '@types/node']) link(path.join(repoRoot, 'node_modules', dep), path.join(root, 'node_modules', dep));
  copyFileSync(path.join(repoRoot, 'tsconfig.base.json'), path.join(root, 'tsconfig.base.json'));
}

function inApp(command: string) {
  const bin = [path.join(repoRoot, 'apps', 'helloworld', 'node_modules', '.bin'), path.join(repoRoot, 'node_modules', '.bin')];
  return spawnSync('bash', ['-c', command], {
    cwd: appDir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', PATH: [...bin, process.env.PATH].join(path.delimiter) },
  });
}

describe('pnpm new, the command', () => {
  it('refuses bad names with exit 2 and one clear line, writing nothing', () => {
    const cases: [string, RegExp][] = [
      ['Bad_Name', /^new: "Bad_Name" cannot name a Knative Service .*Try: pnpm new bad-name\n$/],
      ['helloworld', /^new: apps\/helloworld already exists: pick another name, or edit that app\n$/],
      ['local-serving', /^new: a workspace package is already called @hands-on-knative\/local-serving: pick another name\n$/],
      ['kubernetes', /^new: "kubernetes" is reserved/],
    ];
    for (const [name, message] of cases) {
      const result = runNew(name, '--no-install');
      expect(result.status, name).toBe(2);
      expect(result.stderr, name).toMatch(message);
      expect(result.stdout).toBe('');
    }
    expect(existsSync(path.join(repoRoot, 'apps', 'Bad_Name'))).toBe(false);
    expect(runNew('a', 'b').status).toBe(2);
    expect(runNew('--bogus').stderr).toMatch(/^new: Unknown option '--bogus'/);
  });

  it('has --help', () => {
    const result = runNew('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: pnpm new <name> \[options\]/);
  });

  it('scaffolds the app and its manifest, lists them on stderr and the next steps on stdout', () => {
    const result = runNew(app, '--root', root, '--no-install');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('created apps/greeter/src/handler.ts\n');
    expect(result.stderr).toContain('created manifests/greeter/service.yaml\n');
    expect(result.stdout).toContain('  pnpm --filter @hands-on-knative/greeter test\n');
    expect(runNew(app, '--root', root, '--no-install').stderr).toBe('new: apps/greeter already exists: pick another name, or edit that app\n');
  });
});

describe('the new app', () => {
  it('type-checks, passes its test and builds with its own scripts', () => {
    linkDependencies();
    const pkg = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8'));
    for (const script of ['typecheck', 'test', 'build']) {
      const result = inApp(pkg.scripts[script]);
      expect(result.status, `${script}:\n${result.stdout}\n${result.stderr}`).toBe(0);
      if (script === 'test') expect(result.stdout).toMatch(/Tests\s+3 passed/);
    }
    expect(existsSync(path.join(appDir, 'dist', 'index.js'))).toBe(true);
  }, 180_000);

  it("is served by the local serving from pnpm start's default manifests plus the app manifests", async () => {
    const manifests = appServiceManifests(root);
    expect(manifests).toEqual(['manifests/greeter/service.yaml']);
    const serving = await startLocalServing({ stateDir: path.join(root, 'state'), repoRoot: root, ingressPort: 0, onNotice: () => {}, onLog: () => {} });
    try {
      const files = manifests.map((file) => ({ file, text: readFileSync(path.join(root, file), 'utf8') }));
      const applied = applyDefaultManifests(serving.store, files);
      expect(applied.errors).toEqual([]);
      const [state] = await waitForServices(serving.store, {
        timeoutMs: 60_000,
        onProgress: () => {},
        isServing: (namespace, revision) => serving.dataPlane.revisionStatus(namespace, revision)?.phase === 'Ready',
        ingressPort: serving.ingressPort,
      });
      expect(state).toMatchObject({ name: 'greeter', ready: 'True', url: `http://greeter.default.localhost:${serving.ingressPort}` });
      const res = await getViaIngress(serving.ingressPort, 'greeter.default.localhost', '/?name=Knative');
      expect(res.status, res.body).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ message: 'Hello, Knative!', path: '/' });
    } finally {
      await serving.close();
    }
  }, 120_000);
});
