// Error paths and state of the REST side, with the real twilio client against
// a small local stub of the IncomingPhoneNumbers API. A stub, not Prism,
// because Prism only answers the spec's documented 200 examples: it cannot
// hold a number's state (for idempotency), return an empty list, or answer 401
// to wrong credentials (it checks only that some are present).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { closedPort } from './ports.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TwilioCredentials } from '../src/credentials.js';
import { NumberNotFoundError, pointSmsWebhook } from '../src/sms-webhook.js';
import { createClient, describeRestError, incomingNumbers } from '../src/twilio-rest.js';

const ACCOUNT = `AC${'c'.repeat(32)}`;
const KEY = `SK${'d'.repeat(32)}`;
const SECRET = 'stub-api-secret-value';
const credentials: TwilioCredentials = { accountSid: ACCOUNT, username: KEY, password: SECRET, kind: 'api-key' };
const SMS_URL = 'https://twilio-sms.default.example.com/sms';

interface StubNumber {
  sid: string;
  phone_number: string;
  sms_url: string;
  sms_method: string;
  sms_application_sid: string;
  friendly_name: string;
}
let numbers: StubNumber[];
let updates: Record<string, string>[];
let server: Server;
let baseUrl: string;

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const expected = `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return json(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    }
    const url = new URL(req.url!, 'http://stub');
    const prefix = `/2010-04-01/Accounts/${ACCOUNT}/IncomingPhoneNumbers`;
    if (req.method === 'GET' && url.pathname === `${prefix}.json`) {
      const filter = (url.searchParams.get('PhoneNumber') ?? '').replace('+', '');
      const page = numbers.filter((n) => n.phone_number.includes(filter));
      return json(200, { incoming_phone_numbers: page, page: 0, page_size: 50, next_page_uri: null, uri: url.pathname });
    }
    const match = new RegExp(`^${prefix}/(PN\\w+)\\.json$`).exec(url.pathname);
    const number = match && numbers.find((n) => n.sid === match[1]);
    if (req.method === 'POST' && number) {
      const form = await readForm(req);
      updates.push(form);
      if (form.SmsUrl !== undefined) number.sms_url = form.SmsUrl;
      if (form.SmsMethod !== undefined) number.sms_method = form.SmsMethod;
      return json(200, number);
    }
    return json(404, { code: 20404, message: 'The requested resource was not found', more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  updates = [];
  numbers = [
    { sid: `PN${'1'.repeat(32)}`, phone_number: '+15551234567', sms_url: 'https://demo.twilio.com/welcome/sms/reply', sms_method: 'GET', sms_application_sid: '', friendly_name: 'demo' },
    { sid: `PN${'2'.repeat(32)}`, phone_number: '+155512345670', sms_url: '', sms_method: 'POST', sms_application_sid: 'AP123', friendly_name: 'longer' },
  ];
});

const api = (creds: TwilioCredentials = credentials) => incomingNumbers(createClient(creds, { apiBaseUrl: baseUrl }));

describe('pointing a number through the REST client (stub API)', () => {
  it('updates the exact number once, then changes nothing', async () => {
    const first = await pointSmsWebhook(api(), '+15551234567', SMS_URL);
    expect(first.changes.map((c) => c.field)).toEqual(['smsUrl', 'smsMethod']);
    expect(updates).toEqual([{ SmsUrl: SMS_URL, SmsMethod: 'POST' }]);
    const second = await pointSmsWebhook(api(), '+15551234567', SMS_URL);
    expect(second.changes).toEqual([]);
    expect(updates).toHaveLength(1);
  });

  it('warns when an SMS application overrides smsUrl', async () => {
    const result = await pointSmsWebhook(api(), '+155512345670', SMS_URL);
    expect(result.warnings[0]).toMatch(/AP123/);
  });

  it('says clearly when the account has no such number', async () => {
    const error = await pointSmsWebhook(api(), '+15559999999', SMS_URL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NumberNotFoundError);
    expect((error as Error).message).toMatch(/the account has no number \+15559999999: check --number/);
  });

  it('describes a 401 without the secret', async () => {
    const wrong = { ...credentials, password: 'wrong-secret-value' };
    const error = await pointSmsWebhook(api(wrong), '+15551234567', SMS_URL).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: 20003 });
    const line = describeRestError(error, wrong);
    expect(line).toBe(
      'Twilio refused the credentials (401, code 20003): check TWILIO_ACCOUNT_SID and TWILIO_API_KEY/TWILIO_API_SECRET (https://www.twilio.com/docs/errors/20003)',
    );
    expect(updates).toEqual([]);
  });

  it('describes an unreachable API without the Basic-auth header the raw error carries', async () => {
    const port = await closedPort();
    const client = createClient(credentials, { apiBaseUrl: `http://127.0.0.1:${port}` });
    const error = await incomingNumbers(client).list({ phoneNumber: '+15551234567' }).catch((e: unknown) => e);
    const basic = Buffer.from(`${KEY}:${SECRET}`).toString('base64');
    // The reason this module never prints error objects:
    expect(inspect(error, { depth: 6 })).toMatch(new RegExp(`${SECRET}|${basic}`));
    const line = describeRestError(error, credentials);
    expect(line).toBe('could not reach Twilio: ECONNREFUSED');
    expect(line).not.toContain(SECRET);
    expect(line).not.toContain(basic);
  });
});
