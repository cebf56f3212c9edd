// Typed, validated configuration from environment variables. A bad or missing
// variable becomes one ConfigError naming it; `serve`/`run` print that one line
// and exit 1 instead of a stack trace.
import { processSecrets, type SecretRegistry } from './secrets.js';

interface BaseSpec {
  /** Shown in the error when the variable is missing or malformed. */
  description?: string;
  /** Never logged: its value is redacted from every log line. */
  secret?: boolean;
  /** Start-up fails when the variable is unset or empty (and has no default). */
  required?: boolean;
}

export interface StringSpec extends BaseSpec {
  type?: 'string';
  default?: string;
  /** A regular expression the value must match. */
  pattern?: RegExp;
}
export interface IntegerSpec extends BaseSpec {
  type: 'integer';
  default?: number;
  min?: number;
  max?: number;
}
export interface NumberSpec extends BaseSpec {
  type: 'number';
  default?: number;
  min?: number;
  max?: number;
}
export interface BooleanSpec extends BaseSpec {
  type: 'boolean';
  default?: boolean;
}
export interface UrlSpec extends BaseSpec {
  type: 'url';
  default?: string;
  /** Allowed protocols, e.g. ['https:']; any http(s) URL by default. */
  protocols?: readonly string[];
}
export interface EnumSpec<T extends string = string> extends BaseSpec {
  type: 'enum';
  values: readonly T[];
  default?: T;
}
export interface ListSpec extends BaseSpec {
  type: 'list';
  default?: readonly string[];
}

export type VarSpec = StringSpec | IntegerSpec | NumberSpec | BooleanSpec | UrlSpec | EnumSpec | ListSpec;
export type ConfigSpec = Record<string, VarSpec>;

type ValueOf<S extends VarSpec> = S extends IntegerSpec | NumberSpec
  ? number
  : S extends BooleanSpec
    ? boolean
    : S extends EnumSpec<infer T>
      ? T
      : S extends ListSpec
        ? readonly string[]
        : string;

type IsPresent<S extends VarSpec> = S extends { required: true }
  ? true
  : S extends { default: unknown }
    ? true
    : S extends BooleanSpec | ListSpec
      ? true
      : false;

/** The typed configuration object a spec describes. */
export type Config<S extends ConfigSpec> = {
  readonly [K in keyof S]: IsPresent<S[K]> extends true ? ValueOf<S[K]> : ValueOf<S[K]> | undefined;
};

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, problem: string, description?: string) {
    super(`Configuration error: ${variable} ${problem}${description ? ` (${description})` : ''}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

function parseValue(name: string, spec: VarSpec, raw: string): unknown {
  const fail = (problem: string): never => {
    throw new ConfigError(name, problem, spec.description);
  };
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(n)) fail(`must be a number, got "${raw}"`);
      if (spec.type === 'integer' && !Number.isInteger(n)) fail(`must be a whole number, got "${raw}"`);
      if (spec.min !== undefined && n < spec.min) fail(`must be at least ${spec.min}, got ${n}`);
      if (spec.max !== undefined && n > spec.max) fail(`must be at most ${spec.max}, got ${n}`);
      return n;
    }
    case 'boolean': {
      const lower = raw.trim().toLowerCase();
      if (TRUE.has(lower)) return true;
      if (FALSE.has(lower)) return false;
      return fail(`must be true or false, got "${raw}"`);
    }
    case 'url': {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return fail(`must be an absolute URL, got "${raw}"`);
      }
      const allowed = spec.protocols ?? ['http:', 'https:'];
      if (!allowed.includes(url.protocol)) fail(`must use ${allowed.join(' or ')}, got "${url.protocol}"`);
      return raw;
    }
    case 'enum':
      if (!spec.values.includes(raw)) fail(`must be one of ${spec.values.join(', ')}, got "${raw}"`);
      return raw;
    case 'list':
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    default:
      if (spec.pattern && !spec.pattern.test(raw)) fail(`does not match ${String(spec.pattern)}`);
      return raw;
  }
}

function defaultFor(spec: VarSpec): unknown {
  if (spec.default !== undefined) return spec.default;
  if (spec.type === 'boolean') return false;
  if (spec.type === 'list') return [];
  return undefined;
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Where secret values are registered for redaction: the process-wide list by default, false for none. */
  secrets?: SecretRegistry | false;
}

/**
 * Reads and validates the variables of `spec` from the environment.
 * An empty value counts as unset. Secret variables are registered for redaction.
 */
export function loadConfig<const S extends ConfigSpec>(spec: S, options: LoadConfigOptions = {}): Config<S> {
  const env = options.env ?? process.env;
  const secrets = options.secrets ?? processSecrets;
  const out: Record<string, unknown> = {};
  const secretNames: string[] = [];
  for (const [name, varSpec] of Object.entries(spec)) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      const fallback = defaultFor(varSpec);
      if (fallback === undefined && varSpec.required) {
        throw new ConfigError(name, 'is required but not set', varSpec.description);
      }
      out[name] = fallback;
      continue;
    }
    out[name] = parseValue(name, varSpec, raw);
    if (varSpec.secret) secretNames.push(name);
  }
  if (secrets) secrets.addFromEnv(env, secretNames);
  return Object.freeze(out) as Config<S>;
}
