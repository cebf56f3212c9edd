import { describe, expect, it } from 'vitest';
import { describeError, errorBody, HttpError, normalizeStatus } from '../src/errors.js';

describe('describeError', () => {
  it('honours status and statusCode, as numbers or numeric strings', () => {
    expect(describeError(Object.assign(new Error('nope'), { status: 404 }), false).status).toBe(404);
    expect(describeError(Object.assign(new Error('nope'), { statusCode: 409 }), false).status).toBe(409);
    expect(describeError({ status: '422', message: 'bad' }, false)).toMatchObject({ status: 422, message: 'bad' });
  });

  it('treats statuses outside 400-599 and string codes like ENOENT as a 500', () => {
    expect(describeError(Object.assign(new Error('x'), { status: 200 }), false).status).toBe(500);
    expect(describeError(Object.assign(new Error('x'), { code: 'ENOENT' }), false).status).toBe(500);
    expect(describeError({ status: 'teapot' }, false).status).toBe(500);
  });

  it('describes thrown strings, objects and non-errors', () => {
    expect(describeError('plain string', false)).toMatchObject({ status: 500, message: 'plain string' });
    expect(describeError({ message: 'from object', status: 400 }, false)).toMatchObject({ status: 400, message: 'from object' });
    expect(describeError(42, false)).toMatchObject({ status: 500, message: 'Internal Server Error' });
    expect(describeError(undefined, false)).toMatchObject({ status: 500, message: 'Internal Server Error' });
  });

  it('hides 5xx messages in production unless exposed, and always shows 4xx', () => {
    expect(describeError(new Error('db password wrong'), true).message).toBe('Internal Server Error');
    expect(describeError(new HttpError(503, 'maintenance', { expose: true }), true).message).toBe('maintenance');
    expect(describeError(new HttpError(400, 'missing name'), true).message).toBe('missing name');
    expect(describeError(new HttpError(400, 'secret detail', { expose: false }), true).message).toBe('Bad Request');
  });

  it('carries details and headers of an HttpError', () => {
    const d = describeError(new HttpError(405, 'GET only', { headers: { allow: 'GET' }, details: { method: 'PUT' } }), false);
    expect(d.headers).toEqual({ allow: 'GET' });
    expect(errorBody(d, 'req-1')).toEqual({ error: { status: 405, message: 'GET only', requestId: 'req-1', details: { method: 'PUT' } } });
  });

  it('never copies headers or details from errors not meant for the client', () => {
    // e.g. an HTTP client's error that carries the upstream response
    const upstream = Object.assign(new Error('upstream said 502'), {
      status: 502,
      headers: { 'set-cookie': 'session=upstream', 'content-encoding': 'gzip' },
      details: { upstreamBody: 'secret' },
    });
    const d = describeError(upstream, false);
    expect(d.headers).toBeUndefined();
    expect(d.details).toBeUndefined();
  });

  it('normalizes statuses', () => {
    expect(normalizeStatus(404)).toBe(404);
    expect(normalizeStatus('503')).toBe(503);
    expect(normalizeStatus(404.5)).toBeUndefined();
    expect(normalizeStatus('40')).toBeUndefined();
  });
});
