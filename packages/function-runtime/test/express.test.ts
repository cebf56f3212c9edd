import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import '../src/express.js';
import { HttpError } from '../src/index.js';
import { createTestServer } from '../src/testing.js';

function makeApp() {
  const app = express();
  app.post('/form', (req, res) => {
    res.json({ body: req.body, raw: req.rawBody.toString('utf8'), id: req.id });
  });
  app.get('/boom', () => {
    throw Object.assign(new Error('bad input'), { status: 400 });
  });
  app.get('/async-boom', async () => {
    throw new HttpError(409, 'already there');
  });
  app.get('/crash', async () => {
    throw new Error('secret internals');
  });
  app.get('/log', (req, res) => {
    req.log.info('from express');
    res.send('ok');
  });
  return app;
}

describe('express apps', () => {
  it('receives the parsed body and the raw bytes', async () => {
    const t = createTestServer(makeApp());
    const res = await request(t.listener).post('/form').type('form').send('a=1&b=two').expect(200);
    expect(res.body).toMatchObject({ body: { a: '1', b: 'two' }, raw: 'a=1&b=two', id: expect.any(String) });
  });

  it('keeps working with express.json() already in the app', async () => {
    const app = express();
    app.use(express.json());
    app.post('/', (req, res) => res.json(req.body));
    const t = createTestServer(app);
    await request(t.listener).post('/').send({ x: 1 }).expect(200, { x: 1 });
  });

  it('turns thrown and rejected errors into JSON with their status', async () => {
    const t = createTestServer(makeApp(), { production: true });
    const boom = await request(t.listener).get('/boom').expect(400);
    expect(boom.body).toEqual({ error: { status: 400, message: 'bad input', requestId: expect.any(String) } });
    await request(t.listener).get('/async-boom').expect(409);
    const crash = await request(t.listener).get('/crash').expect(500);
    expect(crash.body.error.message).toBe('Internal Server Error');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const t = createTestServer(makeApp());
    const res = await request(t.listener).delete('/nowhere').expect(404);
    expect(res.body.error.message).toBe('Cannot DELETE /nowhere');
  });

  it('answers malformed JSON with a JSON 400 before the app runs', async () => {
    const t = createTestServer(makeApp());
    const res = await request(t.listener).post('/form').set('content-type', 'application/json').send('{oops').expect(400);
    expect(res.body.error.message).toBe('Malformed JSON in request body');
  });

  it('leaves multipart bodies to the app', async () => {
    const app = express();
    app.post('/upload', (req, res) => {
      expect(req.rawBody).toEqual(Buffer.alloc(0)); // still in the stream, not lost
      let size = 0;
      req.on('data', (c: Buffer) => (size += c.length));
      req.on('end', () => res.json({ size }));
    });
    const t = createTestServer(app);
    const res = await request(t.listener).post('/upload').attach('file', Buffer.alloc(2000), 'a.bin').expect(200);
    expect(res.body.size).toBeGreaterThan(2000);
  });

  it('logs with the request id from express handlers', async () => {
    const t = createTestServer(makeApp());
    await request(t.listener).get('/log').set('x-request-id', 'r-9').expect(200);
    expect(t.logs.find((l) => l.message === 'from express')).toMatchObject({ requestId: 'r-9' });
  });

  it('refuses at start-up a health path that shadows a user route', () => {
    const app = express();
    app.get('/health/readiness', (_req, res) => res.send('mine'));
    expect(() => createTestServer(app)).toThrow(/declares GET \/health\/readiness.*readiness probe/);
    const moved = createTestServer(app, { env: { HEALTH_READINESS_PATH: '/ready' } });
    return request(moved.listener).get('/health/readiness').expect(200, 'mine');
  });

  it('finds routes declared in nested routers, under mount paths and with parameters', () => {
    const nested = express();
    const router = express.Router();
    router.get('/health/liveness', (_req, res) => res.send('x'));
    nested.use(router);
    expect(() => createTestServer(nested)).toThrow(/liveness/);

    const mounted = express();
    const health = express.Router();
    health.get('/liveness', (_req, res) => res.send('mine'));
    mounted.use('/health', health);
    expect(() => createTestServer(mounted)).toThrow(/declares GET \/health\/liveness/);

    const pattern = express();
    pattern.get('/health/:probe', (_req, res) => res.send('mine'));
    expect(() => createTestServer(pattern)).toThrow(/health/);

    const unrelated = express();
    unrelated.use(express.json());
    unrelated.get('/healthz', (_req, res) => res.send('ok'));
    unrelated.use('/api', express.Router().get('/health/liveness', (_req, res) => res.send('api')));
    expect(() => createTestServer(unrelated)).not.toThrow();
  });
});
