// Which headers a proxy passes on, and the ones the ingress adds. Pure.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

// RFC 9110 section 7.6.1: meaningful for one connection only, never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Copies headers minus hop-by-hop ones, including those the Connection header names. */
export function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** `::ffff:127.0.0.1` -> `127.0.0.1` (how Node reports IPv4 clients on a dual-stack socket). */
export function clientAddress(remoteAddress: string | undefined): string {
  if (!remoteAddress) return 'unknown';
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
}

/** An RFC 7239 node or host value, quoted when it is not a plain token (IPv6, ports). */
function forwardedValue(value: string, isNode: boolean): string {
  const shown = isNode && value.includes(':') ? `[${value}]` : value;
  return /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(shown) ? shown : `"${shown.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * The headers the app receives: the client's, minus hop-by-hop, with the original
 * Host kept (as Knative does) and Forwarded / X-Forwarded-* added. Existing
 * X-Forwarded-Proto/Host (e.g. from a tunnel that ends TLS in front of the local
 * ingress) are kept, because they describe what the client really used.
 */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, remoteAddress: string | undefined): OutgoingHttpHeaders {
  const out = withoutHopByHop(headers);
  const client = clientAddress(remoteAddress);
  const host = headers.host ?? '';
  const element = `for=${forwardedValue(client, true)};host=${forwardedValue(host, false)};proto=http`;
  out.forwarded = headers.forwarded ? `${headers.forwarded}, ${element}` : element;
  const xff = headers['x-forwarded-for'];
  out['x-forwarded-for'] = xff ? `${String(xff)}, ${client}` : client;
  out['x-forwarded-proto'] = headers['x-forwarded-proto'] ?? 'http';
  out['x-forwarded-host'] = headers['x-forwarded-host'] ?? host;
  return out;
}
