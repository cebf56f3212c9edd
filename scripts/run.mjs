#!/usr/bin/env node
// Runs one command of scripts/ (pnpm start, pnpm image, ...). Builds the
// workspace first when a source is newer than its build, so a command copied
// from the docs works right after `pnpm install`; otherwise it costs nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const [command, ...args] = process.argv.slice(2);
if (!command || !/^[a-z][a-z-]*$/.test(command)) {
  process.stderr.write('usage: node scripts/run.mjs <command> [args...]\n');
  process.exit(2);
}

function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

function isStale() {
  for (const group of ['apps', 'packages', 'scripts']) {
    const groupDir = path.join(root, group);
    const projects = group === 'scripts' ? [groupDir] : readdirSync(groupDir).map((name) => path.join(groupDir, name));
    for (const project of projects) {
      const src = path.join(project, 'src');
      if (!existsSync(src)) continue;
      const dist = path.join(project, 'dist');
      if (!existsSync(dist) || newest(src) > newest(dist)) return true;
    }
  }
  return false;
}

if (isStale()) {
  process.stderr.write('Building the workspace (first run or sources changed)...\n');
  const turbo = path.join(root, 'node_modules', '.bin', 'turbo');
  // Everything the staleness check looks at, so the next command finds it fresh.
  const result = spawnSync(turbo, ['run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    // turbo prints a failing task's log on stdout: show it (on stderr, like the rest).
    stdio: ['ignore', 2, 'inherit'],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) {
    process.stderr.write('The build failed: run `pnpm build` to see why.\n');
    process.exit(result.status ?? 1);
  }
}

const entry = path.join(root, 'scripts', 'dist', `${command}.js`);
if (!existsSync(entry)) {
  process.stderr.write(`unknown command "${command}"\n`);
  process.exit(2);
}
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(entry).href);
