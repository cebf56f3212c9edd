// Structured JSON logs on stdout, one object per line, with the `severity` field
// that Cloud Logging and Knative's log collectors (fluent-bit, Vector) read.
import { redactValues, redactingReplacer } from './redact.js';
import { SecretRegistry } from './secrets.js';

export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields | Error): void;
  critical(message: string, fields?: LogFields | Error): void;
  /** A logger whose every line also carries `fields`. */
  child(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;

export interface LoggerOptions {
  level?: LogLevel;
  /** Fields on every line (service, revision, ...). */
  base?: LogFields;
  /** Values that are replaced by [REDACTED] wherever they appear; read at each write. */
  secrets?: SecretRegistry | readonly string[];
  /** Where lines go; stdout by default. */
  sink?: LogSink;
  /** Clock, for tests. */
  now?: () => Date;
}

const RANK: Record<Severity, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 };
const THRESHOLD: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function parseLogLevel(value: string | undefined): LogLevel | undefined {
  if (value === undefined || value === '') return undefined;
  const lower = value.toLowerCase();
  if (lower === 'warning') return 'warn';
  return lower in THRESHOLD ? (lower as LogLevel) : undefined;
}

const stdoutSink: LogSink = (line) => {
  process.stdout.write(line + '\n');
};

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = THRESHOLD[options.level ?? 'info'];
  const registry = options.secrets;
  const secretsNow = (): readonly string[] =>
    registry === undefined ? [] : registry instanceof SecretRegistry ? registry.values : registry;
  const sink = options.sink ?? stdoutSink;
  const now = options.now ?? (() => new Date());

  function make(bound: LogFields): Logger {
    const write = (severity: Severity, message: string, fields?: LogFields | Error): void => {
      if (RANK[severity] < threshold) return;
      const extra = fields instanceof Error ? { error: fields } : fields;
      const record = { severity, time: now().toISOString(), message, ...bound, ...extra };
      let line: string;
      try {
        line = JSON.stringify(record, redactingReplacer);
      } catch {
        // Circular or otherwise unserialisable fields must not lose the message.
        line = JSON.stringify({ severity, time: record.time, message, ...bound }, redactingReplacer);
      }
      const secrets = secretsNow();
      sink(secrets.length === 0 ? line : redactValues(line, secrets));
    };
    return {
      debug: (message, fields) => write('DEBUG', message, fields),
      info: (message, fields) => write('INFO', message, fields),
      warn: (message, fields) => write('WARNING', message, fields),
      error: (message, fields) => write('ERROR', message, fields),
      critical: (message, fields) => write('CRITICAL', message, fields),
      child: (fields) => make({ ...bound, ...fields }),
    };
  }
  return make(options.base ?? {});
}
