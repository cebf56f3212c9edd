import { ConfigError } from '@hands-on-knative/function-runtime';
import { describe, expect, it } from 'vitest';
import { loadSmsConfig } from '../src/config.js';

const TOKEN = 'config-test-token';

describe('loadSmsConfig', () => {
  it('fails closed without TWILIO_AUTH_TOKEN, saying how to switch validation off', () => {
    expect(() => loadSmsConfig({ PUBLIC_BASE_URL: 'https://sms.example.com' })).toThrow(ConfigError);
    expect(() => loadSmsConfig({ PUBLIC_BASE_URL: 'https://sms.example.com' })).toThrow(
      /TWILIO_AUTH_TOKEN is required.*TWILIO_SIGNATURE_VALIDATION=off only for local development/,
    );
  });

  it('needs the public base URL Twilio calls', () => {
    expect(() => loadSmsConfig({ TWILIO_AUTH_TOKEN: TOKEN })).toThrow(/PUBLIC_BASE_URL is required/);
    expect(() => loadSmsConfig({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: 'sms.example.com' })).toThrow(/absolute URL/);
    expect(() => loadSmsConfig({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: 'https://sms.example.com/?a=1' })).toThrow(/without query/);
  });

  it('keeps the base URL as written, minus trailing slashes', () => {
    const config = loadSmsConfig({ TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: 'https://sms.example.com/prefix/' });
    expect(config.signature).toEqual({ authToken: TOKEN, publicBaseUrl: 'https://sms.example.com/prefix' });
    expect(config.dedupWindowMs).toBe(3_600_000);
    expect(config.dedupMaxEntries).toBe(10_000);
  });

  it('switches validation off only when told exactly', () => {
    expect(loadSmsConfig({ TWILIO_SIGNATURE_VALIDATION: 'off' }).signature).toBe(false);
    expect(() => loadSmsConfig({ TWILIO_SIGNATURE_VALIDATION: 'no' })).toThrow(/must be one of on, off/);
  });

  it('reads the replay window and its bound', () => {
    const config = loadSmsConfig({ TWILIO_SIGNATURE_VALIDATION: 'off', SMS_DEDUP_WINDOW_SECONDS: '30', SMS_DEDUP_MAX_ENTRIES: '5' });
    expect(config).toMatchObject({ dedupWindowMs: 30_000, dedupMaxEntries: 5 });
    expect(() => loadSmsConfig({ TWILIO_SIGNATURE_VALIDATION: 'off', SMS_DEDUP_MAX_ENTRIES: '0' })).toThrow(/at least 1/);
  });
});
