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
  route?: { path?: unknown; methods?: Record<string, boolean> };
  handle?: { stack?: RouteLayer[] };
  name?: string;
}

/**
 * The GET routes an express app or router declares with a literal path, found
 * by walking its router stack. Used to refuse health paths that would shadow them.
 */
export function declaredGetPaths(app: ExpressLike): string[] {
  const holder = app as unknown as { router?: { stack?: RouteLayer[] }; stack?: RouteLayer[] };
  const stack = holder.stack ?? holder.router?.stack ?? [];
  const paths: string[] = [];
  const walk = (layers: RouteLayer[]): void => {
    for (const layer of layers) {
      const route = layer.route;
      if (route && typeof route.path === 'string' && (route.methods?.get || route.methods?._all)) {
        paths.push(route.path);
      }
      if (layer.name === 'router' && layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(stack);
  return paths;
}
