// Shared helpers for the benchmarks: processes, ports, polling, statistics, output.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One GET on a fresh connection; resolves the status, rejects on connection errors. */
export function getStatus(port, path = '/', host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Spawns a server and polls GET / every 2 ms until it answers 200.
 * Returns the time from spawn to first 200, the RSS then, and a stop function.
 */
export async function startAndTime({ command, args, env, cwd }, port, { timeoutMs = 30_000, path = '/' } = {}) {
  const started = performance.now();
  const child = spawn(command, args, { env: { PATH: process.env.PATH, ...env }, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}: ${stderr}`);
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} did not answer 200 within ${timeoutMs} ms: ${stderr}`);
    }
    try {
      if ((await getStatus(port, path)) === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(2);
  }
  const startupMs = performance.now() - started;
  const rssMiB = rssOf(child.pid);
  return {
    startupMs,
    rssMiB,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

export function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Rotates the order each round so no contestant always runs first (warm caches, CPU boost). */
export function rotated(list, round) {
  const k = round % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

export function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Prints PASS/FAIL lines and returns how many targets failed. */
export function verdicts(checks) {
  let failed = 0;
  for (const { what, value, ok, target } of checks) {
    if (!ok) failed++;
    console.log(`${ok ? 'PASS' : 'FAIL'} ${what} ${value} (target ${target})`);
  }
  return failed;
}
