// What a plain handler may return, and how it is written to the socket.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type ReplyBody = string | Uint8Array | Readable | JsonValue | object | undefined;

export interface ReplyInit {
  status?: number;
  headers?: OutgoingHttpHeaders;
  body?: ReplyBody;
}

/** A response with a status and headers; build it with `reply()`. */
export class Reply {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: ReplyBody;
  constructor(init: ReplyInit) {
    this.status = init.status ?? 200;
    this.headers = init.headers ?? {};
    this.body = init.body;
  }
}

export function reply(init: ReplyInit): Reply {
  return new Reply(init);
}

/**
 * A handler's result:
 * - a string: 200 text/plain;
 * - bytes (Buffer, Uint8Array): 200 application/octet-stream;
 * - a Readable stream: piped as is;
 * - a `Reply`: its status, headers and body;
 * - undefined: 204, unless the handler wrote to `res` itself;
 * - anything else: 200 JSON.
 */
export type HandlerResult = ReplyBody | Reply | void;

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const BYTES = 'application/octet-stream';

export function writeResult(res: ServerResponse, result: HandlerResult): void {
  if (result instanceof Reply) {
    writeBody(res, result.status, result.headers, result.body);
  } else if (result === undefined) {
    res.statusCode = 204;
    res.end();
  } else {
    writeBody(res, 200, undefined, result);
  }
}

function writeBody(
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders | undefined,
  body: ReplyBody,
): void {
  if (headers) for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
  res.statusCode = status;
  if (body === undefined || body === null) {
    res.end();
    return;
  }
  if (body instanceof Readable) {
    if (!res.hasHeader('content-type')) res.setHeader('content-type', BYTES);
    // pipeline destroys the source too when the client goes away (no open file handles).
    pipeline(body, res, () => {});
    return;
  }
  let payload: string | Uint8Array;
  let type: string;
  if (typeof body === 'string') {
    payload = body;
    type = TEXT;
  } else if (body instanceof Uint8Array) {
    payload = body;
    type = BYTES;
  } else {
    payload = JSON.stringify(body);
    type = JSON_TYPE;
  }
  if (!res.hasHeader('content-type')) res.setHeader('content-type', type);
  // end() with the whole body before the headers are out: Node sets Content-Length itself.
  res.end(payload);
}
