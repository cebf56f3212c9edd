// Files and folders to parsed documents (the I/O half of preparing manifests).
// A folder means its *.yaml, *.yml and *.json files, in name order, not recursive (as kubectl -f).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ManifestError, parseManifests, type ParsedManifest } from '@hands-on-knative/knative';
import { invalidInput } from './errors.js';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

export function manifestFiles(paths: readonly string[]): string[] {
  if (paths.length === 0) throw invalidInput('name at least one file or folder to apply, e.g. pnpm apply manifests/helloworld/service-v1.yaml');
  const files: string[] = [];
  for (const given of paths) {
    let stat;
    try {
      stat = statSync(given);
    } catch {
      throw invalidInput(`${given}: no such file or folder`);
    }
    if (!stat.isDirectory()) {
      files.push(given);
      continue;
    }
    const inside = readdirSync(given)
      .filter((name) => MANIFEST_FILE.test(name))
      .sort()
      .map((name) => path.join(given, name));
    if (inside.length === 0) throw invalidInput(`${given}: no .yaml, .yml or .json files in this folder`);
    files.push(...inside);
  }
  return files;
}

export function loadManifests(paths: readonly string[]): ParsedManifest[] {
  const manifests: ParsedManifest[] = [];
  for (const file of manifestFiles(paths)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw invalidInput(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    try {
      manifests.push(...parseManifests(text, file));
    } catch (error) {
      if (error instanceof ManifestError) throw invalidInput(`${error.message}`);
      throw error;
    }
  }
  if (manifests.length === 0) throw invalidInput(`${paths.join(', ')}: no documents to apply`);
  return manifests;
}
