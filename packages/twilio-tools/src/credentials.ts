// Which Twilio credentials to use, from the environment. Pure.

export interface TwilioCredentials {
  accountSid: string;
  /** An API key SID (SK...) or the account SID. */
  username: string;
  /** The API key's secret or the auth token: never printed. */
  password: string;
  kind: 'api-key' | 'auth-token';
}

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

/** API key + secret when both are set (recommended), else the auth token. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): TwilioCredentials {
  const accountSid = env.TWILIO_ACCOUNT_SID?.trim();
  const apiKey = env.TWILIO_API_KEY?.trim();
  const apiSecret = env.TWILIO_API_SECRET?.trim();
  const authToken = env.TWILIO_AUTH_TOKEN?.trim();
  if (!accountSid) throw new CredentialsError('TWILIO_ACCOUNT_SID is not set (it starts with AC; see the Twilio console)');
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) {
    throw new CredentialsError('TWILIO_ACCOUNT_SID does not look like an account SID (AC followed by 32 hex digits)');
  }
  if (apiKey || apiSecret) {
    if (!apiKey || !apiSecret) throw new CredentialsError('set both TWILIO_API_KEY and TWILIO_API_SECRET, or neither');
    return { accountSid, username: apiKey, password: apiSecret, kind: 'api-key' };
  }
  if (authToken) return { accountSid, username: accountSid, password: authToken, kind: 'auth-token' };
  throw new CredentialsError('set TWILIO_API_KEY and TWILIO_API_SECRET (recommended) or TWILIO_AUTH_TOKEN');
}
