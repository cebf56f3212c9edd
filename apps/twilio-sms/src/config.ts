// The service's settings, read from the environment once at start-up. Fails
// closed: signature validation is on unless switched off explicitly, and then
// the auth token and the public URL Twilio calls are required.
import { ConfigError, loadConfig } from '@hands-on-knative/function-runtime';

export interface SignatureCheck {
  authToken: string;
  /** Origin (and optional path prefix) Twilio calls, without a trailing slash. */
  publicBaseUrl: string;
}

export interface SmsConfig {
  /** `false` only when TWILIO_SIGNATURE_VALIDATION=off (local development). */
  signature: SignatureCheck | false;
  /** How long a MessageSid is remembered, to answer a retry or replay with nothing. */
  dedupWindowMs: number;
  /** Upper bound of remembered MessageSids (memory stays bounded under a flood). */
  dedupMaxEntries: number;
}

export const VALIDATION_OFF_WARNING =
  'TWILIO_SIGNATURE_VALIDATION=off: requests are NOT checked for a Twilio signature; ' +
  'anyone who can reach this service can make it send SMS. Use for local development only.';

/** Reads the configuration; a missing or bad variable is a ConfigError naming it. */
export function loadSmsConfig(env: NodeJS.ProcessEnv = process.env): SmsConfig {
  const vars = loadConfig(
    {
      TWILIO_AUTH_TOKEN: { secret: true, description: 'the auth token Twilio signs webhooks with' },
      PUBLIC_BASE_URL: {
        type: 'url',
        description: 'the public base URL Twilio calls, e.g. https://twilio-sms.default.example.com',
      },
      TWILIO_SIGNATURE_VALIDATION: { type: 'enum', values: ['on', 'off'], default: 'on' },
      SMS_DEDUP_WINDOW_SECONDS: { type: 'integer', min: 0, max: 7 * 24 * 3600, default: 3600 },
      SMS_DEDUP_MAX_ENTRIES: { type: 'integer', min: 1, max: 10_000_000, default: 10_000 },
    },
    { env },
  );
  const dedup = {
    dedupWindowMs: vars.SMS_DEDUP_WINDOW_SECONDS * 1000,
    dedupMaxEntries: vars.SMS_DEDUP_MAX_ENTRIES,
  };
  if (vars.TWILIO_SIGNATURE_VALIDATION === 'off') return { signature: false, ...dedup };

  const offSwitch = 'set TWILIO_SIGNATURE_VALIDATION=off only for local development';
  if (vars.TWILIO_AUTH_TOKEN === undefined) {
    throw new ConfigError('TWILIO_AUTH_TOKEN', 'is required to validate Twilio signatures', offSwitch);
  }
  if (vars.PUBLIC_BASE_URL === undefined) {
    throw new ConfigError(
      'PUBLIC_BASE_URL',
      'is required to validate Twilio signatures: set it to the public URL Twilio calls, without /sms',
      offSwitch,
    );
  }
  return { signature: { authToken: vars.TWILIO_AUTH_TOKEN, publicBaseUrl: normalizeBaseUrl(vars.PUBLIC_BASE_URL) }, ...dedup };
}

function normalizeBaseUrl(raw: string): string {
  const url = new URL(raw);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError('PUBLIC_BASE_URL', `must be a plain base URL without query, fragment or credentials, got "${raw}"`);
  }
  // Keep the text as written (Twilio signs the URL as configured), minus trailing slashes.
  return raw.replace(/\/+$/, '');
}
