#!/usr/bin/env node
// The local serving's data plane against its baselines, side by side in one run:
//   1. ingress overhead: the same helloworld process called directly and through
//      the ingress (Host routing, weighted pick, proxy), same keep-alive client,
//      sequential requests, interleaved; target p50(ingress) - p50(direct) <= 1 ms.
//   2. scale from zero: a request that wakes a scaled-to-zero revision, against the
//      app's own start-up (spawn `node apps/helloworld` -> first 200), interleaved;
//      target median(wake) <= median(start-up) + 50 ms.
// Run after `pnpm build`: node bench/local-serving.bench.mjs
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, median, sleep, startAndTime, table, verdicts } from './lib.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { createDataPlane } = await import(path.join(repoRoot, 'packages/local-serving/dist/dataplane/index.js'));

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = 3;
const WAKES = Number(process.env.BENCH_WAKES ?? 7);

const ms = (value) => `${value.toFixed(3)} ms`;

function get(agent, port, host) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', agent, headers: host ? { host } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

async function timed(agent, port, host) {
  const start = process.hrtime.bigint();
  const status = await get(agent, port, host);
  if (status !== 200) throw new Error(`expected 200, got ${status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// Baseline for the wake: the app's own start-up (spawn -> first 200, polled every 2 ms).
async function appStartup() {
  const port = await freePort();
  const app = await startAndTime(
    { command: process.execPath, args: [path.join(repoRoot, 'apps/helloworld')], env: { PORT: String(port), NODE_ENV: 'production' } },
    port,
  );
  await app.stop();
  return app.startupMs;
}

const HOST = 'helloworld.default.localhost';
const scaling = { minScale: 1, maxScale: 1, initialScale: 1, target: 100, targetUtilizationPercentage: 70, containerConcurrency: 0 };
const spec = (name, overrides = {}) => ({
  namespace: 'default',
  name,
  service: 'helloworld',
  configuration: 'helloworld',
  image: 'hands-on-knative/helloworld',
  env: { TARGET: 'bench' },
  containerPort: 8080,
  timeoutSeconds: 300,
  ...overrides,
  scaling: { ...scaling, ...overrides.scaling },
});

const plane = await createDataPlane({ workspaceRoot: repoRoot, port: 0, idleWindowMs: 300, onLog: () => {}, onNotice: () => {} });
const statuses = new Map();
const waiters = new Set();
plane.onRevisionStatus((status) => {
  statuses.set(status.name, status);
  for (const check of [...waiters]) check();
});
const waitFor = (name, predicate) =>
  new Promise((resolve) => {
    const check = () => {
      const status = statuses.get(name);
      if (status && predicate(status)) {
        waiters.delete(check);
        resolve(status);
      }
    };
    waiters.add(check);
    check();
  });

const results = [];
let failed = false;
try {
  // 1. Ingress overhead.
  plane.setRevisions([spec('helloworld-00001'), spec('helloworld-00002', { scaling: { minScale: 0, initialScale: 0 } })]);
  plane.setRoutes([
    { host: HOST, namespace: 'default', service: 'helloworld', targets: [{ revision: 'helloworld-00001', percent: 100 }] },
    { host: `cold-${HOST}`, namespace: 'default', service: 'helloworld', targets: [{ revision: 'helloworld-00002', percent: 100 }] },
  ]);
  await waitFor('helloworld-00001', (s) => s.phase === 'Ready' && s.actualReplicas === 1);
  const directPort = plane.processes().find((process) => process.revision === 'helloworld-00001')?.port;
  if (!directPort) throw new Error('the revision has no process');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 200; i++) {
    await timed(agent, directPort);
    await timed(agent, plane.port, HOST);
  }
  const overheads = [];
  const directP50s = [];
  const ingressP50s = [];
  for (let round = 0; round < ROUNDS; round++) {
    const direct = [];
    const viaIngress = [];
    for (let i = 0; i < REQUESTS; i++) {
      // Alternate which goes first so neither always gets the warmer cache.
      if (i % 2 === 0) {
        direct.push(await timed(agent, directPort));
        viaIngress.push(await timed(agent, plane.port, HOST));
      } else {
        viaIngress.push(await timed(agent, plane.port, HOST));
        direct.push(await timed(agent, directPort));
      }
    }
    directP50s.push(median(direct));
    ingressP50s.push(median(viaIngress));
    overheads.push(median(viaIngress) - median(direct));
  }
  agent.destroy();
  const overhead = median(overheads);
  results.push(['p50 direct to the revision process', ms(median(directP50s)), '1.00x']);
  results.push(['p50 through the ingress', ms(median(ingressP50s)), `${(median(ingressP50s) / median(directP50s)).toFixed(2)}x`]);
  results.push(['ingress overhead at p50 (median of rounds)', ms(overhead), '']);

  // 2. Wake from zero vs the app's own start-up, interleaved.
  const wakes = [];
  const startups = [];
  const wakeAgent = new http.Agent({ keepAlive: false });
  for (let i = 0; i < WAKES; i++) {
    await waitFor('helloworld-00002', (s) => s.actualReplicas === 0 && s.desiredReplicas === 0);
    await sleep(300); // let the stopped process exit and the machine settle
    startups.push(await appStartup());
    await sleep(100);
    wakes.push(await timed(wakeAgent, plane.port, `cold-${HOST}`));
  }
  const wake = median(wakes);
  const startup = median(startups);
  results.push(["app's own start-up (spawn -> first 200), median", ms(startup), '1.00x']);
  results.push(['request that wakes a scaled-to-zero revision, median', ms(wake), `${(wake / startup).toFixed(2)}x`]);

  process.stdout.write(`\n${table(['measurement', 'value', 'ratio'], results)}\n`);
  process.stdout.write(`(${ROUNDS} rounds x ${REQUESTS} sequential requests each way; ${WAKES} wakes and ${WAKES} start-ups)\n\n`);
  const failures = verdicts([
    { what: 'ingress overhead at p50', value: ms(overhead), ok: overhead <= 1, target: '<= 1 ms' },
    { what: 'wake from zero', value: ms(wake), ok: wake <= startup + 50, target: `<= app start-up ${ms(startup)} + 50 ms` },
  ]);
  failed = failures > 0;
} catch (error) {
  process.stderr.write(`benchmark error: ${error.stack ?? error}\n`);
  failed = true;
} finally {
  await plane.close();
}
process.exit(failed ? 1 : 0);
