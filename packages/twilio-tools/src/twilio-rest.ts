// The twilio REST client behind the `IncomingNumbers` interface, and errors
// described without credentials. Only this module loads the REST client.
import twilio from 'twilio';
import type { TwilioCredentials } from './credentials.js';
import type { IncomingNumber, IncomingNumbers } from './sms-webhook.js';

type Client = ReturnType<typeof twilio>;

export interface ClientOptions {
  /** Where the API lives, e.g. http://127.0.0.1:<port> for a test server. */
  apiBaseUrl?: string;
}

export function createClient(credentials: TwilioCredentials, options: ClientOptions = {}): Client {
  const client = twilio(credentials.username, credentials.password, { accountSid: credentials.accountSid, autoRetry: false });
  if (options.apiBaseUrl) client.api.baseUrl = options.apiBaseUrl;
  return client;
}

export function incomingNumbers(client: Client): IncomingNumbers {
  return {
    async list(filter) {
      const numbers = await client.incomingPhoneNumbers.list({ phoneNumber: filter.phoneNumber, limit: 50 });
      return numbers.map(toIncomingNumber);
    },
    async update(sid, changes) {
      return toIncomingNumber(await client.incomingPhoneNumbers(sid).update(changes));
    },
  };
}

function toIncomingNumber(record: {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  smsUrl: string;
  smsMethod: string;
  smsApplicationSid: string;
}): IncomingNumber {
  return {
    sid: record.sid,
    phoneNumber: record.phoneNumber,
    friendlyName: record.friendlyName,
    smsUrl: record.smsUrl || null,
    smsMethod: record.smsMethod || null,
    smsApplicationSid: record.smsApplicationSid || null,
  };
}

/**
 * One line about a failed REST call. A network error from the client carries
 * the request's Basic-auth header in its raw object, so only chosen fields are
 * read, and any credential that still shows up is masked.
 */
export function describeRestError(error: unknown, credentials: TwilioCredentials): string {
  const fields = error !== null && typeof error === 'object' ? (error as Record<string, unknown>) : {};
  const status = typeof fields.status === 'number' ? fields.status : undefined;
  const code = fields.code;
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const moreInfo = typeof fields.moreInfo === 'string' ? fields.moreInfo : undefined;
  let line: string;
  if (status === 401) {
    line = `Twilio refused the credentials (401${code ? `, code ${String(code)}` : ''}): check TWILIO_ACCOUNT_SID and ` +
      (credentials.kind === 'api-key' ? 'TWILIO_API_KEY/TWILIO_API_SECRET' : 'TWILIO_AUTH_TOKEN');
  } else if (status !== undefined) {
    line = `Twilio answered ${status}${code ? ` (code ${String(code)})` : ''}: ${message}`;
  } else {
    line = `could not reach Twilio: ${typeof code === 'string' ? code : message}`;
  }
  if (moreInfo) line += ` (${moreInfo})`;
  return mask(line, [credentials.password, basicAuth(credentials)]);
}

function basicAuth(credentials: TwilioCredentials): string {
  return Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
}

function mask(text: string, secrets: string[]): string {
  return secrets.reduce((out, secret) => (secret ? out.split(secret).join('[REDACTED]') : out), text);
}
