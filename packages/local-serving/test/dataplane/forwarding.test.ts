import { describe, expect, it } from 'vitest';
import { clientAddress, upstreamRequestHeaders, withoutHopByHop } from '../../src/dataplane/forwarding.js';

describe('withoutHopByHop', () => {
  it('drops hop-by-hop headers and those the Connection header names', () => {
    const out = withoutHopByHop({
      connection: 'keep-alive, X-Session-Hop',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      te: 'trailers',
      upgrade: 'websocket',
      'proxy-authorization': 'Basic x',
      'x-session-hop': '1',
      'content-type': 'text/plain',
      'set-cookie': ['a=1', 'b=2'],
    });
    expect(out).toEqual({ 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
  });
});

describe('upstreamRequestHeaders', () => {
  it('keeps Host and adds Forwarded and X-Forwarded-*', () => {
    const out = upstreamRequestHeaders({ host: 'helloworld.default.localhost:8080', accept: '*/*' }, '::ffff:127.0.0.1');
    expect(out).toEqual({
      host: 'helloworld.default.localhost:8080',
      accept: '*/*',
      forwarded: 'for=127.0.0.1;host="helloworld.default.localhost:8080";proto=http',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'helloworld.default.localhost:8080',
    });
  });

  it('appends to a chain and keeps what a tunnel in front said about the client', () => {
    const out = upstreamRequestHeaders(
      {
        host: 'helloworld.default.localhost',
        forwarded: 'for=203.0.113.7;proto=https',
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'abc.ngrok.app',
      },
      '::1',
    );
    expect(out.forwarded).toBe('for=203.0.113.7;proto=https, for="[::1]";host=helloworld.default.localhost;proto=http');
    expect(out['x-forwarded-for']).toBe('203.0.113.7, ::1');
    expect(out['x-forwarded-proto']).toBe('https');
    expect(out['x-forwarded-host']).toBe('abc.ngrok.app');
  });

  it('reports IPv4 clients of a dual-stack socket as IPv4', () => {
    expect(clientAddress('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(clientAddress(undefined)).toBe('unknown');
  });
});
