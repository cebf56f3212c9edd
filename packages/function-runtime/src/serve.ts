// `serve` and `run`: listen on PORT, log as JSON, drain on SIGTERM, exit.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from './config.js';
import type { ExpressLike, HttpFunction, Servable } from './handler.js';
import { createLogger, type Logger } from './logger.js';
import { resolveSettings, type RuntimeSettings, type ServeOptions, type ShutdownHook } from './options.js';
import { processSecrets } from './secrets.js';
import { createPipeline } from './server.js';
import { drain, type DrainResult } from './shutdown.js';

export interface RunningServer {
  server: Server;
  port: number;
  /** http://127.0.0.1:<port>, for local use and tests. */
  url: string;
  logger: Logger;
  settings: RuntimeSettings;
  /** Drains as on SIGTERM, without exiting the process. */
  close(): Promise<DrainResult>;
}

/** Serves a handler or an express app. See `run` to build it once configuration is loaded. */
export function serve(handler: HttpFunction, options?: ServeOptions): Promise<RunningServer>;
export function serve(app: ExpressLike, options?: ServeOptions): Promise<RunningServer>;
export function serve(target: Servable, options: ServeOptions = {}): Promise<RunningServer> {
  return run(() => target, options);
}

/**
 * Calls `create` (where configuration is read), then serves what it returns.
 * With signal handling on (the default), a ConfigError or any start-up failure
 * is one log line and exit code 1.
 */
export async function run(
  create: () => Servable | Promise<Servable>,
  options: ServeOptions = {},
): Promise<RunningServer> {
  const handleSignals = options.handleSignals ?? true;
  const env = options.env ?? process.env;
  const secrets = options.secrets ?? processSecrets;
  let logger = options.logger ?? createLogger({ secrets });
  try {
    const settings = resolveSettings(options, env);
    secrets.addFromEnv(env, settings.secretEnv);
    logger = options.logger ?? createLogger({ level: settings.logLevel, base: settings.logBase, secrets });
    const target = await create();
    const { listener, state } = createPipeline(target, settings, logger, options.readinessCheck);
    const server = createServer({ keepAliveTimeout: KEEP_ALIVE_MS }, listener);
    const port = await listen(server, settings);
    const hooks = toList(options.onShutdown);
    let closing: Promise<DrainResult> | undefined;
    const close = (): Promise<DrainResult> =>
      (closing ??= drain(server, state, settings.shutdownGraceMs, hooks, logger));
    if (handleSignals) installProcessHandlers(close, logger);
    const health = settings.health ? ` (probes: ${settings.health.liveness}, ${settings.health.readiness})` : '';
    logger.info(`listening on port ${port}${health}`, { port });
    return { server, port, url: `http://127.0.0.1:${port}`, logger, settings, close };
  } catch (error) {
    if (!handleSignals) throw error;
    if (error instanceof ConfigError) logger.critical(error.message, { variable: error.variable });
    else logger.critical(`start-up failed: ${error instanceof Error ? error.message : String(error)}`, asFields(error));
    process.exit(1);
  }
}

/**
 * Longer than the idle timeout of the proxies in front (Knative's queue-proxy,
 * load balancers at 60 s), so the proxy, not us, closes an idle connection and
 * never sends a request on a socket we are closing.
 */
const KEEP_ALIVE_MS = 65_000;

function listen(server: Server, settings: RuntimeSettings): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const onListening = (): void => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    };
    // Without a host Node binds every interface, IPv6 and IPv4 (or IPv4 alone on
    // a host without IPv6), as the runtime contract asks, and skips a DNS lookup.
    if (settings.host === undefined) server.listen(settings.port, onListening);
    else server.listen(settings.port, settings.host, onListening);
  });
}

function installProcessHandlers(close: () => Promise<DrainResult>, logger: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(130);
    }
    signalled = true;
    logger.info(`${signal} received`);
    close().then(
      ({ abandoned, failedHooks }) => {
        const code = abandoned > 0 || failedHooks > 0 ? 1 : 0;
        logger.info(`shutdown complete, exit ${code}`);
        process.exit(code);
      },
      (error: unknown) => {
        logger.critical('shutdown failed', asFields(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const crash = (error: unknown): void => {
    logger.critical(`uncaught error, exiting: ${error instanceof Error ? error.message : String(error)}`, asFields(error));
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

function asFields(error: unknown): Error | Record<string, unknown> {
  return error instanceof Error ? error : { error: String(error) };
}

function toList(hooks: ServeOptions['onShutdown']): readonly ShutdownHook[] {
  if (hooks === undefined) return [];
  return typeof hooks === 'function' ? [hooks] : hooks;
}
