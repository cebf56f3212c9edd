import { describe, expect, it } from 'vitest';
import { credentialsFromEnv, CredentialsError } from '../src/credentials.js';

const ACCOUNT = `AC${'a'.repeat(32)}`;

describe('credentialsFromEnv', () => {
  it('prefers an API key and secret', () => {
    expect(credentialsFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEY: 'SK1', TWILIO_API_SECRET: 's3cret', TWILIO_AUTH_TOKEN: 'tok' })).toEqual({
      accountSid: ACCOUNT,
      username: 'SK1',
      password: 's3cret',
      kind: 'api-key',
    });
  });

  it('falls back to the auth token', () => {
    expect(credentialsFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: 'tok' })).toEqual({ accountSid: ACCOUNT, username: ACCOUNT, password: 'tok', kind: 'auth-token' });
  });

  it('says what is missing, without printing any value', () => {
    expect(() => credentialsFromEnv({})).toThrow(/TWILIO_ACCOUNT_SID is not set/);
    expect(() => credentialsFromEnv({ TWILIO_ACCOUNT_SID: 'hunter2' })).toThrow(/does not look like an account SID/);
    expect(() => credentialsFromEnv({ TWILIO_ACCOUNT_SID: 'hunter2' })).not.toThrow(/hunter2/);
    expect(() => credentialsFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_KEY: 'SK1' })).toThrow(/both TWILIO_API_KEY and TWILIO_API_SECRET/);
    expect(() => credentialsFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT })).toThrow(CredentialsError);
  });
});
