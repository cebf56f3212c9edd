// The runtime as a real process (the built dist), as Knative runs it: SIGTERM
// drain with requests in flight, crashes, configuration errors.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

async function start(name: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [fixture(name)], {
    env: { PATH: process.env.PATH, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /listening on port (\d+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(Number(match[1]));
      }
    }, 10);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`exited ${code} before listening: ${output}`));
    });
  });
  return { child, port, output: () => output, exited };
}

function get(port: number, path: string, agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: agent ?? false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SIGTERM drain', () => {
  it('lets 100 in-flight requests finish with 200, refuses new connections, runs hooks, exits 0', async () => {
    const server = await start('slow-server.mjs', { SHUTDOWN_GRACE_SECONDS: '30' });
    const agent = new Agent({ keepAlive: true, maxSockets: 200 });
    const slow = Array.from({ length: 100 }, (_, i) => get(server.port, `/slow/${i}?ms=1500`, agent));
    await waitFor(async () => JSON.parse((await get(server.port, '/inflight')).body).inflight === 100);

    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    await waitFor(async () => {
      try {
        await get(server.port, '/inflight');
        return false;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ECONNREFUSED';
      }
    }, 5_000);

    const results = await Promise.all(slow);
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(results.map((r) => r.body)).toEqual(results.map((_, i) => `done /slow/${i}`));
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(30_000);
    expect(server.output()).toContain('user hook ran');
    expect(server.output()).toContain('shutdown complete, exit 0');
    agent.destroy();
  }, 60_000);

  it('cuts requests still running when the grace period ends and exits 1', async () => {
    const server = await start('slow-server.mjs', { SHUTDOWN_GRACE_SECONDS: '0.3' });
    const pending = get(server.port, '/slow?ms=10000').catch((error: Error) => error);
    await waitFor(async () => JSON.parse((await get(server.port, '/inflight')).body).inflight === 1);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    expect(await pending).toBeInstanceOf(Error);
    expect(server.output()).toMatch(/grace period of 300 ms over: cutting 1 request/);
  }, 30_000);
});

describe('crashes and configuration', () => {
  it('logs an uncaught error with its stack and exits non-zero', async () => {
    const server = await start('slow-server.mjs');
    expect((await get(server.port, '/crash-later')).body).toBe('answered');
    expect(await server.exited).toBe(1);
    const line = server.output().split('\n').find((l) => l.includes('"CRITICAL"'));
    expect(JSON.parse(line!)).toMatchObject({
      severity: 'CRITICAL',
      message: 'uncaught error, exiting: crash after the response',
      error: { stack: expect.stringContaining('slow-server.mjs') },
    });
  }, 30_000);

  it('stops start-up with one clear line naming a missing variable', async () => {
    const child = spawn(process.execPath, [fixture('needs-config.mjs')], { env: { PATH: process.env.PATH, PORT: '0' } });
    children.push(child);
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ severity: 'CRITICAL', message: 'Configuration error: API_TOKEN is required but not set' });
  }, 30_000);

  it('stops start-up on a malformed runtime variable, naming it', async () => {
    const child = spawn(process.execPath, [fixture('needs-config.mjs')], { env: { PATH: process.env.PATH, PORT: 'eighty' } });
    children.push(child);
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output).toContain('Configuration error: PORT must be a number, got \\"eighty\\" (the port to listen on)');
  }, 30_000);
});

describe('binding', () => {
  it('binds all interfaces by default and only HOST when it is set', async () => {
    const everywhere = await start('slow-server.mjs');
    const local = await start('slow-server.mjs', { HOST: '127.0.0.1' });
    const listening = (port: number) =>
      readFileSync('/proc/net/tcp', 'utf8').split('\n').concat(readFileSync('/proc/net/tcp6', 'utf8').split('\n'))
        .filter((line) => line.includes(`:${port.toString(16).toUpperCase().padStart(4, '0')} `) && / 0A /.test(line))
        .map((line) => line.trim().split(/\s+/)[1]!.split(':')[0]);
    // Unset: the IPv6 wildcard (dual stack). HOST=127.0.0.1: loopback only (0100007F).
    expect(listening(everywhere.port)).toContain('00000000000000000000000000000000');
    expect(listening(local.port)).toEqual(['0100007F']);
  }, 30_000);
});
