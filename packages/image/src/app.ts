// Finds an app of the workspace (a folder of apps/) and what to bundle from it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';

export interface AppPackageJson {
  name?: string;
  version?: string;
  main?: string;
  repository?: string | { url?: string };
  dependencies?: Record<string, string>;
  /** `"image": { "external": ["better-sqlite3"] }`: packages shipped as node_modules instead of bundled. */
  image?: { external?: string[] };
}

export interface AppSource {
  name: string;
  dir: string;
  /** src/index.ts when it exists, else the package.json main. */
  entry: string;
  packageJson: AppPackageJson;
  /** Packages that cannot be bundled (native addons, files read at runtime). */
  external: string[];
}

/** The workspace root: the nearest folder above `from` with pnpm-workspace.yaml. */
export function findWorkspaceRoot(from: string = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml above ${from}: run this inside the hands-on-knative checkout`);
    dir = parent;
  }
}

export function listApps(appsDir: string): string[] {
  if (!existsSync(appsDir)) return [];
  return readdirSync(appsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(appsDir, entry.name, 'package.json')))
    .map((entry) => entry.name)
    .sort();
}

/** `apps/<name>` of the workspace, or an app folder given as a path. */
export function findApp(nameOrDir: string, workspaceRoot: string = findWorkspaceRoot()): AppSource {
  const appsDir = path.join(workspaceRoot, 'apps');
  const dir = /[/\\]/.test(nameOrDir) || nameOrDir.startsWith('.') ? path.resolve(nameOrDir) : path.join(appsDir, nameOrDir);
  const packageFile = path.join(dir, 'package.json');
  if (!existsSync(packageFile)) {
    const known = listApps(appsDir);
    throw new UsageError(`no app "${nameOrDir}" (no ${path.relative(workspaceRoot, packageFile) || packageFile}); apps: ${known.join(', ') || 'none'}`);
  }
  const packageJson = JSON.parse(readFileSync(packageFile, 'utf8')) as AppPackageJson;
  const candidates = [path.join(dir, 'src', 'index.ts'), ...(packageJson.main ? [path.join(dir, packageJson.main)] : [])];
  const entry = candidates.find((file) => existsSync(file));
  if (!entry) throw new UsageError(`app "${nameOrDir}" has neither src/index.ts nor a "main" file that exists: add one`);
  return { name: path.basename(dir), dir, entry, packageJson, external: [...(packageJson.image?.external ?? [])].sort() };
}
