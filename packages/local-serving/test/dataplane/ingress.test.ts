// The ingress over real HTTP on 127.0.0.1: host routing, 404s, forwarded
// headers, traffic splits, tags, streaming, timeouts.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request, revisionSpec, route, sleep, startPlane, type TestPlane } from './helpers.js';

interface Echo {
  revision: string;
  pid: number;
  headers: Record<string, string>;
  url: string;
}

describe('ingress', { timeout: 60_000 }, () => {
  let t: TestPlane;
  beforeEach(async () => {
    t = await startPlane();
    t.plane.setRevisions([
      revisionSpec('echo-00001', 'hands-on-knative/echo'),
      revisionSpec('echo-00002', 'hands-on-knative/echo'),
      revisionSpec('slow-00001', 'hands-on-knative/slow', { timeoutSeconds: 1 }),
    ]);
    t.plane.setRoutes([
      route('echo.default.localhost', { 'echo-00001': 80, 'echo-00002': 20 }),
      route('current-echo.default.localhost', { 'echo-00001': 100 }, 'echo'),
      route('candidate-echo.default.localhost', { 'echo-00002': 100 }, 'echo'),
      route('slow.default.localhost', { 'slow-00001': 100 }),
    ]);
    await Promise.all(
      ['echo-00001', 'echo-00002', 'slow-00001'].map((name) => t.waitForStatus(name, (s) => s.phase === 'Ready' && s.actualReplicas === 1)),
    );
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers an unknown host with a 404 that lists the known hosts', async () => {
    const answer = await t.get('nope.default.localhost');
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toContain('text/plain');
    expect(answer.body).toContain('No Knative route for host "nope.default.localhost"');
    for (const host of ['echo.default.localhost', 'current-echo.default.localhost', 'candidate-echo.default.localhost']) {
      expect(answer.body).toContain(`http://${host}:${t.plane.port}/`);
    }
    expect(answer.body).toContain("curl -H 'Host: ");
  });

  it('routes by Host, ignoring case and port, and keeps the original Host for the app', async () => {
    const answer = await t.get(`Current-Echo.Default.LOCALHOST:${t.plane.port}`, '/some/path?q=1');
    expect(answer.status).toBe(200);
    const echo = JSON.parse(answer.body) as Echo;
    expect(echo.revision).toBe('echo-00001');
    expect(echo.url).toBe('/some/path?q=1');
    expect(echo.headers.host).toBe(`Current-Echo.Default.LOCALHOST:${t.plane.port}`);
    expect(answer.headers['x-echo']).toBe('yes');
  });

  it('sets Forwarded and X-Forwarded-*, appends to X-Forwarded-For, drops hop-by-hop headers', async () => {
    const answer = await t.get('current-echo.default.localhost', '/', {
      'x-forwarded-for': '203.0.113.7',
      connection: 'keep-alive, x-hop-only',
      'x-hop-only': 'secret',
      'x-end-to-end': 'kept',
    });
    const { headers } = JSON.parse(answer.body) as Echo;
    expect(headers.forwarded).toBe('for=127.0.0.1;host=current-echo.default.localhost;proto=http');
    expect(headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('current-echo.default.localhost');
    expect(headers['x-end-to-end']).toBe('kept');
    expect(headers['x-hop-only']).toBeUndefined();
  });

  it('splits 80/20 over 1,000 requests within 5 points, and each tag host reaches its revision', async () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) {
      const answer = await t.get('echo.default.localhost');
      expect(answer.status).toBe(200);
      const { revision } = JSON.parse(answer.body) as Echo;
      counts[revision] = (counts[revision] ?? 0) + 1;
    }
    expect(counts['echo-00001']! + counts['echo-00002']!).toBe(1000);
    expect(Math.abs(counts['echo-00001']! / 1000 - 0.8)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(counts['echo-00002']! / 1000 - 0.2)).toBeLessThanOrEqual(0.05);

    for (let i = 0; i < 20; i++) {
      expect((JSON.parse((await t.get('current-echo.default.localhost')).body) as Echo).revision).toBe('echo-00001');
      expect((JSON.parse((await t.get('candidate-echo.default.localhost')).body) as Echo).revision).toBe('echo-00002');
    }
  });

  it('streams request and response bodies through', async () => {
    const body = randomBytes(2 * 1024 * 1024);
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: t.plane.port, method: 'POST', path: '/body', headers: { host: 'current-echo.default.localhost' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        },
      );
      req.on('error', reject);
      // Written in pieces without a content-length: chunked both ways.
      for (let offset = 0; offset < body.length; offset += 64 * 1024) req.write(body.subarray(offset, offset + 64 * 1024));
      req.end();
    });
    expect(answer.equals(body)).toBe(true);
  });

  it("answers 504 when the app takes longer than the revision's timeoutSeconds", async () => {
    const answer = await t.get('slow.default.localhost', '/?ms=3000');
    expect(answer.status).toBe(504);
    expect(answer.body).toContain('did not answer within its timeoutSeconds (1 s)');
    const quick = await t.get('slow.default.localhost', '/?ms=10');
    expect(quick.status).toBe(200);
  });

  it('relays upgrade requests (WebSocket-style) and holds the slot while the connection is open', async () => {
    const { status, headers, socket } = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; socket: Socket }>(
      (resolve, reject) => {
        const req = http.request({
          host: '127.0.0.1',
          port: t.plane.port,
          path: '/stream',
          headers: { host: 'current-echo.default.localhost', connection: 'Upgrade', upgrade: 'echo' },
        });
        req.on('upgrade', (res, upgraded) => resolve({ status: res.statusCode ?? 0, headers: res.headers, socket: upgraded }));
        req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
        req.on('error', reject);
        req.end();
      },
    );
    expect(status).toBe(101);
    expect(headers['x-revision']).toBe('echo-00001');
    socket.write('ping');
    const [echoed] = (await once(socket, 'data')) as [Buffer];
    expect(echoed.toString()).toBe('ping');
    expect(t.plane.processes().find((p) => p.revision === 'echo-00001')?.inflight).toBe(1);
    socket.end();
    await once(socket, 'close');
    for (let i = 0; i < 50 && t.plane.processes().find((p) => p.revision === 'echo-00001')?.inflight !== 0; i++) await sleep(20);
    expect(t.plane.processes().find((p) => p.revision === 'echo-00001')?.inflight).toBe(0);

    const declined = await request(t.plane.port, {
      path: '/',
      headers: { host: 'current-echo.default.localhost', connection: 'Upgrade', upgrade: 'something-else' },
    });
    expect(declined).toMatchObject({ status: 426, body: 'no\n' });
  });

  it('frees the slot when a client hangs up mid-upload or mid-wait, and keeps serving', async () => {
    const inflightOf = (revision: string) => t.plane.processes().find((p) => p.revision === revision)?.inflight;
    const upload = http.request({
      host: '127.0.0.1',
      port: t.plane.port,
      method: 'POST',
      path: '/body',
      headers: { host: 'current-echo.default.localhost' },
    });
    upload.on('error', () => undefined);
    upload.write(randomBytes(64 * 1024));
    const slow = http.request({ host: '127.0.0.1', port: t.plane.port, path: '/?ms=5000', headers: { host: 'slow.default.localhost' } });
    slow.on('error', () => undefined);
    slow.end();
    for (let i = 0; i < 100 && (inflightOf('echo-00001') !== 1 || inflightOf('slow-00001') !== 1); i++) await sleep(20);
    expect([inflightOf('echo-00001'), inflightOf('slow-00001')]).toEqual([1, 1]);
    upload.destroy();
    slow.destroy();
    for (let i = 0; i < 100 && (inflightOf('echo-00001') !== 0 || inflightOf('slow-00001') !== 0); i++) await sleep(20);
    expect([inflightOf('echo-00001'), inflightOf('slow-00001')]).toEqual([0, 0]);
    expect((await t.get('current-echo.default.localhost')).status).toBe(200);
  });

  it('says plainly when its port is taken', async () => {
    await expect(startPlane({ port: t.plane.port })).rejects.toThrow(
      new RegExp(`The ingress cannot listen on 127\\.0\\.0\\.1:${t.plane.port}: .*EADDRINUSE.*choose another port`),
    );
  });

  it('answers 503 for a route whose revision the data plane does not know', async () => {
    t.plane.setRoutes([route('echo.default.localhost', { 'echo-00009': 100 })]);
    const answer = await request(t.plane.port, { path: '/', headers: { host: 'echo.default.localhost' } });
    expect(answer.status).toBe(503);
    expect(answer.body).toContain('revision "echo-00009" is not known');
  });
});
