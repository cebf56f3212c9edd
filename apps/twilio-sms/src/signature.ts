// Checking X-Twilio-Signature against the URL Twilio signed. Behind Knative's
// ingress the container sees plain http and an internal Host, so the URL is
// rebuilt from the configured public base URL, never from request headers.
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';

/** The URL Twilio signed: the public base joined with the request's original path and query. */
export function signedUrl(publicBaseUrl: string, originalUrl: string): string {
  return publicBaseUrl + (originalUrl.startsWith('/') ? originalUrl : `/${originalUrl}`);
}

/**
 * True when `signature` is Twilio's HMAC of `url` and `params` (the POST form
 * fields; none for GET). Never throws: an unparsable URL is simply invalid.
 */
export function isValidSignature(
  authToken: string,
  signature: string,
  url: string,
  params: Record<string, string | string[]>,
): boolean {
  try {
    return validateRequest(authToken, signature, url, params);
  } catch {
    return false;
  }
}
