#!/usr/bin/env node
// Cold start of the SMS webhook: time from spawning `node apps/twilio-sms` to
// its first 200 on a signed GET /sms (signature checked, TwiML built), against
// a bare node:http server honouring PORT, side by side in one run, in
// alternating order. Target: the app's median <= 1.5x the bare server's.
//   node bench/twilio.bench.mjs      (after `pnpm build`; BENCH_RUNS=n to change the 21 runs)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signedWebhookRequest, smsParams } from '@hands-on-knative/twilio-tools';
import { freePort, median, rotated, rssOf, sleep, table, verdicts } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const RUNS = Math.max(15, Number(process.env.BENCH_RUNS ?? 21));
const TARGET_RATIO = 1.5;
const POLL_MS = 2;
const TOKEN = 'bench-auth-token';

const contestants = [
  {
    name: 'bare node:http',
    args: [path.join(here, 'fixtures/bare-http.mjs')],
    env: () => ({}),
    request: () => ({ path: '/', headers: {} }),
  },
  {
    name: 'node apps/twilio-sms',
    args: [path.join(root, 'apps/twilio-sms')],
    env: (port) => ({ NODE_ENV: 'production', TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: `http://127.0.0.1:${port}` }),
    request: (port) => {
      const signed = signedWebhookRequest({
        url: `http://127.0.0.1:${port}/sms`,
        authToken: TOKEN,
        method: 'GET',
        params: smsParams({ body: 'How fast do you wake up?' }),
      });
      const url = new URL(signed.url);
      return { path: url.pathname + url.search, headers: signed.headers };
    },
  },
];

/** One request on a fresh connection (the app's needs a signature header). */
function get(port, { path: urlPath, headers }) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Spawns the server and polls every 2 ms until it answers 200: ms from spawn, and RSS then. */
async function timeStartup(contestant) {
  const port = await freePort();
  const req = contestant.request(port);
  const env = { PATH: process.env.PATH, PORT: String(port), ...contestant.env(port) };
  const started = performance.now();
  const child = spawn(process.execPath, contestant.args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${contestant.name} exited ${child.exitCode}: ${stderr}`);
      if (performance.now() - started > 30_000) throw new Error(`${contestant.name} gave no 200 within 30 s: ${stderr}`);
      const status = await get(port, req).catch(() => undefined);
      if (status === 200) break;
      if (status !== undefined) throw new Error(`${contestant.name} answered ${status}`);
      await sleep(POLL_MS);
    }
    const ms = performance.now() - started;
    return { ms, rss: rssOf(child.pid) };
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
}

const results = contestants.map(() => ({ ms: [], rss: [] }));
for (let run = 0; run < RUNS; run++) {
  // Alternate who goes first, so neither always gets the warmer machine.
  for (const i of rotated([0, 1], run)) {
    const { ms, rss } = await timeStartup(contestants[i]);
    results[i].ms.push(ms);
    results[i].rss.push(rss);
  }
}
const baseline = median(results[0].ms);
const rows = contestants.map((c, i) => {
  const ms = results[i].ms;
  return [c.name, median(ms).toFixed(1), Math.min(...ms).toFixed(1), Math.max(...ms).toFixed(1), median(results[i].rss).toFixed(1), `${(median(ms) / baseline).toFixed(2)}x`];
});
console.log(`${RUNS} alternating runs each, polling every ${POLL_MS} ms\n`);
console.log(table(['start-up to first 200', 'median ms', 'min ms', 'max ms', 'RSS MiB', 'ratio'], rows));
console.log('');
const ratio = median(results[1].ms) / baseline;
const failed = verdicts([
  { what: 'twilio-sms start-up to first 200 vs bare node:http', value: `${ratio.toFixed(2)}x`, ok: ratio <= TARGET_RATIO, target: `<= ${TARGET_RATIO}x` },
]);
process.exitCode = failed === 0 ? 0 : 1;
