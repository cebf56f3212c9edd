// The number-pointing logic against an in-memory account (the REST client's
// side is covered by rest-contract.test.ts and rest-errors.test.ts).
import { describe, expect, it } from 'vitest';
import { InvalidInputError, NumberNotFoundError, pointSmsWebhook, type IncomingNumber, type IncomingNumbers } from '../src/sms-webhook.js';

const URL_ = 'https://twilio-sms.default.example.com/sms';

function account(numbers: IncomingNumber[]): IncomingNumbers & { updates: unknown[] } {
  const updates: unknown[] = [];
  return {
    updates,
    async list({ phoneNumber }) {
      // Like Twilio's filter: partial matches too.
      return numbers.filter((n) => n.phoneNumber.includes(phoneNumber.replace('+', '')));
    },
    async update(sid, changes) {
      updates.push({ sid, ...changes });
      const number = numbers.find((n) => n.sid === sid)!;
      Object.assign(number, changes);
      return { ...number };
    },
  };
}

const number = (overrides: Partial<IncomingNumber> = {}): IncomingNumber => ({
  sid: 'PN1',
  phoneNumber: '+15551234567',
  smsUrl: 'https://demo.twilio.com/welcome/sms/reply',
  smsMethod: 'GET',
  smsApplicationSid: null,
  ...overrides,
});

describe('pointSmsWebhook', () => {
  it('updates the exact number and reports what changed', async () => {
    const api = account([number({ sid: 'PN0', phoneNumber: '+155512345678' }), number()]);
    const result = await pointSmsWebhook(api, '+15551234567', URL_);
    expect(api.updates).toEqual([{ sid: 'PN1', smsUrl: URL_, smsMethod: 'POST' }]);
    expect(result.changes).toEqual([
      { field: 'smsUrl', from: 'https://demo.twilio.com/welcome/sms/reply', to: URL_ },
      { field: 'smsMethod', from: 'GET', to: 'POST' },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('is idempotent: a second run writes nothing', async () => {
    const api = account([number()]);
    await pointSmsWebhook(api, '+15551234567', URL_);
    const again = await pointSmsWebhook(api, '+15551234567', URL_);
    expect(again.changes).toEqual([]);
    expect(api.updates).toHaveLength(1);
  });

  it('refuses a partial match', async () => {
    const api = account([number({ phoneNumber: '+155512345679' })]);
    await expect(pointSmsWebhook(api, '+15551234567', URL_)).rejects.toThrow(NumberNotFoundError);
    await expect(pointSmsWebhook(api, '+15551234567', URL_)).rejects.toThrow(/partial matches: \+155512345679/);
    expect(api.updates).toEqual([]);
  });

  it('warns when an SMS application overrides smsUrl', async () => {
    const result = await pointSmsWebhook(account([number({ smsApplicationSid: 'AP123' })]), '+15551234567', URL_);
    expect(result.warnings).toEqual([expect.stringMatching(/application AP123, which overrides smsUrl/)]);
  });

  it('refuses bad input before calling Twilio', async () => {
    const api = account([number()]);
    await expect(pointSmsWebhook(api, '5551234567', URL_)).rejects.toThrow(InvalidInputError);
    await expect(pointSmsWebhook(api, '+15551234567', 'twilio-sms/sms')).rejects.toThrow(/absolute URL/);
    await expect(pointSmsWebhook(api, '+15551234567', 'http://twilio-sms.default.localhost:8080/sms')).rejects.toThrow(/public URL/);
    await expect(pointSmsWebhook(api, '+15551234567', 'ftp://example.com/sms')).rejects.toThrow(/http\(s\)/);
  });

  it('warns about plain http', async () => {
    const result = await pointSmsWebhook(account([number()]), '+15551234567', 'http://sms.example.com/sms');
    expect(result.warnings).toEqual([expect.stringMatching(/plain http/)]);
  });
});
