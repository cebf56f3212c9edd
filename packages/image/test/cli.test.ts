// `pnpm image` end to end: scripts/src/image.ts is compiled with esbuild (its
// import of this package pointed at the sources) and run as a child process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readImageRecords } from '../src/records.js';
import { findWorkspaceRoot, freePort } from './support/lib.js';

const workspaceRoot = findWorkspaceRoot(import.meta.dirname);
const script = path.join(workspaceRoot, 'scripts', 'src', 'image.ts');
const packageDir = path.dirname(import.meta.dirname);
// Inside node_modules, so that the compiled script finds esbuild the way the package does.
const outDir = path.join(packageDir, 'node_modules', '.cache', `cli-test-${process.pid}`);
const compiled = path.join(outDir, 'image.mjs');
const host = inject('registryHost');
const base = inject('baseReference');
const temps: string[] = [];

beforeAll(async () => {
  await build({
    entryPoints: [script],
    outfile: compiled,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    alias: { '@hands-on-knative/image': path.join(packageDir, 'src', 'index.ts') },
    logLevel: 'silent',
  });
});

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  temps.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function image(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [compiled, ...args], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: '0', ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pnpm image (the command)', () => {
  it('exits 2 with the reason and the usage for bad input', () => {
    const none = image([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^image: name the app to build/);
    expect(none.stderr).toContain('usage: pnpm image <app>');
    expect(image(['helloworld']).stderr).toMatch(/--repo <registry>\/<namespace> is needed/);
    const unknown = image(['nope', '--repo', '127.0.0.1:5000/x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no app "nope".*apps: .*helloworld/);
    expect(image(['helloworld', '--repo', '127.0.0.1:5000/Bad']).stderr).toMatch(/invalid repository/);
    expect(image(['--help']).stdout).toContain('--platform <list>');
  });

  it('exits 1 with what to do when the registry is not there, without printing the password', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const result = image(['helloworld', '--repo', `${closed}/x`, '--base', `${closed}/base/node:test`], {
      REGISTRY_USERNAME: 'alice',
      REGISTRY_PASSWORD: 'sup3r-secret-pw',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot reach 127\.0\.0\.1:\d+ .*nothing listens there/);
    expect(result.stderr + result.stdout).not.toContain('sup3r-secret-pw');
  });

  it('writes an OCI layout with no registry and prints it with the digest', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hok-cli-layout-'));
    temps.push(dir);
    const result = image(['helloworld', '--base', `oci-layout:${inject('baseLayout')}`, '--output', `oci-layout:${dir}`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^oci-layout:${escape(dir)}@sha256:[a-f0-9]{64}\\n$`));
    expect(existsSync(path.join(dir, 'index.json'))).toBe(true);
  });

  it.skipIf(inject('registrySkipReason') !== '')('pushes and prints <repo>/<app>@sha256:… as the last line of stdout, progress on stderr', () => {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'image-cli-state-'));
    temps.push(stateDir);
    const result = image(['helloworld', '--repo', `${host}/cli`, '--base', base, '--tag', 'v1', '--platform', 'linux/amd64,linux/arm64', '--state', stateDir]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    // Recorded for pnpm apply, which puts it in place of hands-on-knative/helloworld.
    expect(readImageRecords(stateDir)).toEqual({ helloworld: lines.at(-1) });
    expect(lines.at(-1)).toMatch(new RegExp(`^${escape(host)}/cli/helloworld@sha256:[a-f0-9]{64}$`));
    expect(result.stderr).toContain(`pushing to ${host}/cli/helloworld`);
    expect(result.stderr).toMatch(/app layer +sha256:[a-f0-9]{12} +pushed/);
    expect(result.stderr).toMatch(/base layer +sha256:[a-f0-9]{12} +mounted/);
    // Same sources, same base, same SOURCE_DATE_EPOCH: the same reference again, nothing uploaded.
    const again = image(['helloworld', '--repo', `${host}/cli`, '--base', base, '--tag', 'v1', '--platform', 'linux/amd64,linux/arm64', '--state', stateDir]);
    expect(again.stdout.trim().split('\n').at(-1)).toBe(lines.at(-1));
    expect(again.stderr).toContain('blobs: 0 uploaded (0 bytes), 0 mounted, 5 already there');
  });
});
