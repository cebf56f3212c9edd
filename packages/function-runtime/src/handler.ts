// The two shapes of user code the runtime serves.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionRequest } from './request.js';
import type { HandlerResult } from './reply.js';

/**
 * A plain handler: no framework, testable by calling it. Return the response
 * (see `HandlerResult`) or write to `res` yourself for streaming.
 */
export type HttpFunction = (
  req: FunctionRequest,
  res: ServerResponse,
) => HandlerResult | Promise<HandlerResult>;

/** What express 5 apps and routers look like to the runtime (no import of express needed). */
export interface ExpressLike {
  (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void;
  use: (...args: never[]) => unknown;
}

export type Servable = HttpFunction | ExpressLike;

export function isExpressLike(target: Servable): target is ExpressLike {
  return typeof (target as Partial<ExpressLike>).use === 'function';
}

interface RouteLayer {
  route?: { methods?: Record<string, boolean> };
  handle?: { stack?: RouteLayer[] };
  /** The part of the path the layer matched (router 1 sets it in match()). */
  path?: string;
  /** Router 2 (express 5) returns the match, with the matched part as `path`; router 1 a boolean. */
  match?: (path: string) => boolean | { path?: string } | null | undefined;
}

/**
 * Whether an express app or router would answer GET `path` itself, found by
 * matching its router stack the way express does (mount paths of nested
 * routers included). Used to refuse probe paths that would shadow a route.
 */
export function answersGet(app: ExpressLike, path: string): boolean {
  const holder = app as unknown as { router?: { stack?: RouteLayer[] }; stack?: RouteLayer[] };
  return walk(holder.stack ?? holder.router?.stack ?? [], path);
}

function walk(layers: RouteLayer[], path: string): boolean {
  for (const layer of layers) {
    const matched = typeof layer.match === 'function' ? layer.match(path) : undefined;
    if (!matched) continue;
    if (layer.route) {
      if (layer.route.methods?.get || layer.route.methods?._all) return true;
      continue;
    }
    const inner = layer.handle?.stack;
    if (inner) {
      const prefix = (typeof matched === 'object' ? matched.path : layer.path) ?? '';
      const rest = path.slice(prefix.length);
      if (walk(inner, rest.startsWith('/') ? rest : `/${rest}`)) return true;
    }
  }
  return false;
}
