import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { describe, expect, it } from 'vitest';
import { segmentCount, signedWebhookRequest, smsParams } from '../src/webhook-request.js';

const TOKEN = 'tools-test-token';

describe('smsParams', () => {
  it('has every parameter Twilio sends for an incoming SMS', () => {
    const params = smsParams({ body: 'hi', from: '+15551230000' });
    for (const name of ['MessageSid', 'SmsSid', 'SmsMessageSid', 'AccountSid', 'MessagingServiceSid', 'From', 'To', 'Body', 'NumMedia', 'NumSegments', 'SmsStatus', 'ApiVersion', 'FromCity', 'FromState', 'FromZip', 'FromCountry', 'ToCity', 'ToState', 'ToZip', 'ToCountry']) {
      expect(params).toHaveProperty(name);
    }
    expect(params).toMatchObject({ Body: 'hi', From: '+15551230000', NumMedia: '0', SmsStatus: 'received', ApiVersion: '2010-04-01' });
    expect(params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(params.SmsSid).toBe(params.MessageSid);
    expect(smsParams({ body: 'x' }).MessageSid).not.toBe(params.MessageSid);
  });

  it('adds MediaUrl{N} and MediaContentType{N} with NumMedia', () => {
    const params = smsParams({ body: '', mediaUrls: ['https://example.com/a.jpg', 'https://example.com/b.jpg'] });
    expect(params).toMatchObject({ NumMedia: '2', MediaUrl0: 'https://example.com/a.jpg', MediaUrl1: 'https://example.com/b.jpg', MediaContentType1: 'image/jpeg' });
  });

  it('counts segments like Twilio: 160 GSM-7 or 70 UCS-2 characters, less when split', () => {
    expect(segmentCount('a'.repeat(160))).toBe(1);
    expect(segmentCount('a'.repeat(161))).toBe(2);
    expect(segmentCount('ü'.repeat(70))).toBe(1);
    expect(segmentCount('ü'.repeat(71))).toBe(2);
  });
});

describe('signedWebhookRequest', () => {
  const params = smsParams({ body: 'Hello & good bye ü 😀' });

  it('signs a POST the way the twilio library validates it', () => {
    const req = signedWebhookRequest({ url: 'http://127.0.0.1:8080/sms', authToken: TOKEN, params });
    expect(req).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:8080/sms' });
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
    const received = Object.fromEntries(new URLSearchParams(req.body));
    expect(received).toEqual(params);
    expect(validateRequest(TOKEN, req.headers['x-twilio-signature']!, 'http://127.0.0.1:8080/sms', received)).toBe(true);
    expect(validateRequest('other', req.headers['x-twilio-signature']!, 'http://127.0.0.1:8080/sms', received)).toBe(false);
  });

  it('signs a GET over the URL with the parameters in its query', () => {
    const req = signedWebhookRequest({ url: 'http://127.0.0.1:8080/sms?tenant=a', authToken: TOKEN, params, method: 'GET' });
    expect(req.body).toBeUndefined();
    expect(req.url.startsWith('http://127.0.0.1:8080/sms?tenant=a&')).toBe(true);
    expect(Object.fromEntries(new URL(req.url).searchParams)).toEqual({ tenant: 'a', ...params });
    expect(validateRequest(TOKEN, req.headers['x-twilio-signature']!, req.url, {})).toBe(true);
  });

  it('signs with the public URL when the request goes elsewhere', () => {
    const req = signedWebhookRequest({ url: 'http://127.0.0.1:8080/sms', publicUrl: 'https://sms.example.com/sms', authToken: TOKEN, params });
    expect(req.url).toBe('http://127.0.0.1:8080/sms');
    expect(validateRequest(TOKEN, req.headers['x-twilio-signature']!, 'https://sms.example.com/sms', params)).toBe(true);
    expect(validateRequest(TOKEN, req.headers['x-twilio-signature']!, 'http://127.0.0.1:8080/sms', params)).toBe(false);
  });
});
