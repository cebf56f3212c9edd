// Pointing a Twilio number's incoming-SMS webhook at a URL: exact number match,
// no write when nothing changes, a warning when an SMS application overrides
// the URL. Talks to Twilio through the small `IncomingNumbers` interface.

export interface IncomingNumber {
  sid: string;
  phoneNumber: string;
  friendlyName?: string;
  smsUrl: string | null;
  smsMethod: string | null;
  smsApplicationSid: string | null;
}

export interface IncomingNumbers {
  /** Twilio's filter matches partial numbers too: callers compare exactly. */
  list(filter: { phoneNumber: string }): Promise<IncomingNumber[]>;
  update(sid: string, changes: { smsUrl: string; smsMethod: 'POST' }): Promise<IncomingNumber>;
}

export interface Change {
  field: 'smsUrl' | 'smsMethod';
  from: string | null;
  to: string;
}

export interface PointResult {
  number: IncomingNumber;
  /** Empty when the number already pointed there (nothing was written). */
  changes: Change[];
  warnings: string[];
}

export class NumberNotFoundError extends Error {
  override name = 'NumberNotFoundError';
}

export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
}

const E164 = /^\+[1-9]\d{1,14}$/;

export function validateInputs(phoneNumber: string, smsUrl: string): void {
  if (!E164.test(phoneNumber)) {
    throw new InvalidInputError(`--number must be in E.164 form like +15551234567, got "${phoneNumber}"`);
  }
  let url: URL;
  try {
    url = new URL(smsUrl);
  } catch {
    throw new InvalidInputError(`--url must be an absolute URL like https://twilio-sms.default.example.com/sms, got "${smsUrl}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidInputError(`--url must be http(s), got "${url.protocol}"`);
  }
  if (url.hostname === 'localhost' || url.hostname.endsWith('.localhost') || url.hostname === '127.0.0.1' || url.hostname === '[::1]') {
    throw new InvalidInputError(`--url ${smsUrl} is local: Twilio can only call a public URL`);
  }
}

export async function pointSmsWebhook(api: IncomingNumbers, phoneNumber: string, smsUrl: string): Promise<PointResult> {
  validateInputs(phoneNumber, smsUrl);
  const found = await api.list({ phoneNumber });
  const number = found.find((candidate) => candidate.phoneNumber === phoneNumber);
  if (!number) {
    const others = found.map((candidate) => candidate.phoneNumber);
    throw new NumberNotFoundError(
      `the account has no number ${phoneNumber}` +
        (others.length > 0 ? ` (partial matches: ${others.join(', ')})` : '') +
        ': check --number and that the credentials belong to the account that owns it',
    );
  }
  const warnings: string[] = [];
  if (number.smsApplicationSid) {
    warnings.push(
      `the number's SMS is handled by application ${number.smsApplicationSid}, which overrides smsUrl: ` +
        'Twilio will keep calling the application until it is removed from the number (Console > Phone Numbers > Messaging)',
    );
  }
  if (new URL(smsUrl).protocol === 'http:') {
    warnings.push('the URL is plain http: Twilio will call it, but the messages and the signature travel unencrypted');
  }
  const changes: Change[] = [];
  if (number.smsUrl !== smsUrl) changes.push({ field: 'smsUrl', from: number.smsUrl, to: smsUrl });
  if (number.smsMethod !== 'POST') changes.push({ field: 'smsMethod', from: number.smsMethod, to: 'POST' });
  if (changes.length === 0) return { number, changes, warnings };
  const updated = await api.update(number.sid, { smsUrl, smsMethod: 'POST' });
  return { number: updated, changes, warnings };
}
