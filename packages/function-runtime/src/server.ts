// The request pipeline shared by `serve`, `createRequestListener` and the testing
// helper: health probes, body reading, the deadline, dispatch, error responses.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { classifyMediaType, hasBody, parseBody, parseMediaType, readBody, EMPTY_BODY } from './body.js';
import { describeError, errorBody, HttpError } from './errors.js';
import { answersGet, isExpressLike, type ExpressLike, type HttpFunction, type Servable } from './handler.js';
import type { Logger } from './logger.js';
import type { RuntimeSettings, ServeOptions } from './options.js';
import { writeResult, type HandlerResult } from './reply.js';
import { DeadlineQueue } from './deadlines.js';
import { RequestContext } from './request.js';

/** Counts in-flight requests and knows whether the server is draining. */
export class ServerState {
  draining = false;
  inflight = 0;
  #idleWaiters: (() => void)[] = [];
  /** Called each time a request ends while draining (to close idle sockets). */
  onRequestEndWhileDraining: (() => void) | undefined;

  requestStarted(): void {
    this.inflight++;
  }
  requestEnded(): void {
    this.inflight--;
    if (this.draining) this.onRequestEndWhileDraining?.();
    if (this.inflight === 0 && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
  /** Resolves when no request is in flight. */
  idle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
}

export interface Pipeline {
  listener: RequestListener;
  state: ServerState;
}

type Readiness = ServeOptions['readinessCheck'];

/** Builds the request listener; throws at start-up if a health path shadows a user route. */
export function createPipeline(
  target: Servable,
  settings: RuntimeSettings,
  logger: Logger,
  readinessCheck?: Readiness,
  state: ServerState = new ServerState(),
): Pipeline {
  const express = isExpressLike(target);
  if (express && settings.health) refuseShadowedRoutes(target, settings.health);
  const dispatch = express ? expressDispatcher(target, settings) : plainDispatcher(target, settings);
  const health = settings.health;
  const { logRequests } = settings;
  const deadlines = new DeadlineQueue<RequestContext>(settings.timeoutMs, (ctx) => onDeadline(ctx, settings, logger));

  const listener: RequestListener = (req, res) => {
    const url = req.url;
    if (health && (url === health.readiness || url === health.liveness) && (req.method === 'GET' || req.method === 'HEAD')) {
      answerProbe(res, url === health.readiness, state, readinessCheck);
      return;
    }
    state.requestStarted();
    if (state.draining) res.setHeader('connection', 'close');
    const ctx = new RequestContext(req, res, logger);
    if (logRequests) ctx.startedAt = performance.now();
    deadlines.add(ctx);
    // 'close' comes once per response, whether it was sent or the client left.
    res.on('close', () => {
      deadlines.remove(ctx);
      ctx.markFinished();
      state.requestEnded();
      if (logRequests) logRequest(ctx);
    });
    dispatch(ctx, (error) => sendError(ctx, error, settings, logger));
  };
  return { listener, state };
}

type Dispatcher = (ctx: RequestContext, fail: (error: unknown) => void) => void;

function plainDispatcher(handler: HttpFunction, settings: RuntimeSettings): Dispatcher {
  const invoke = (ctx: RequestContext, fail: (error: unknown) => void): void => {
    let result: HandlerResult | Promise<HandlerResult>;
    try {
      result = handler(ctx, ctx.res);
    } catch (error) {
      fail(error);
      return;
    }
    if (isPromise(result)) result.then((value) => finish(ctx, value), fail);
    else finish(ctx, result);
  };
  return (ctx, fail) => {
    if (!hasBody(ctx.raw)) {
      invoke(ctx, fail);
      return;
    }
    const media = parseMediaType(ctx.raw.headers['content-type']);
    const kind = classifyMediaType(media.type);
    if (kind === 'unsupported') {
      fail(new HttpError(415, `Unsupported Content-Type "${media.type}": send JSON, form data, text or bytes`, { headers: { connection: 'close' } }));
      return;
    }
    readBody(ctx.raw, settings.bodyLimit).then((raw) => {
      ctx.rawBody = raw;
      ctx.body = parseBody(kind, raw, media);
      invoke(ctx, fail);
    }, fail).catch(fail);
  };
}

function finish(ctx: RequestContext, result: HandlerResult): void {
  if (ctx.timedOut || ctx.res.headersSent || ctx.res.writableEnded) return;
  writeResult(ctx.res, result);
}

/** Runtime-parsed fields an express handler finds on `req`. */
interface ExpressRequestFields {
  body?: unknown;
  rawBody?: Buffer;
  /** body-parser skips a request whose body was already read. */
  _body?: boolean;
}

function expressDispatcher(app: ExpressLike, settings: RuntimeSettings): Dispatcher {
  return (ctx, fail) => {
    const req = ctx.raw as IncomingMessage & ExpressRequestFields;
    attachContext(req, ctx);
    const run = (): void =>
      app(req, ctx.res, (error?: unknown) => {
        if (error !== undefined && error !== null && error !== 'route' && error !== 'router') fail(error);
        else if (!ctx.res.headersSent) fail(new HttpError(404, `Cannot ${ctx.method} ${ctx.path}`));
      });
    if (!hasBody(req)) {
      req.rawBody = EMPTY_BODY;
      run();
      return;
    }
    const media = parseMediaType(req.headers['content-type']);
    const kind = classifyMediaType(media.type);
    // Multipart and other types stay unread for the app's own middleware
    // (rawBody is then empty: the bytes are still in the stream).
    if (kind === 'unsupported' || kind === 'raw') {
      req.rawBody = EMPTY_BODY;
      run();
      return;
    }
    readBody(req, settings.bodyLimit).then((raw) => {
      ctx.rawBody = raw;
      req.rawBody = raw;
      req.body = parseBody(kind, raw, media);
      req._body = true;
      run();
    }, fail).catch(fail);
  };
}

/** Makes the request context reachable from express handlers as req.id, req.log, req.signal. */
function attachContext(req: IncomingMessage, ctx: RequestContext): void {
  Object.defineProperties(req, {
    id: { get: () => ctx.id, configurable: true },
    log: { get: () => ctx.log, configurable: true },
    signal: { get: () => ctx.signal, configurable: true },
    trace: { get: () => ctx.trace, configurable: true },
  });
}

function refuseShadowedRoutes(app: ExpressLike, health: { liveness: string; readiness: string }): void {
  for (const [probe, path] of Object.entries(health)) {
    if (answersGet(app, path)) {
      throw new Error(
        `The app declares GET ${path}, which is also the runtime's ${probe} probe. ` +
          `Move the probe (HEALTH_${probe.toUpperCase()}_PATH or the health option) or pass health: false to answer probes yourself.`,
      );
    }
  }
}

function answerProbe(res: ServerResponse, readiness: boolean, state: ServerState, check: Readiness): void {
  const respond = (ok: boolean, status: string): void => {
    const body = `{"status":"${status}"}`;
    res.writeHead(ok ? 200 : 503, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.length,
      'cache-control': 'no-store',
    });
    res.end(body);
  };
  if (!readiness) return respond(true, 'ok');
  if (state.draining) return respond(false, 'draining');
  if (!check) return respond(true, 'ok');
  Promise.resolve()
    .then(check)
    .then(
      (ready) => respond(ready, ready ? 'ok' : 'not ready'),
      () => respond(false, 'not ready'),
    );
}

function onDeadline(ctx: RequestContext, settings: RuntimeSettings, logger: Logger): void {
  ctx.markTimedOut();
  if (ctx.res.headersSent) {
    // Part of the response is out: the only honest signal left is a cut connection.
    logger.warn('request deadline passed mid-response; closing the connection', requestFields(ctx));
    ctx.res.destroy();
    return;
  }
  sendError(ctx, new HttpError(504, `The request took longer than ${settings.timeoutMs} ms`, { expose: true }), settings, logger);
}

export function sendError(ctx: RequestContext, thrown: unknown, settings: RuntimeSettings, logger: Logger): void {
  const description = describeError(thrown, settings.production);
  const { res } = ctx;
  if (description.serverFault) {
    logger.error(`request failed: ${describeForLog(thrown)}`, { ...requestFields(ctx), status: description.status, error: asError(thrown) });
  } else {
    logger.info(`request refused: ${description.message}`, { ...requestFields(ctx), status: description.status });
  }
  if (res.headersSent || res.writableEnded) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  const body = JSON.stringify(errorBody(description, ctx.id));
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  if (description.headers) for (const [name, value] of Object.entries(description.headers)) res.setHeader(name, value);
  res.statusCode = description.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.setHeader('cache-control', 'no-store');
  res.end(body);
}

function requestFields(ctx: RequestContext): Record<string, unknown> {
  const fields: Record<string, unknown> = { requestId: ctx.id, method: ctx.method, path: ctx.path };
  const trace = ctx.trace;
  if (trace) fields.traceId = trace.traceId;
  return fields;
}

function logRequest(ctx: RequestContext): void {
  const latencySeconds = (performance.now() - ctx.startedAt) / 1000;
  ctx.log.info(`${ctx.method} ${ctx.path} ${ctx.res.statusCode}`, {
    // The shape Cloud Logging renders as an HTTP request.
    httpRequest: {
      requestMethod: ctx.method,
      requestUrl: ctx.path,
      status: ctx.res.statusCode,
      latency: `${latencySeconds.toFixed(6)}s`,
      userAgent: ctx.raw.headers['user-agent'],
      remoteIp: ctx.raw.socket.remoteAddress,
    },
  });
}

function describeForLog(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'string') return thrown;
  try {
    return JSON.stringify(thrown);
  } catch {
    return String(thrown);
  }
}

function asError(thrown: unknown): unknown {
  return thrown instanceof Error ? thrown : { thrown: describeForLog(thrown) };
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return value !== null && typeof value === 'object' && typeof (value as Promise<T>).then === 'function';
}
