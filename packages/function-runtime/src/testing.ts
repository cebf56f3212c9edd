// Serve a handler to supertest without listening on a port, and read what it logged.
import type { RequestListener } from 'node:http';
import type { ExpressLike, HttpFunction, Servable } from './handler.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { resolveSettings, type ServeOptions } from './options.js';
import { SecretRegistry } from './secrets.js';
import { createPipeline, type ServerState } from './server.js';

export interface LogRecord {
  severity: string;
  message: string;
  time: string;
  [field: string]: unknown;
}

export interface TestServer {
  /** Pass to supertest: `request(t.listener).get('/')`. */
  listener: RequestListener;
  /** Every line logged so far, parsed. */
  logs: LogRecord[];
  /** The raw lines, exactly as they would reach stdout. */
  lines: string[];
  logger: Logger;
  state: ServerState;
}

export interface TestServerOptions extends Omit<ServeOptions, 'logger' | 'handleSignals'> {
  /** Environment the runtime reads its settings from; empty by default, so the host's never leaks in. */
  env?: NodeJS.ProcessEnv;
  logLevel?: LogLevel;
}

export function createTestServer(handler: HttpFunction, options?: TestServerOptions): TestServer;
export function createTestServer(app: ExpressLike, options?: TestServerOptions): TestServer;
export function createTestServer(target: Servable, options: TestServerOptions = {}): TestServer {
  const env = options.env ?? {};
  const settings = resolveSettings({ logLevel: 'debug', ...options }, env);
  const secrets = options.secrets ?? new SecretRegistry();
  secrets.addFromEnv(env, settings.secretEnv);
  const lines: string[] = [];
  const logs: LogRecord[] = [];
  const logger = createLogger({
    level: settings.logLevel,
    base: settings.logBase,
    secrets,
    sink: (line) => {
      lines.push(line);
      logs.push(JSON.parse(line) as LogRecord);
    },
  });
  const { listener, state } = createPipeline(target, settings, logger, options.readinessCheck);
  return { listener, logs, lines, logger, state };
}
