#!/usr/bin/env node
// `pnpm start` (after the build) to all sample services Ready, against the
// sample apps started directly side by side in the same run (the floor: the
// local serving cannot be faster than its slowest app). Fresh state each run,
// and a restart over existing state.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, median, startAndTime, table, verdicts } from './lib.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ROUNDS = process.env.BENCH_QUICK === '1' ? 3 : 7;

async function timeStart(stateDir) {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'scripts/dist/start.js'), '--state', stateDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  while (!output.includes('Ctrl-C drains and stops everything.')) {
    if (child.exitCode !== null) throw new Error(`pnpm start exited ${child.exitCode}: ${output}`);
    if (performance.now() - started > 60_000) throw new Error(`pnpm start not ready in 60 s: ${output}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - started;
  if (/\bFalse\b/.test(output.split('SERVICE')[1] ?? '')) throw new Error(`a service failed:\n${output}`);
  child.kill('SIGINT');
  await once(child, 'exit');
  return ms;
}

async function timeAppsDirectly() {
  const apps = [
    { args: [path.join(root, 'apps/helloworld')], env: { TARGET: 'v1' } },
    { args: [path.join(root, 'apps/twilio-sms')], env: { TWILIO_AUTH_TOKEN: 'not-a-real-token-replace-me', PUBLIC_BASE_URL: 'http://twilio-sms.default.localhost:8080' }, path: '/health/readiness' },
  ];
  const started = performance.now();
  const runs = await Promise.all(
    apps.map(async (app) => {
      const port = await freePort();
      return startAndTime({ command: process.execPath, args: app.args, env: { ...app.env, PORT: String(port), NODE_ENV: 'production' } }, port, { path: app.path ?? '/' });
    }),
  );
  const ms = performance.now() - started;
  await Promise.all(runs.map((r) => r.stop()));
  return ms;
}

const fresh = [];
const restart = [];
const direct = [];
for (let round = 0; round < ROUNDS; round++) {
  direct.push(await timeAppsDirectly());
  const stateDir = mkdtempSync(path.join(tmpdir(), 'hok-bench-start-'));
  try {
    fresh.push(await timeStart(stateDir));
    restart.push(await timeStart(stateDir));
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const d = median(direct);
const f = median(fresh);
const r = median(restart);
console.log(
  table(
    ['what', 'median', 'vs apps alone'],
    [
      ['sample apps started directly, to first 200', `${d.toFixed(0)} ms`, '1.00x'],
      ['pnpm start, fresh state, to all Ready', `${f.toFixed(0)} ms`, `${(f / d).toFixed(2)}x`],
      ['pnpm start, existing state, to all Ready', `${r.toFixed(0)} ms`, `${(r / d).toFixed(2)}x`],
    ],
  ),
);
const failed = verdicts([
  { what: 'pnpm start (fresh) to all services ready', value: `${(f / 1000).toFixed(2)} s`, ok: f <= 5000, target: '<= 5 s' },
  { what: 'pnpm start (restart) to all services ready', value: `${(r / 1000).toFixed(2)} s`, ok: r <= 5000, target: '<= 5 s' },
]);
process.exit(failed === 0 ? 0 : 1);
