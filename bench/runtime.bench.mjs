#!/usr/bin/env node
// The function runtime against a bare node:http server, Google's
// functions-framework 5 and knative/func's faas-js-runtime 4, each serving
// hello world, side by side in one run: start-up to first 200, RSS after start,
// and keep-alive throughput with 50 connections.
//   node bench/runtime.bench.mjs            (BENCH_QUICK=1 for a short run)
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort, median, rotated, sleep, startAndTime, table, verdicts } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const require = createRequire(import.meta.url);
const quick = process.env.BENCH_QUICK === '1';
const STARTUP_ROUNDS = quick ? 5 : 15;
const LOAD_ROUNDS = quick ? 1 : 3;
const LOAD_SECONDS = quick ? 3 : 5;

const node = process.execPath;
const production = { NODE_ENV: 'production' };
const contestants = [
  { id: 'bare', name: 'bare node:http', spawn: (port) => ({ command: node, args: [path.join(here, 'fixtures/bare-http.mjs')], env: { ...production, PORT: String(port) } }) },
  { id: 'ours', name: 'function-runtime (node apps/helloworld)', spawn: (port) => ({ command: node, args: [path.join(root, 'apps/helloworld')], env: { ...production, PORT: String(port) } }) },
  {
    id: 'ff',
    name: '@google-cloud/functions-framework 5.0.5',
    spawn: (port) => ({
      command: node,
      args: [path.join(here, 'node_modules/@google-cloud/functions-framework/build/src/main.js'), '--target=hello', `--source=${path.join(here, 'fixtures/ff')}`],
      env: { ...production, PORT: String(port) },
    }),
  },
  {
    id: 'faas',
    name: 'faas-js-runtime 4.0.1',
    spawn: (port) => ({
      command: node,
      args: [path.join(path.dirname(require.resolve('faas-js-runtime/package.json')), 'bin/cli.js'), path.join(here, 'fixtures/faas/index.js')],
      // faas-js-runtime ignores PORT (see shared runtimes notes): it reads FUNC_PORT.
      env: { ...production, FUNC_PORT: String(port), FUNC_LOG_LEVEL: 'warn' },
    }),
  },
];

const startup = Object.fromEntries(contestants.map((c) => [c.id, []]));
const rss = Object.fromEntries(contestants.map((c) => [c.id, []]));
const throughput = Object.fromEntries(contestants.map((c) => [c.id, []]));

console.error(`start-up: ${STARTUP_ROUNDS} rounds`);
for (let round = 0; round < STARTUP_ROUNDS; round++) {
  for (const c of rotated(contestants, round)) {
    const port = await freePort();
    const run = await startAndTime(c.spawn(port), port);
    startup[c.id].push(run.startupMs);
    rss[c.id].push(run.rssMiB);
    await run.stop();
  }
}

console.error(`throughput: ${LOAD_ROUNDS} round(s) of ${LOAD_SECONDS} s, 50 keep-alive connections`);
for (let round = 0; round < LOAD_ROUNDS; round++) {
  for (const c of rotated(contestants, round)) {
    const port = await freePort();
    const run = await startAndTime(c.spawn(port), port);
    const url = `http://127.0.0.1:${port}/`;
    await autocannon({ url, connections: 50, duration: 1 }); // warm-up: JIT, sockets
    const result = await autocannon({ url, connections: 50, duration: LOAD_SECONDS });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${c.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    throughput[c.id].push(result.requests.average);
    await run.stop();
    await sleep(200);
  }
}

const m = (series) => Object.fromEntries(Object.entries(series).map(([id, values]) => [id, median(values)]));
const s = m(startup);
const r = m(rss);
const t = m(throughput);
const x = (value, base) => `${(value / base).toFixed(2)}x`;
console.log(
  table(
    ['runtime', 'start-up to 200 (median)', 'vs bare', 'RSS after start', 'vs bare', 'req/s keep-alive', 'vs bare'],
    contestants.map((c) => [
      c.name,
      `${s[c.id].toFixed(0)} ms`,
      x(s[c.id], s.bare),
      `${r[c.id].toFixed(1)} MiB`,
      x(r[c.id], r.bare),
      t[c.id].toFixed(0),
      x(t[c.id], t.bare),
    ]),
  ),
);
console.log(`function-runtime vs functions-framework throughput: ${x(t.ours, t.ff)}; vs faas-js-runtime: ${x(t.ours, t.faas)}`);
console.log(`function-runtime vs functions-framework start-up: ${x(s.ours, s.ff)}; vs faas-js-runtime: ${x(s.ours, s.faas)}`);

const failed = verdicts([
  { what: 'start-up vs bare', value: x(s.ours, s.bare), ok: s.ours / s.bare <= 1.25, target: '<= 1.25x' },
  { what: 'throughput vs bare', value: x(t.ours, t.bare), ok: t.ours / t.bare >= 0.85, target: '>= 0.85x' },
  { what: 'throughput vs functions-framework', value: x(t.ours, t.ff), ok: t.ours / t.ff >= 1.3, target: '>= 1.3x' },
  { what: 'RSS vs bare', value: x(r.ours, r.bare), ok: r.ours / r.bare <= 1.15, target: '<= 1.15x' },
]);
process.exit(failed === 0 ? 0 : 1);
