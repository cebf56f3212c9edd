import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appServiceManifests } from '../src/start/app-manifests.js';
import { readTemplate, scaffoldApp } from '../src/new/scaffold.js';
import { renderTemplate } from '../src/new/template.js';

const roots: string[] = [];
const tempRoot = () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hok-new-'));
  roots.push(root);
  return root;
};
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('renderTemplate', () => {
  it('maps app/ to apps/<name>/ and manifest/ to manifests/<name>/, replacing __APP__ in paths and text', () => {
    expect(
      renderTemplate(
        [
          { path: 'app/src/__APP__.ts.tmpl', content: 'export const name = "__APP__"; // __APP__' },
          { path: 'manifest/service.yaml.tmpl', content: 'name: __APP__' },
        ],
        'greeter',
      ),
    ).toEqual([
      { path: 'apps/greeter/src/greeter.ts', content: 'export const name = "greeter"; // greeter' },
      { path: 'manifests/greeter/service.yaml', content: 'name: greeter' },
    ]);
  });

  it('refuses template files that would be mistaken for real ones or land elsewhere', () => {
    expect(() => renderTemplate([{ path: 'app/package.json', content: '' }], 'x')).toThrow(/must end in \.tmpl/);
    expect(() => renderTemplate([{ path: 'other/a.tmpl', content: '' }], 'x')).toThrow(/neither under app\/ nor manifest\//);
  });
});

describe('the shipped template', () => {
  it('has the handler, its test, the entry, README, package.json, tsconfig and the manifest', () => {
    expect(renderTemplate(readTemplate(), 'greeter').map((f) => f.path).sort()).toEqual([
      'apps/greeter/README.md',
      'apps/greeter/package.json',
      'apps/greeter/src/handler.ts',
      'apps/greeter/src/index.ts',
      'apps/greeter/test/handler.test.ts',
      'apps/greeter/tsconfig.json',
      'manifests/greeter/service.yaml',
    ]);
  });

  it('makes a package like apps/helloworld: same scripts shape, runtime dependency, esbuild bundle to dist/index.js', () => {
    const files = renderTemplate(readTemplate(), 'greeter');
    const pkg = JSON.parse(files.find((f) => f.path === 'apps/greeter/package.json')!.content);
    const helloworld = JSON.parse(readFileSync(new URL('../../apps/helloworld/package.json', import.meta.url), 'utf8'));
    expect(pkg.name).toBe('@hands-on-knative/greeter');
    expect(pkg.main).toBe('./dist/index.js');
    expect(Object.keys(pkg.scripts)).toEqual(Object.keys(helloworld.scripts));
    expect(pkg.scripts.build).toBe(helloworld.scripts.build);
    expect(pkg.dependencies).toEqual({ '@hands-on-knative/function-runtime': 'workspace:*' });
    expect(pkg.devDependencies).toEqual(helloworld.devDependencies);
    expect(files.find((f) => f.path === 'manifests/greeter/service.yaml')!.content).toContain('- image: hands-on-knative/greeter');
  });
});

describe('scaffoldApp', () => {
  it('writes the files and says which', () => {
    const root = tempRoot();
    const written = scaffoldApp(root, 'greeter');
    expect(written).toContain('apps/greeter/src/handler.ts');
    for (const file of written) expect(existsSync(path.join(root, file)), file).toBe(true);
    expect(readFileSync(path.join(root, 'apps/greeter/README.md'), 'utf8')).toContain('curl http://greeter.default.localhost:8080/?name=Knative');
  });

  it('never writes into an existing app or manifest folder', () => {
    const root = tempRoot();
    mkdirSync(path.join(root, 'manifests', 'greeter'), { recursive: true });
    expect(() => scaffoldApp(root, 'greeter')).toThrow('manifests/greeter already exists: nothing was written');
    expect(existsSync(path.join(root, 'apps', 'greeter'))).toBe(false);
  });

  it('removes what it wrote when writing fails half-way', () => {
    const root = tempRoot();
    // A file where the manifests folder should be: the app is written first, then the manifest fails.
    writeFileSync(path.join(root, 'manifests'), 'in the way');
    expect(() => scaffoldApp(root, 'greeter')).toThrow();
    expect(existsSync(path.join(root, 'apps', 'greeter'))).toBe(false);
  });
});

describe('appServiceManifests', () => {
  it("lists manifests/<app>/service.yaml of the workspace's apps, minus those already known", () => {
    const root = tempRoot();
    scaffoldApp(root, 'greeter');
    scaffoldApp(root, 'another');
    mkdirSync(path.join(root, 'manifests', 'orphan'), { recursive: true });
    writeFileSync(path.join(root, 'manifests', 'orphan', 'service.yaml'), '');
    mkdirSync(path.join(root, 'apps', 'no-manifest'), { recursive: true });
    writeFileSync(path.join(root, 'apps', 'no-manifest', 'package.json'), '{}');
    expect(appServiceManifests(root)).toEqual(['manifests/another/service.yaml', 'manifests/greeter/service.yaml']);
    expect(appServiceManifests(root, ['manifests/greeter/service.yaml'])).toEqual(['manifests/another/service.yaml']);
  });
});
