// The request a plain handler receives. Everything that costs something (ids,
// parsed query, abort signal, request logger) is made only when first read, so
// a hello-world handler pays for none of it.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { EMPTY_BODY } from './body.js';
import type { DeadlineEntry } from './deadlines.js';
import type { Logger } from './logger.js';
import { parseTraceparent, type TraceContext } from './trace.js';

export interface FunctionRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Parsed by Content-Type: JSON value, form fields, text, or the raw bytes. */
  readonly body: unknown;
  /** The exact bytes received (empty when there was no body). */
  readonly rawBody: Buffer;
  /** `X-Request-Id` when the caller sent a sane one, else a new UUID. */
  readonly id: string;
  /** From the W3C `traceparent` header. */
  readonly trace: TraceContext | undefined;
  /** Aborted at the request deadline or when the client goes away. */
  readonly signal: AbortSignal;
  /** A logger whose lines carry this request's id and trace id. */
  readonly log: Logger;
  /** The underlying Node request, for what this interface does not cover. */
  readonly raw: IncomingMessage;
}

const SANE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

export class RequestContext implements FunctionRequest, DeadlineEntry {
  body: unknown = undefined;
  rawBody: Buffer = EMPTY_BODY;
  timedOut = false;
  finished = false;
  /** Set by the deadline queue (performance.now() + timeout). */
  deadline = 0;
  prevDeadline: DeadlineEntry | undefined = undefined;
  nextDeadline: DeadlineEntry | undefined = undefined;
  inDeadlineQueue = false;
  /** performance.now() at arrival, only when requests are logged. */
  startedAt = 0;
  #id: string | undefined;
  #trace: TraceContext | undefined | null = null;
  #query: URLSearchParams | undefined;
  #controller: AbortController | undefined;
  #log: Logger | undefined;

  constructor(
    readonly raw: IncomingMessage,
    readonly res: ServerResponse,
    private readonly baseLogger: Logger,
  ) {}

  get method(): string {
    return this.raw.method ?? 'GET';
  }
  get url(): string {
    return this.raw.url ?? '/';
  }
  get path(): string {
    const url = this.url;
    const q = url.indexOf('?');
    return q === -1 ? url : url.slice(0, q);
  }
  get query(): URLSearchParams {
    if (!this.#query) {
      const url = this.url;
      const q = url.indexOf('?');
      this.#query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
    }
    return this.#query;
  }
  get headers(): IncomingHttpHeaders {
    return this.raw.headers;
  }
  get id(): string {
    if (this.#id === undefined) {
      const given = this.raw.headers['x-request-id'];
      // globalThis.crypto loads lazily: start-up does not pay for it.
      this.#id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : globalThis.crypto.randomUUID();
    }
    return this.#id;
  }
  get trace(): TraceContext | undefined {
    if (this.#trace === null) this.#trace = parseTraceparent(this.raw.headers.traceparent);
    return this.#trace;
  }
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.timedOut) this.#controller.abort(timeoutReason());
      else if (this.finished) this.#controller.abort(goneReason());
    }
    return this.#controller.signal;
  }
  get log(): Logger {
    if (!this.#log) {
      const fields: Record<string, string> = { requestId: this.id };
      const trace = this.trace;
      if (trace) {
        fields.traceId = trace.traceId;
        fields.spanId = trace.spanId;
      }
      this.#log = this.baseLogger.child(fields);
    }
    return this.#log;
  }

  /** The deadline passed: abort the handler's work. */
  markTimedOut(): void {
    this.timedOut = true;
    this.#controller?.abort(timeoutReason());
  }

  /** The response is over (sent, or the client went away). */
  markFinished(): void {
    this.finished = true;
    if (this.#controller && !this.#controller.signal.aborted) this.#controller.abort(goneReason());
  }
}

function timeoutReason(): Error {
  return new DOMException('The request deadline passed', 'TimeoutError');
}
function goneReason(): Error {
  return new DOMException('The response is closed', 'AbortError');
}
