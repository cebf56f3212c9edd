// The request pipeline for plain handlers, through supertest (real HTTP on an
// ephemeral loopback port) without the process-level signal handling.
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { HttpError, reply, type HttpFunction } from '../src/index.js';
import { createTestServer } from '../src/testing.js';

const echo: HttpFunction = (req) => ({
  method: req.method,
  path: req.path,
  query: Object.fromEntries(req.query),
  body: Buffer.isBuffer(req.body) ? `bytes:${req.body.length}` : (req.body as never),
  raw: req.rawBody.toString('utf8'),
});

describe('plain handler results', () => {
  it('sends strings as text, objects as JSON, bytes as octet-stream', async () => {
    const text = createTestServer(() => 'Hello World!\n');
    await request(text.listener).get('/').expect(200).expect('content-type', 'text/plain; charset=utf-8').expect('Hello World!\n');
    const json = createTestServer(() => ({ ok: true }));
    await request(json.listener).get('/').expect(200).expect('content-type', /application\/json/).expect({ ok: true });
    const bytes = createTestServer(() => Buffer.from([1, 2, 3]));
    const res = await request(bytes.listener).get('/').expect(200).expect('content-type', 'application/octet-stream');
    expect(res.body).toEqual(Buffer.from([1, 2, 3]));
  });

  it('sends a Reply with its status and headers, undefined as 204, and streams', async () => {
    const t = createTestServer((req) => {
      if (req.path === '/created') return reply({ status: 201, headers: { location: '/x/1' }, body: { id: 1 } });
      if (req.path === '/stream') return Readable.from(['a', 'b', 'c']);
      return undefined;
    });
    await request(t.listener).get('/created').expect(201).expect('location', '/x/1').expect({ id: 1 });
    await request(t.listener).get('/nothing').expect(204);
    const streamed = await request(t.listener).get('/stream').buffer(true).parse((res, done) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => done(null, data));
    });
    expect(streamed.body).toBe('abc');
  });

  it('lets the handler write to res itself', async () => {
    const t = createTestServer((_req, res) => {
      res.writeHead(202, { 'x-custom': 'yes' });
      res.end('accepted');
      return 'ignored';
    });
    await request(t.listener).post('/').expect(202).expect('x-custom', 'yes').expect('accepted');
  });

  it('routes every path and method to the handler', async () => {
    const t = createTestServer(echo);
    for (const method of ['get', 'post', 'put', 'patch', 'delete', 'options'] as const) {
      const res = await request(t.listener)[method]('/any/deep/path?x=1').expect(200);
      expect(res.body).toMatchObject({ method: method.toUpperCase(), path: '/any/deep/path', query: { x: '1' } });
    }
  });
});

describe('bodies', () => {
  const t = createTestServer(echo);

  it('parses JSON, form and text and keeps the raw bytes', async () => {
    await request(t.listener).post('/').send({ a: 1 }).expect(200, { method: 'POST', path: '/', query: {}, body: { a: 1 }, raw: '{"a":1}' });
    const form = await request(t.listener).post('/').type('form').send('Body=hi+there&To=%2B1555&Tag=a&Tag=b').expect(200);
    expect(form.body.body).toEqual({ Body: 'hi there', To: '+1555', Tag: ['a', 'b'] });
    expect(form.body.raw).toBe('Body=hi+there&To=%2B1555&Tag=a&Tag=b');
    const text = await request(t.listener).post('/').set('content-type', 'text/plain').send('héllo').expect(200);
    expect(text.body.body).toBe('héllo');
    const bytes = await request(t.listener).post('/').set('content-type', 'application/octet-stream').send(Buffer.alloc(10)).expect(200);
    expect(bytes.body.body).toBe('bytes:10');
  });

  it('answers malformed JSON with a 400 JSON error, not a page or a stack', async () => {
    const res = await request(t.listener).post('/').set('content-type', 'application/json').send('{"a":').expect(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ error: { status: 400, message: 'Malformed JSON in request body', requestId: expect.any(String) } });
    expect(res.text).not.toMatch(/at |<html/i);
  });

  it('answers an oversize body with 413, declared or streamed', async () => {
    const small = createTestServer(echo, { bodyLimit: 100 });
    const declared = await request(small.listener).post('/').set('content-type', 'text/plain').send('x'.repeat(101)).expect(413);
    expect(declared.body.error).toMatchObject({ status: 413, message: 'Request body is larger than the limit of 100 bytes' });
    // A chunked body announces no length: the limit must hold while streaming.
    const server = createServer(small.listener).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', headers: { 'content-type': 'text/plain' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 50; i++) req.write('y'.repeat(100));
      req.end();
    });
    server.close();
    expect(status).toBe(413);
  });

  it('defaults the limit to 1 MiB', async () => {
    await request(t.listener).post('/').set('content-type', 'text/plain').send('z'.repeat(1024 * 1024)).expect(200);
    await request(t.listener).post('/').set('content-type', 'text/plain').send('z'.repeat(1024 * 1024 + 1)).expect(413);
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await request(t.listener).post('/').set('content-type', 'multipart/form-data; boundary=x').send('--x--').expect(415);
    expect(res.body.error.message).toContain('multipart/form-data');
  });
});

