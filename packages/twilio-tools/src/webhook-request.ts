// A Twilio-shaped incoming-SMS webhook request, signed the way Twilio signs it
// (with the twilio library's own signature function). Pure.
import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';

export type WebhookMethod = 'GET' | 'POST';

export interface SmsParamsOptions {
  body: string;
  from?: string;
  to?: string;
  accountSid?: string;
  messageSid?: string;
  /** Media URLs, sent as MediaUrl{N} with NumMedia. */
  mediaUrls?: readonly string[];
}

export const DEFAULT_FROM = '+15005550006';
export const DEFAULT_TO = '+15005550001';
/** An obviously made-up account: the simulator needs no Twilio account. */
export const SIMULATOR_ACCOUNT_SID = `AC${'0'.repeat(32)}`;

/** A random 34-character SID with Twilio's two-letter prefix (SM..., AC...). */
export function randomSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** The parameters Twilio sends for an incoming SMS, in the order it sends them. */
export function smsParams(options: SmsParamsOptions): Record<string, string> {
  const messageSid = options.messageSid ?? randomSid('SM');
  const media = options.mediaUrls ?? [];
  const params: Record<string, string> = {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: messageSid,
    NumMedia: String(media.length),
    ToCity: 'SAN FRANCISCO',
    FromZip: '94105',
    SmsSid: messageSid,
    FromState: 'CA',
    SmsStatus: 'received',
    FromCity: 'SAN FRANCISCO',
    Body: options.body,
    FromCountry: 'US',
    To: options.to ?? DEFAULT_TO,
    MessagingServiceSid: '',
    ToZip: '94105',
    NumSegments: String(segmentCount(options.body)),
    MessageSid: messageSid,
    AccountSid: options.accountSid ?? SIMULATOR_ACCOUNT_SID,
    From: options.from ?? DEFAULT_FROM,
    ApiVersion: '2010-04-01',
  };
  media.forEach((url, index) => {
    params[`MediaContentType${index}`] = 'image/jpeg';
    params[`MediaUrl${index}`] = url;
  });
  return params;
}

/** Segments of an SMS: 160 GSM-7 characters (153 when split), or 70 UCS-2 units (67 when split). */
export function segmentCount(body: string): number {
  // Close enough for a simulator: printable ASCII stands for GSM-7.
  const gsm = /^[\n\r\x20-\x7e]*$/.test(body);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  return body.length <= single ? 1 : Math.ceil(body.length / part);
}

export interface WebhookRequest {
  /** Where the request goes. */
  url: string;
  method: WebhookMethod;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface SignOptions {
  /** Where to send the request. */
  url: string;
  /** The URL Twilio would have signed (the service's public URL); `url` by default. */
  publicUrl?: string;
  authToken: string;
  method?: WebhookMethod;
  params: Record<string, string>;
}

/**
 * Builds the request as Twilio sends it: POST with a form body signed over the
 * URL and the sorted parameters, or GET with the parameters in the signed URL.
 */
export function signedWebhookRequest(options: SignOptions): WebhookRequest {
  const method = options.method ?? 'POST';
  const form = new URLSearchParams(options.params).toString();
  const headers: Record<string, string> = {
    'user-agent': 'TwilioProxy/1.1',
    accept: '*/*',
    'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
  };
  if (method === 'GET') {
    const url = withQuery(options.url, form);
    const signed = withQuery(options.publicUrl ?? options.url, form);
    headers['x-twilio-signature'] = getExpectedTwilioSignature(options.authToken, signed, {});
    return { url, method, headers, body: undefined };
  }
  headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
  headers['x-twilio-signature'] = getExpectedTwilioSignature(options.authToken, options.publicUrl ?? options.url, options.params);
  return { url: options.url, method, headers, body: form };
}

function withQuery(url: string, query: string): string {
  if (query === '') return url;
  return url + (url.includes('?') ? '&' : '?') + query;
}
