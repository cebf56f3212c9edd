#!/usr/bin/env node
// Cold start of the SMS webhook: time from spawning `node apps/twilio-sms` to
// its first 200 on a signed GET /sms (signature checked, TwiML built), against
// a bare node:http server honouring PORT, side by side in one run, in
// alternating order. Target: the app's median <= 1.5x the bare server's.
//   node bench/twilio.bench.mjs      (after `pnpm build`; BENCH_RUNS=n to change the 21 runs)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signedWebhookRequest, smsParams } from '@hands-on-knative/twilio-tools';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const RUNS = Math.max(15, Number(process.env.BENCH_RUNS ?? 21));
const TARGET_RATIO = 1.5;
const POLL_MS = 2;
const TOKEN = 'bench-auth-token';

const scratch = mkdtempSync(path.join(tmpdir(), 'twilio-bench-'));
const bareServer = path.join(scratch, 'bare-http.mjs');
writeFileSync(
  bareServer,
  `import { createServer } from 'node:http';
createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); }).listen(Number(process.env.PORT ?? 8080));
`,
);

const contestants = [
  {
    name: 'bare node:http',
    args: [bareServer],
    env: () => ({}),
    request: (port) => ({ path: '/', headers: {} }),
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

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

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
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const ms = performance.now() - started;
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024;
    return { ms, rss };
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

try {
  const results = contestants.map(() => ({ ms: [], rss: [] }));
  for (let run = 0; run < RUNS; run++) {
    // Alternate who goes first, so neither always gets the warmer machine.
    const order = run % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
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
  const headers = ['start-up to first 200', 'median ms', 'min ms', 'max ms', 'RSS MiB', 'ratio'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  console.log(`${RUNS} alternating runs each, polling every ${POLL_MS} ms\n`);
  console.log([line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
  const ratio = median(results[1].ms) / baseline;
  const ok = ratio <= TARGET_RATIO;
  console.log(`\n${ok ? 'PASS' : 'FAIL'} twilio-sms start-up to first 200 vs bare node:http ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x)`);
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
