// The SMS simulator: send a signed, Twilio-shaped webhook request to the
// service and read the reply as Twilio would.
import { send, type HttpResponse } from './http-request.js';
import { smsParams, signedWebhookRequest, type SmsParamsOptions, type WebhookMethod } from './webhook-request.js';
import { twimlMessages, TwimlError } from './twiml.js';

/** The local Knative ingress's URL for the service (`*.localhost` is loopback). */
export const DEFAULT_SERVICE_URL = 'http://twilio-sms.default.localhost:8080/sms';

export interface SimulateOptions extends SmsParamsOptions {
  url?: string;
  /** The URL the service validates against (its PUBLIC_BASE_URL + /sms), when it differs from `url`. */
  publicUrl?: string;
  authToken: string;
  method?: WebhookMethod;
  timeoutMs?: number;
}

export interface SimulateResult {
  status: number;
  /** The text of each `<Message>`; empty when the service chose not to answer. */
  messages: string[];
  twiml: string;
}

export class SimulatorError extends Error {
  override name = 'SimulatorError';
}

export async function simulateSms(options: SimulateOptions): Promise<SimulateResult> {
  const url = options.url ?? DEFAULT_SERVICE_URL;
  const request = signedWebhookRequest({
    url,
    publicUrl: options.publicUrl,
    authToken: options.authToken,
    method: options.method,
    params: smsParams(options),
  });
  let response: HttpResponse;
  try {
    response = await send({ ...request, timeoutMs: options.timeoutMs ?? 15_000 });
  } catch (error) {
    throw new SimulatorError(`could not reach ${url}: ${reason(error)}`);
  }
  const text = response.body;
  const type = response.headers['content-type'] ?? '';
  if (response.status < 200 || response.status > 299) {
    throw new SimulatorError(`${url} answered ${response.status} ${response.statusText}${detail(text, type)}`);
  }
  if (!/^(text|application)\/xml\b/i.test(type)) {
    throw new SimulatorError(
      `${url} answered ${response.status} with ${type || 'no Content-Type'}, not TwiML (text/xml)` +
        (type.startsWith('text/plain') ? ': Twilio would send this text to the user as an SMS' : ''),
    );
  }
  try {
    return { status: response.status, messages: twimlMessages(text), twiml: text };
  } catch (error) {
    if (error instanceof TwimlError) throw new SimulatorError(`${url} answered invalid TwiML: ${error.message}`);
    throw error;
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the service running, and is --url right?)';
  if (code === 'ENOTFOUND') return 'unknown host (check --url)';
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** The error message of a runtime-style JSON error body, or a short excerpt of the text. */
function detail(body: string, type: string): string {
  if (type.includes('json')) {
    try {
      const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
      if (typeof message === 'string') return `: ${message}`;
    } catch {
      // fall through to the excerpt
    }
  }
  const excerpt = body.trim().slice(0, 200);
  return excerpt === '' ? '' : `: ${excerpt}`;
}