describe('errors', () => {
  const cases: [string, () => unknown, number, string][] = [
    ['an Error', () => { throw new Error('broken'); }, 500, 'broken'],
    ['an Error with status', () => { throw Object.assign(new Error('gone'), { status: 410 }); }, 410, 'gone'],
    ['an Error with statusCode', () => { throw Object.assign(new Error('conflict'), { statusCode: 409 }); }, 409, 'conflict'],
    ['an HttpError', () => { throw new HttpError(422, 'name is required'); }, 422, 'name is required'],
    ['a string', () => { throw 'just a string'; }, 500, 'just a string'],
    ['an object with status', () => { throw { status: 403, message: 'forbidden here' }; }, 403, 'forbidden here'],
    ['a number', () => { throw 7; }, 500, 'Internal Server Error'],
    ['a rejection', () => Promise.reject(new HttpError(429, 'slow down')), 429, 'slow down'],
    ['a rejected string', () => Promise.reject('nope'), 500, 'nope'],
  ];

  it.each(cases)('turns %s into a JSON error and keeps serving', async (_name, fail, status, message) => {
    const t = createTestServer((req) => (req.path === '/fail' ? (fail() as never) : 'still alive'));
    const res = await request(t.listener).get('/fail').expect(status);
    expect(res.body).toEqual({ error: { status, message, requestId: expect.any(String) } });
    await request(t.listener).get('/ok').expect(200, 'still alive');
  });

  it('hides 5xx messages in production but logs them with the stack', async () => {
    const t = createTestServer(() => { throw new Error('database password is hunter2'); }, { production: true });
    const res = await request(t.listener).get('/').expect(500);
    expect(res.body.error.message).toBe('Internal Server Error');
    const logged = t.logs.find((l) => l.severity === 'ERROR');
    expect(logged?.message).toContain('database password');
    expect(JSON.stringify(logged)).toContain('plain-handler.test.ts');
  });

  it('sends the headers of an HttpError', async () => {
    const t = createTestServer(() => { throw new HttpError(405, 'GET only', { headers: { allow: 'GET' } }); });
    await request(t.listener).post('/').expect(405).expect('allow', 'GET');
  });
});

describe('request deadline', () => {
  it('answers 504 at the deadline and aborts the handler signal', async () => {
    let aborted: unknown;
    const t = createTestServer(
      (req) =>
        new Promise((resolve) => {
          req.signal.addEventListener('abort', () => {
            aborted = req.signal.reason;
            setTimeout(() => resolve('too late'), 10);
          });
        }),
      { timeoutMs: 100 },
    );
    const res = await request(t.listener).get('/slow').expect(504);
    expect(res.body.error).toMatchObject({ status: 504, message: 'The request took longer than 100 ms' });
    await new Promise((r) => setTimeout(r, 50));
    expect((aborted as DOMException).name).toBe('TimeoutError');
  });
});

describe('health probes', () => {
  it('answers liveness and readiness without reaching the handler', async () => {
    const t = createTestServer(() => { throw new Error('handler must not run'); });
    await request(t.listener).get('/health/liveness').expect(200, { status: 'ok' });
    await request(t.listener).get('/health/readiness').expect(200, { status: 'ok' });
  });

  it('reports not ready while a readiness check says no, and while draining', async () => {
    let ready = false;
    const t = createTestServer(() => 'x', { readinessCheck: () => ready });
    await request(t.listener).get('/health/readiness').expect(503);
    ready = true;
    await request(t.listener).get('/health/readiness').expect(200);
    t.state.draining = true;
    await request(t.listener).get('/health/readiness').expect(503, { status: 'draining' });
    await request(t.listener).get('/health/liveness').expect(200);
  });

  it('moves or removes the probes', async () => {
    const moved = createTestServer(() => 'user route', { env: { HEALTH_READINESS_PATH: '/ready' } });
    await request(moved.listener).get('/ready').expect(200, { status: 'ok' });
    await request(moved.listener).get('/health/readiness').expect(200, 'user route');
    const none = createTestServer(() => 'user route', { health: false });
    await request(none.listener).get('/health/liveness').expect(200, 'user route');
  });

  it('passes other methods on probe paths to the handler', async () => {
    const t = createTestServer((req) => `handled ${req.method}`);
    await request(t.listener).post('/health/liveness').expect(200, 'handled POST');
  });
});

describe('request context in logs', () => {
  it('carries the request id and W3C trace id on lines logged while handling', async () => {
    const t = createTestServer(
      (req) => {
        req.log.info('working');
        return 'ok';
      },
      { env: { K_SERVICE: 'hello', K_REVISION: 'hello-00002', K_CONFIGURATION: 'hello' } },
    );
    await request(t.listener)
      .get('/')
      .set('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
      .set('x-request-id', 'abc-123')
      .expect(200);
    expect(t.logs.find((l) => l.message === 'working')).toMatchObject({
      severity: 'INFO',
      requestId: 'abc-123',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      service: 'hello',
      revision: 'hello-00002',
      configuration: 'hello',
    });
  });

  it('logs no request lines by default, one per request when asked', async () => {
    const quiet = createTestServer(() => 'x');
    await request(quiet.listener).get('/a').expect(200);
    expect(quiet.logs).toEqual([]);
    const loud = createTestServer(() => 'x', { env: { LOG_REQUESTS: 'true' } });
    await request(loud.listener).get('/a?q=1').expect(200);
    await new Promise((r) => setTimeout(r, 10));
    expect(loud.logs[0]).toMatchObject({ message: 'GET /a 200', httpRequest: { requestMethod: 'GET', status: 200 } });
  });

  it('never logs secret env values', async () => {
    const t = createTestServer(
      (req) => {
        req.log.info(`token=${req.headers['x-echo'] as string}`);
        throw new Error(`failed with ${req.headers['x-echo'] as string}`);
      },
      { env: { TWILIO_AUTH_TOKEN: 'super-secret-token', PLAIN: 'x', CUSTOM: 'custom-secret', SECRET_ENV_VARS: 'CUSTOM' } },
    );
    await request(t.listener).get('/').set('x-echo', 'super-secret-token custom-secret').expect(500);
    expect(t.lines.join('\n')).not.toMatch(/super-secret-token|custom-secret/);
    expect(t.lines.join('\n')).toContain('[REDACTED]');
  });
});
