// Lists the apps of a workspace (the I/O half of the image -> app rule).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkspaceApp } from './image-to-app.js';

/** Every folder of `<root>/apps` with a package.json; `main` is set only when its entry exists. */
export function listWorkspaceApps(workspaceRoot: string): WorkspaceApp[] {
  const appsDir = path.resolve(workspaceRoot, 'apps');
  let entries: string[];
  try {
    entries = readdirSync(appsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
  const apps: WorkspaceApp[] = [];
  for (const name of entries) {
    const dir = path.join(appsDir, name);
    const manifest = readPackageJson(path.join(dir, 'package.json'));
    if (!manifest) continue;
    const mainField = typeof manifest.main === 'string' && manifest.main !== '' ? manifest.main : 'index.js';
    const main = path.resolve(dir, mainField);
    apps.push({
      name,
      dir,
      main: existsSync(main) ? main : undefined,
      mainField,
      packageName: typeof manifest.name === 'string' ? manifest.name : undefined,
    });
  }
  return apps;
}

function readPackageJson(file: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
