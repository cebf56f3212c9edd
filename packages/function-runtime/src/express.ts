// Types for express apps served by the runtime: import this module once
// (`import '@hands-on-knative/function-runtime/express'`) and `req.rawBody`,
// `req.log`, `req.id`, `req.signal` and `req.trace` are typed in your handlers.
import type { Logger } from './logger.js';
import type { TraceContext } from './trace.js';

export interface RuntimeRequestFields {
  /** The exact bytes of the body (empty when there was none, or for types left to your middleware). */
  rawBody: Buffer;
  id: string;
  log: Logger;
  signal: AbortSignal;
  trace: TraceContext | undefined;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // Express's own Request type merges this global interface.
    interface Request extends RuntimeRequestFields {}
  }
}
