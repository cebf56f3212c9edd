// Every runtime setting in one place: explicit options win over environment
// variables, which win over defaults chosen for Knative.
import { loadConfig } from './config.js';
import type { LogLevel, Logger } from './logger.js';
import type { SecretRegistry } from './secrets.js';

export interface HealthPaths {
  liveness: string;
  readiness: string;
}

export type ShutdownHook = () => void | Promise<void>;

export interface ServeOptions {
  /** Port to listen on. Env `PORT`; default 8080 (Knative's contract). */
  port?: number;
  /** Interface to bind. Env `HOST`; default all interfaces (`::` and 0.0.0.0), as a container must. */
  host?: string;
  /** Deadline for one request, after which it gets 504. Env `REQUEST_TIMEOUT_SECONDS`; default 300 (Knative's timeoutSeconds). */
  timeoutMs?: number;
  /** How long in-flight requests may take after SIGTERM. Env `SHUTDOWN_GRACE_SECONDS`; default the request timeout, as Knative sets terminationGracePeriodSeconds to timeoutSeconds. */
  shutdownGraceMs?: number;
  /** Largest request body, answered with 413 beyond. Env `BODY_LIMIT_BYTES`; default 1 MiB. */
  bodyLimit?: number;
  /** Probe paths, or false to serve none. Env `HEALTH_LIVENESS_PATH`, `HEALTH_READINESS_PATH`; default knative/func's `/health/liveness` and `/health/readiness`. */
  health?: HealthPaths | false;
  /** Extra readiness condition; the probe answers 503 while it returns false. */
  readinessCheck?: () => boolean | Promise<boolean>;
  /** One log line per request. Env `LOG_REQUESTS`; default off (Knative's proxies already log requests). */
  logRequests?: boolean;
  /** Env `LOG_LEVEL` (debug, info, warn, error, silent); default info. */
  logLevel?: LogLevel;
  /** Hide 5xx messages from clients. Default: `NODE_ENV === 'production'`. */
  production?: boolean;
  /** Names of env vars whose values must never be logged (besides names like *TOKEN*, *SECRET*, *PASSWORD*). Env `SECRET_ENV_VARS`, comma-separated. */
  secretEnv?: readonly string[];
  /** Run after the drain, before exit, in order. */
  onShutdown?: ShutdownHook | readonly ShutdownHook[];
  /** Install SIGTERM/SIGINT and uncaught-error handlers that exit the process. Default true for `serve`. */
  handleSignals?: boolean;
  logger?: Logger;
  secrets?: SecretRegistry;
  env?: NodeJS.ProcessEnv;
}

export interface RuntimeSettings {
  port: number;
  host: string | undefined;
  timeoutMs: number;
  shutdownGraceMs: number;
  bodyLimit: number;
  health: HealthPaths | false;
  logRequests: boolean;
  logLevel: LogLevel;
  production: boolean;
  secretEnv: readonly string[];
  /** Fields that every log line carries: the Knative service, configuration and revision. */
  logBase: Record<string, string>;
}

const ENV_SPEC = {
  PORT: { type: 'integer', min: 0, max: 65535, default: 8080, description: 'the port to listen on' },
  // Unset in a container (all interfaces); the local serving sets 127.0.0.1 so
  // that apps on a laptop are reached only through its ingress.
  HOST: { pattern: /^[\w.:-]+$/, description: 'an address to listen on, e.g. 127.0.0.1' },
  REQUEST_TIMEOUT_SECONDS: { type: 'number', min: 0.001, default: 300 },
  SHUTDOWN_GRACE_SECONDS: { type: 'number', min: 0 },
  BODY_LIMIT_BYTES: { type: 'integer', min: 0, default: 1024 * 1024 },
  HEALTH_LIVENESS_PATH: { pattern: /^\/\S*$/, default: '/health/liveness', description: 'a path starting with /' },
  HEALTH_READINESS_PATH: { pattern: /^\/\S*$/, default: '/health/readiness', description: 'a path starting with /' },
  LOG_REQUESTS: { type: 'boolean' },
  LOG_LEVEL: { type: 'enum', values: ['debug', 'info', 'warn', 'error', 'silent'], default: 'info' },
  NODE_ENV: {},
  SECRET_ENV_VARS: { type: 'list' },
  K_SERVICE: {},
  K_CONFIGURATION: {},
  K_REVISION: {},
} as const;

/** Resolves the settings; throws ConfigError naming the variable when one is malformed. */
export function resolveSettings(options: ServeOptions = {}, env: NodeJS.ProcessEnv = process.env): RuntimeSettings {
  const fromEnv = loadConfig(ENV_SPEC, { env, secrets: false });
  const timeoutMs = options.timeoutMs ?? fromEnv.REQUEST_TIMEOUT_SECONDS * 1000;
  const logBase: Record<string, string> = {};
  if (fromEnv.K_SERVICE) logBase.service = fromEnv.K_SERVICE;
  if (fromEnv.K_CONFIGURATION) logBase.configuration = fromEnv.K_CONFIGURATION;
  if (fromEnv.K_REVISION) logBase.revision = fromEnv.K_REVISION;
  return {
    port: options.port ?? fromEnv.PORT,
    host: options.host ?? fromEnv.HOST,
    timeoutMs,
    shutdownGraceMs:
      options.shutdownGraceMs ??
      (fromEnv.SHUTDOWN_GRACE_SECONDS !== undefined ? fromEnv.SHUTDOWN_GRACE_SECONDS * 1000 : timeoutMs),
    bodyLimit: options.bodyLimit ?? fromEnv.BODY_LIMIT_BYTES,
    health:
      options.health ??
      { liveness: fromEnv.HEALTH_LIVENESS_PATH, readiness: fromEnv.HEALTH_READINESS_PATH },
    logRequests: options.logRequests ?? fromEnv.LOG_REQUESTS,
    logLevel: options.logLevel ?? fromEnv.LOG_LEVEL,
    production: options.production ?? fromEnv.NODE_ENV === 'production',
    secretEnv: [...(options.secretEnv ?? []), ...fromEnv.SECRET_ENV_VARS],
    logBase,
  };
}
