// The Service manifests of the workspace's own apps: manifests/<app>/service.yaml
// for every apps/<app> that has one. Part of `pnpm start`'s default set, so an
// app made by `pnpm new` is served without naming its manifest.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Relative paths (with /), sorted, skipping those already in `known`. */
export function appServiceManifests(root: string, known: readonly string[] = []): string[] {
  const appsDir = path.join(root, 'apps');
  if (!existsSync(appsDir)) return [];
  return readdirSync(appsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(appsDir, entry.name, 'package.json')))
    .map((entry) => `manifests/${entry.name}/service.yaml`)
    .filter((manifest) => existsSync(path.join(root, manifest)) && !known.includes(manifest))
    .sort();
}
