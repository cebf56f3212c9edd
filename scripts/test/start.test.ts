// `pnpm start` as a user runs it (the built command, a real local serving, real
// processes, HTTP over loopback): sample services come up, Ctrl-C stops
// everything, and a restart after kill -9 brings every object and route back.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const startJs = fileURLToPath(new URL('../dist/start.js', import.meta.url));
const stateDir = mkdtempSync(path.join(tmpdir(), 'hok-start-'));
const running: ChildProcess[] = [];

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  output: () => string;
  ingressPort: number;
}

async function start(): Promise<Started> {
  // Its own process group, like a command in a terminal: Ctrl-C goes to the whole group.
  const child = spawn(process.execPath, [startJs, '--state', stateDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 90_000;
  while (!output.includes('Ctrl-C drains and stops everything.')) {
    if (child.exitCode !== null) throw new Error(`pnpm start exited ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`pnpm start was not ready in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(/ingress http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
  return { child, output: () => output, ingressPort: port };
}

function get(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Running, not exited (a zombie waiting for init to reap it counts as exited). */
async function processAlive(pid: number): Promise<boolean> {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('pnpm start', () => {
  it('serves the sample services, prints their URLs, and stops on Ctrl-C', async () => {
    const { child, output, ingressPort } = await start();
    expect(output()).toMatch(/helloworld\s+http:\/\/helloworld\.default\.localhost:\d+\s+True/);
    expect(output()).toMatch(/twilio-sms\s+http:\/\/twilio-sms\.default\.localhost:\d+\s+True/);
    expect(output()).toContain(`kubectl --kubeconfig`);
    expect(await get(ingressPort, `helloworld.default.localhost:${ingressPort}`)).toEqual({ status: 200, body: 'Hello v1!\n' });
    const unknown = await get(ingressPort, 'nothing.default.localhost');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('helloworld.default.localhost');

    const pids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    expect(pids).toHaveLength(2); // one process per sample revision
    const before = output().length;
    process.kill(-child.pid!, 'SIGINT'); // what a terminal's Ctrl-C does
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    for (const pid of pids) expect(await processAlive(pid)).toBe(false);
    // The apps are stopped by the local serving after it drained (SIGTERM), not hit by the Ctrl-C.
    const shutdown = output().slice(before);
    expect(shutdown).toMatch(/helloworld-00001 \| .*SIGTERM received/);
    expect(shutdown).not.toMatch(/SIGINT received/);
  }, 120_000);

  it('brings every object and route back after kill -9, without re-applying the samples', async () => {
    const first = await start();
    expect(first.output()).toContain('kept (from an earlier run)');
    const orphans = readFileSync(`/proc/${first.child.pid}/task/${first.child.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    // twilio-sms at least (min-scale 1); helloworld may already be scaled to zero.
    expect(orphans.length).toBeGreaterThanOrEqual(1);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    // The apps run in their own process group: a kill -9 of pnpm start leaves them running...
    for (const pid of orphans) expect(await processAlive(pid)).toBe(true);
    const second = await start();
    // ...and the next start stops them before it starts its own.
    expect(second.output()).toContain(`stopped ${orphans.length} process(es) a previous run left behind`);
    for (const pid of orphans) expect(await processAlive(pid)).toBe(false);
    expect(second.output()).toContain('service/helloworld kept (from an earlier run)');
    expect(await get(second.ingressPort, `helloworld.default.localhost:${second.ingressPort}`)).toEqual({ status: 200, body: 'Hello v1!\n' });
    second.child.kill('SIGINT');
    expect((await once(second.child, 'exit'))[0]).toBe(0);
  }, 180_000);
});
