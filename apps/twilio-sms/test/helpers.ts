import type { RequestListener } from 'node:http';
import { createTestServer, type TestServer } from '@hands-on-knative/function-runtime/testing';
import request from 'supertest';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { createApp } from '../src/app.js';
import type { SmsConfig } from '../src/config.js';

export const TOKEN = 'test-auth-token-0123456789abcdef';
export const PUBLIC_BASE_URL = 'https://twilio-sms.default.example.com';

export function testConfig(overrides: Partial<SmsConfig> = {}): SmsConfig {
  return {
    signature: { authToken: TOKEN, publicBaseUrl: PUBLIC_BASE_URL },
    dedupWindowMs: 60_000,
    dedupMaxEntries: 100,
    ...overrides,
  };
}

export function server(config: SmsConfig = testConfig(), now?: () => number): TestServer {
  // The token is in the env too, as in production, so the runtime redacts it from logs.
  return createTestServer(createApp(config, now), { env: { TWILIO_AUTH_TOKEN: TOKEN } });
}

/** Twilio's own signature function, from the twilio library. */
export function sign(url: string, params: Record<string, string> = {}, token = TOKEN): string {
  return getExpectedTwilioSignature(token, url, params);
}

let counter = 0;
/** The parameters of an incoming SMS, as Twilio sends them. */
export function smsFields(body: string, extra: Record<string, string> = {}): Record<string, string> {
  const sid = `SM${(++counter).toString(16).padStart(32, '0')}`;
  return {
    ToCountry: 'US',
    SmsMessageSid: sid,
    NumMedia: '0',
    SmsSid: sid,
    SmsStatus: 'received',
    Body: body,
    To: '+15005550001',
    MessagingServiceSid: '',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: `AC${'1'.repeat(32)}`,
    From: '+15005550006',
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

export const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

/** A signed POST /sms as Twilio sends it, expecting a TwiML 200. */
export function postSigned(listener: RequestListener, fields: Record<string, string>) {
  return request(listener)
    .post('/sms')
    .set('x-twilio-signature', sign(`${PUBLIC_BASE_URL}/sms`, fields))
    .type('form')
    .send(form(fields))
    .expect(200)
    .expect('content-type', 'text/xml; charset=utf-8');
}
