// Contract test: the real twilio REST client, through our IncomingNumbers
// adapter and pointSmsWebhook, against Twilio's own OpenAPI description
// (twilio_api_v2010.json, shipped in @twilio/cli-core) served by Prism on
// loopback. Prism validates every request against the spec (auth, SmsUrl as a
// URI, SmsMethod's enum) and answers the documented 200 examples.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NumberNotFoundError, pointSmsWebhook } from '../src/sms-webhook.js';
import { createClient, describeRestError, incomingNumbers } from '../src/twilio-rest.js';
import type { TwilioCredentials } from '../src/credentials.js';
import { freePort } from './ports.js';

const require = createRequire(import.meta.url);
const spec = path.join(path.dirname(require.resolve('@twilio/cli-core/package.json')), 'src/services/twilio-api/twilio_api_v2010.json');
const prismBin = path.join(path.dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist/index.js');

// The spec's examples use this account and this number (+1 808 925 5327, PNaaa...).
const ACCOUNT = `AC${'a'.repeat(32)}`;
const EXAMPLE_NUMBER = '+18089255327';
const credentials: TwilioCredentials = { accountSid: ACCOUNT, username: `SK${'b'.repeat(32)}`, password: 'contract-test-secret', kind: 'api-key' };
const SMS_URL = 'https://twilio-sms.default.example.com/sms';

let prism: ChildProcess;
let baseUrl: string;

beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  prism = spawn(process.execPath, [prismBin, 'mock', '--host', '127.0.0.1', '--port', String(port), spec], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  prism.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  prism.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const since = Date.now();
  while (!output.includes('Prism is listening')) {
    if (prism.exitCode !== null) throw new Error(`prism exited ${prism.exitCode}: ${output.slice(-2000)}`);
    if (Date.now() - since > 110_000) throw new Error(`prism did not start: ${output.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 120_000);

afterAll(async () => {
  if (prism && prism.exitCode === null) {
    prism.kill('SIGTERM');
    await once(prism, 'exit');
  }
});

const api = () => incomingNumbers(createClient(credentials, { apiBaseUrl: baseUrl }));

describe('against Twilio OpenAPI (Prism)', () => {
  it('lists by number and updates the SMS webhook with requests the spec accepts', async () => {
    const result = await pointSmsWebhook(api(), EXAMPLE_NUMBER, SMS_URL);
    expect(result.number).toMatchObject({ sid: `PN${'a'.repeat(32)}`, phoneNumber: EXAMPLE_NUMBER });
    // The example number has no smsUrl and already uses POST.
    expect(result.changes).toEqual([{ field: 'smsUrl', from: null, to: SMS_URL }]);
    expect(result.warnings).toEqual([]);
  });

  it('refuses a partial match from the list filter', async () => {
    await expect(pointSmsWebhook(api(), '+1808925532', SMS_URL)).rejects.toThrow(NumberNotFoundError);
  });

  it('is a spec that really validates: a bad SmsMethod is a 422, described without credentials', async () => {
    const client = createClient(credentials, { apiBaseUrl: baseUrl });
    const error = await client.incomingPhoneNumbers(`PN${'a'.repeat(32)}`).update({ smsMethod: 'PUT', smsUrl: SMS_URL }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422 });
    const line = describeRestError(error, credentials);
    expect(line).toMatch(/^Twilio answered 422/);
    expect(line).not.toContain(credentials.password);
  });

  it('requires authentication (401 without credentials)', async () => {
    const res = await fetch(`${baseUrl}/2010-04-01/Accounts/${ACCOUNT}/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(EXAMPLE_NUMBER)}`);
    expect(res.status).toBe(401);
  });
});
