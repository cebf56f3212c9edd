// What the workspace already has, for the name check (the I/O half of name.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Workspace } from './name.js';

function folders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

function packageName(dir: string): string | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return typeof parsed.name === 'string' ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}

export function readWorkspace(root: string): Workspace {
  const apps = folders(path.join(root, 'apps'));
  const packageDirs = [
    ...apps.map((name) => path.join(root, 'apps', name)),
    ...folders(path.join(root, 'packages')).map((name) => path.join(root, 'packages', name)),
    path.join(root, 'scripts'),
    path.join(root, 'bench'),
  ];
  return {
    apps,
    manifests: folders(path.join(root, 'manifests')),
    packageNames: packageDirs.map(packageName).filter((name): name is string => name !== undefined),
  };
}
