// The Dockerfile path: a build context with the same bundle and a Dockerfile
// rendered from Dockerfile.template, for people who prefer `docker build`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuiltImage } from './build.js';
import { APP_PORT } from './assemble.js';
import { UsageError } from './errors.js';
import { LAYOUT_PREFIX } from './source.js';

const TEMPLATE = fileURLToPath(new URL('../Dockerfile.template', import.meta.url));

/** The Dockerfile for a built image: its base pinned by digest, its config as instructions. */
export function renderDockerfile(image: BuiltImage, template: string = readFileSync(TEMPLATE, 'utf8')): string {
  const baseName = image.base.source.name;
  if (baseName.startsWith(LAYOUT_PREFIX)) {
    throw new UsageError(`a Dockerfile needs a base from a registry, not ${baseName}: pass --base <registry>/<image>`);
  }
  const config = image.images[0]!.config.value.config!;
  const from = `${baseName.replace(/@sha256:[a-f0-9]{64}$/, '')}@${image.base.digest}`;
  const labels = Object.entries(config.Labels ?? {})
    .filter(([key]) => key.startsWith('org.opencontainers.'))
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' \\\n      ');
  const values: Record<string, string> = {
    BASE: from,
    USER: config.User ?? '',
    PORT: String(APP_PORT),
    LABELS: labels,
    ENTRYPOINT: JSON.stringify(config.Entrypoint ?? []),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
}

/** Writes `<dir>/Dockerfile` and `<dir>/app/**` (the files of the app layer). */
export function writeDockerContext(image: BuiltImage, dir: string): void {
  const dockerfile = renderDockerfile(image);
  rmSync(path.join(dir, 'app'), { recursive: true, force: true });
  for (const file of image.bundle.files) {
    const target = path.join(dir, 'app', file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content, { mode: file.mode ?? 0o644 });
  }
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  writeFileSync(path.join(dir, '.dockerignore'), 'Dockerfile\n.dockerignore\n');
}
