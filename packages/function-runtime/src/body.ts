// Reading and parsing request bodies. The raw bytes are always kept: webhook
// signatures (Twilio, Stripe, GitHub) are computed over them.
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

export type BodyKind = 'json' | 'form' | 'text' | 'raw' | 'unsupported';

export const EMPTY_BODY: Buffer = Buffer.alloc(0);

/**
 * True when the request announces a body (a length above 0, or a transfer
 * encoding). Reads rawHeaders: Node builds `req.headers` lazily, and a
 * handler that never looks at headers should not pay for it on every request.
 */
export function hasBody(req: IncomingMessage): boolean {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 14 && name.toLowerCase() === 'content-length') return raw[i + 1]!.trim() !== '0';
    if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') return true;
  }
  return false;
}

export interface MediaType {
  type: string;
  charset: string | undefined;
}

export function parseMediaType(header: string | undefined): MediaType {
  if (!header) return { type: '', charset: undefined };
  const [type = '', ...params] = header.split(';');
  let charset: string | undefined;
  for (const param of params) {
    const [key, value] = param.split('=');
    if (key?.trim().toLowerCase() === 'charset' && value) {
      charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
    }
  }
  return { type: type.trim().toLowerCase(), charset };
}

export function classifyMediaType(type: string): BodyKind {
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type.startsWith('text/') || type === 'application/xml' || type.endsWith('+xml')) return 'text';
  if (type === 'application/octet-stream' || type === '') return 'raw';
  return 'unsupported';
}

const TEXT_ENCODINGS: Record<string, BufferEncoding> = {
  'utf-8': 'utf8',
  utf8: 'utf8',
  'us-ascii': 'latin1',
  ascii: 'latin1',
  'iso-8859-1': 'latin1',
  latin1: 'latin1',
};

function decode(raw: Buffer, charset: string | undefined): string {
  const encoding = TEXT_ENCODINGS[charset ?? 'utf-8'];
  if (!encoding) throw new HttpError(415, `Unsupported charset "${charset}": send UTF-8`);
  return raw.toString(encoding);
}

/** Form fields as strings; a repeated field becomes an array, as Node's querystring does. */
export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [existing, value];
  }
  return out;
}

/** Parses a body already read; malformed JSON is a 400, never an HTML page or a stack. */
export function parseBody(kind: BodyKind, raw: Buffer, media: MediaType): unknown {
  switch (kind) {
    case 'json': {
      if (raw.length === 0) return undefined;
      if (media.charset && media.charset !== 'utf-8' && media.charset !== 'utf8') {
        throw new HttpError(415, `Unsupported charset "${media.charset}" for JSON: send UTF-8`);
      }
      try {
        return JSON.parse(raw.toString('utf8'));
      } catch {
        throw new HttpError(400, 'Malformed JSON in request body');
      }
    }
    case 'form':
      return parseForm(decode(raw, media.charset));
    case 'text':
      return decode(raw, media.charset);
    case 'raw':
      return raw;
    default:
      throw new HttpError(415, `Unsupported Content-Type "${media.type}"`);
  }
}

/** Reads the whole body, refusing (413) as soon as it exceeds `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new HttpError(400, 'Request body could not be read', { cause: error }));
    };
    const onAborted = (): void => {
      cleanup();
      reject(new HttpError(400, 'Request was aborted by the client'));
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `Request body is larger than the limit of ${limit} bytes`, {
    // The rest of the body is not read: the connection cannot be reused.
    headers: { connection: 'close' },
  });
}
