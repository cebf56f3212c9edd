// The simulator against a small local server. The real app is exercised with
// the simulator in apps/twilio-sms/test/process.test.ts; this stub exists to
// produce the replies the app never gives (text/plain 200, broken XML) and to
// check what the simulator sends with the twilio library's own validator.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { closedPort } from './ports.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocalhostName } from '../src/http-request.js';
import { simulateSms, SimulatorError } from '../src/simulator.js';

const TOKEN = 'simulator-token';
const PUBLIC = 'https://twilio-sms.default.example.com/sms';
let server: Server;
let port: number;
const seen: { host: string | undefined; params: Record<string, string> }[] = [];

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const params = req.method === 'POST' ? await readForm(req) : {};
    const query = Object.fromEntries(new URL(req.url!, 'http://x').searchParams);
    seen.push({ host: req.headers.host, params: { ...query, ...params } });
    const path = new URL(req.url!, 'http://x').pathname;
    const valid = validateRequest(TOKEN, String(req.headers['x-twilio-signature']), PUBLIC + (req.url!.slice(path.length)), params);
    const reply = (status: number, type: string, body: string) => res.writeHead(status, { 'content-type': type }).end(body);
    if (!valid) return reply(403, 'application/json', '{"error":{"status":403,"message":"Invalid X-Twilio-Signature"}}');
    switch (params.Body ?? query.Body) {
      case 'plain':
        return reply(200, 'text/plain', 'an error, as text');
      case 'broken':
        return reply(200, 'text/xml', '<Response><Message>unclosed</Response>');
      case 'empty':
        return reply(200, 'text/xml', '<?xml version="1.0" encoding="UTF-8"?><Response/>');
      case 'crash':
        return reply(500, 'text/html', '<h1>Internal Server Error</h1>');
      default:
        return reply(200, 'text/xml; charset=utf-8', `<Response><Message>echo: ${(params.Body ?? query.Body ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Message></Response>`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const simulate = (body: string, extra: Partial<Parameters<typeof simulateSms>[0]> = {}) =>
  simulateSms({ url: `http://127.0.0.1:${port}/sms`, publicUrl: PUBLIC, authToken: TOKEN, body, ...extra });

describe('simulateSms', () => {
  it('sends a signed POST and returns the reply text', async () => {
    const result = await simulate('Hi <there> & 😀', { from: '+15551110000', to: '+15552220000' });
    expect(result).toMatchObject({ status: 200, messages: ['echo: Hi <there> & 😀'] });
    expect(seen.at(-1)!.params).toMatchObject({ From: '+15551110000', To: '+15552220000', SmsStatus: 'received', NumMedia: '0' });
  });

  it('sends a signed GET', async () => {
    expect((await simulate('by get', { method: 'GET' })).messages).toEqual(['echo: by get']);
  });

  it('reaches *.localhost names on loopback, with the Host header kept', async () => {
    const url = `http://twilio-sms.default.localhost:${port}/sms`;
    expect((await simulateSms({ url, publicUrl: PUBLIC, authToken: TOKEN, body: 'local' })).messages).toEqual(['echo: local']);
    expect(seen.at(-1)!.host).toBe(`twilio-sms.default.localhost:${port}`);
    expect(isLocalhostName('localhost')).toBe(true);
    expect(isLocalhostName('a.b.LOCALHOST.')).toBe(true);
    expect(isLocalhostName('localhost.example.com')).toBe(false);
  });

  it('returns no message for an empty <Response/>', async () => {
    expect((await simulate('empty')).messages).toEqual([]);
  });

  it('fails clearly on non-2xx, text/plain, broken XML and unreachable services', async () => {
    await expect(simulate('x', { authToken: 'wrong' })).rejects.toThrow(/answered 403 Forbidden: Invalid X-Twilio-Signature$/);
    await expect(simulate('crash')).rejects.toThrow(/answered 500 Internal Server Error: <h1>Internal Server Error<\/h1>/);
    await expect(simulate('plain')).rejects.toThrow(/200 with text\/plain, not TwiML.*Twilio would send this text to the user/);
    await expect(simulate('broken')).rejects.toThrow(/invalid TwiML: not well-formed XML/);
    const error = await simulateSms({ url: `http://127.0.0.1:${await closedPort()}/sms`, authToken: TOKEN, body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SimulatorError);
    expect((error as Error).message).toMatch(/could not reach .*: connection refused/);
  });
});
