// How anything a handler throws becomes an HTTP status and a JSON body. Pure.
import { STATUS_CODES } from 'node:http';

export interface HttpErrorOptions {
  /** Show the message to the client even for a 5xx in production. */
  expose?: boolean;
  /** Extra JSON-safe data for the client (validation problems and the like). */
  details?: unknown;
  /** Headers to send with the error response (e.g. Retry-After, Allow). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** An error with an HTTP status: throw it from a handler to answer with that status. */
export class HttpError extends Error {
  readonly status: number;
  readonly expose: boolean | undefined;
  readonly details: unknown;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, message?: string, options: HttpErrorOptions = {}) {
    super(message ?? STATUS_CODES[status] ?? 'Error', { cause: options.cause });
    this.name = 'HttpError';
    this.status = normalizeStatus(status) ?? 500;
    this.expose = options.expose;
    this.details = options.details;
    this.headers = options.headers;
  }
}

export interface ErrorDescription {
  status: number;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
  /** 5xx: the server's fault, logged with its stack. */
  serverFault: boolean;
}

export interface ErrorBody {
  error: { status: number; message: string; requestId?: string; details?: unknown };
}

/** Accepts integer statuses 400-599, given as numbers or numeric strings. */
export function normalizeStatus(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 400 && n <= 599 ? n : undefined;
}

function messageOf(thrown: unknown): string | undefined {
  if (typeof thrown === 'string') return thrown;
  if (thrown !== null && typeof thrown === 'object' && 'message' in thrown) {
    const message = (thrown as { message: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
  }
  return undefined;
}

/**
 * Maps a thrown value to what the client sees. `status`/`statusCode` on the value
 * is honoured; everything else is a 500. In production a 5xx message is replaced
 * by the status text unless the error says `expose: true`, so internals never leak.
 */
export function describeError(thrown: unknown, production: boolean): ErrorDescription {
  const fields = thrown !== null && typeof thrown === 'object' ? (thrown as Record<string, unknown>) : {};
  const status = normalizeStatus(fields.status) ?? normalizeStatus(fields.statusCode) ?? 500;
  const serverFault = status >= 500;
  const exposeFlag = typeof fields.expose === 'boolean' ? fields.expose : undefined;
  const expose = exposeFlag ?? !(serverFault && production);
  const message = (expose ? messageOf(thrown) : undefined) ?? STATUS_CODES[status] ?? 'Error';
  const description: ErrorDescription = { status, message, serverFault };
  // Only errors meant for the client say what goes on the response: an HTTP
  // client's error carrying an upstream response's headers (set-cookie,
  // content-encoding) or body must not be copied onto ours.
  const meantForClient = thrown instanceof HttpError || exposeFlag === true;
  if (meantForClient && expose && fields.details !== undefined) description.details = fields.details;
  if (meantForClient && isStringRecord(fields.headers)) description.headers = fields.headers;
  return description;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

export function errorBody(description: ErrorDescription, requestId?: string): ErrorBody {
  const error: ErrorBody['error'] = { status: description.status, message: description.message };
  if (requestId !== undefined) error.requestId = requestId;
  if (description.details !== undefined) error.details = description.details;
  return { error };
}
