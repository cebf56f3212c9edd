// Flags of pnpm apply, traffic, status, delete and ship to typed options, in one
// place. Light on purpose (node:util only): `--help` and bad flags are answered
// without loading the Kubernetes client.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ClusterFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  /** The local serving's state folder: its kubeconfig (a fallback) and images.json. */
  stateDir: string;
}

export interface WaitFlags {
  wait: boolean;
  timeoutSeconds: number;
}

export interface ApplyOptions extends ClusterFlags, WaitFlags {
  files: string[];
  dryRun: boolean;
  output?: 'yaml' | 'json';
  registry?: string;
  /** --image app=ref */
  images: Record<string, string>;
  force: boolean;
}

export interface TrafficOptions extends ClusterFlags, WaitFlags {
  service: string;
  traffic: string[];
  tag: string[];
  untag: string[];
}

export interface StatusOptions extends ClusterFlags {
  service?: string;
  output?: 'json' | 'yaml';
}

export interface DeleteOptions extends ClusterFlags, WaitFlags {
  services: string[];
}

export interface ShipOptions extends ClusterFlags, WaitFlags {
  app: string;
  repo?: string;
  /** --base: the base image for the build (as pnpm image --base). */
  base?: string;
  file?: string;
  insecure: boolean;
  force: boolean;
}

export type Parsed<T> = { help: true } | { help: false; options: T };

const CLUSTER_FLAGS = {
  namespace: { type: 'string', short: 'n' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  state: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const WAIT_FLAGS = {
  'no-wait': { type: 'boolean' },
  wait: { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

function parse<O extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify a positional.*$/s, '')} (see pnpm ${command} --help)`);
  }
}

function clusterFlags(values: Record<string, unknown>, defaults: { stateDir: string }): ClusterFlags {
  const flags: ClusterFlags = { stateDir: (values.state as string | undefined) ?? defaults.stateDir };
  for (const key of ['namespace', 'context', 'kubeconfig'] as const) {
    const value = values[key];
    if (typeof value === 'string') {
      if (value === '') throw new UsageError(`--${key} needs a value`);
      flags[key] = value;
    }
  }
  if (flags.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(flags.namespace)) {
    throw new UsageError(`-n ${flags.namespace}: a namespace is a DNS-1123 label (lower case letters, digits, '-')`);
  }
  return flags;
}

function waitFlags(values: Record<string, unknown>, waitByDefault: boolean): WaitFlags {
  const text = values.timeout as string | undefined;
  let timeoutSeconds = 600;
  if (text !== undefined) {
    const seconds = /^\d+s?$/.test(text) ? Number(text.replace(/s$/, '')) : NaN;
    if (!Number.isInteger(seconds) || seconds < 1) throw new UsageError(`--timeout ${text}: expected a whole number of seconds >= 1, e.g. --timeout 600`);
    timeoutSeconds = seconds;
  }
  const wait = values['no-wait'] === true ? false : values.wait === true ? true : waitByDefault;
  return { wait, timeoutSeconds };
}

const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

function serviceName(name: string, command: string): string {
  if (!DNS_LABEL.test(name)) throw new UsageError(`"${name}" is not a service name (a DNS-1035 label: lower case letters, digits, '-'; see pnpm ${command} --help)`);
  return name;
}

export function parseApplyArgs(argv: readonly string[], defaults: { stateDir: string }): Parsed<ApplyOptions> {
  const { values, positionals } = parse('apply', argv, {
    ...CLUSTER_FLAGS,
    ...WAIT_FLAGS,
    filename: { type: 'string', short: 'f', multiple: true },
    'dry-run': { type: 'boolean' },
    output: { type: 'string', short: 'o' },
    registry: { type: 'string' },
    image: { type: 'string', multiple: true },
    force: { type: 'boolean' },
  });
  if (values.help) return { help: true };
  const files = [...(values.filename ?? []), ...positionals];
  if (files.length === 0) throw new UsageError('name a file or folder to apply, e.g. pnpm apply manifests/helloworld/service-v1.yaml (see pnpm apply --help)');
  const output = values.output;
  if (output !== undefined && output !== 'yaml' && output !== 'json') throw new UsageError(`-o ${output}: expected yaml or json`);
  if (output !== undefined && !values['dry-run']) throw new UsageError('-o goes with --dry-run (it prints the objects that would be applied)');
  const images: Record<string, string> = {};
  for (const value of values.image ?? []) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1 || /\s/.test(value)) {
      throw new UsageError(`--image ${value}: expected <app>=<image reference>, e.g. --image helloworld=ghcr.io/me/helloworld@sha256:...`);
    }
    images[value.slice(0, eq)] = value.slice(eq + 1);
  }
  if (values.registry !== undefined && !/^[^\s/]+(\/[^\s/]+)*\/*$/.test(values.registry)) {
    throw new UsageError(`--registry ${values.registry}: expected <registry>/<namespace>, e.g. ghcr.io/me or 127.0.0.1:5000/demo`);
  }
  const options: ApplyOptions = {
    ...clusterFlags(values, defaults),
    ...waitFlags(values, true),
    files,
    dryRun: values['dry-run'] === true,
    images,
    force: values.force === true,
  };
  if (output) options.output = output;
  if (values.registry) options.registry = values.registry.replace(/\/+$/, '');
  return { help: false, options };
}

export function parseTrafficArgs(argv: readonly string[], defaults: { stateDir: string }): Parsed<TrafficOptions> {
  const { values, positionals } = parse('traffic', argv, {
    ...CLUSTER_FLAGS,
    ...WAIT_FLAGS,
    traffic: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    untag: { type: 'string', multiple: true },
  });
  if (values.help) return { help: true };
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'name the service, e.g. pnpm traffic helloworld --traffic current=80 --traffic candidate=20' : `one service at a time, got ${positionals.join(', ')}`);
  }
  const traffic = values.traffic ?? [];
  const tag = values.tag ?? [];
  const untag = values.untag ?? [];
  if (traffic.length + tag.length + untag.length === 0) {
    throw new UsageError('nothing to change: give --traffic, --tag or --untag (see pnpm traffic --help); pnpm status shows the current split');
  }
  return {
    help: false,
    options: { ...clusterFlags(values, defaults), ...waitFlags(values, true), service: serviceName(positionals[0]!, 'traffic'), traffic, tag, untag },
  };
}

export function parseStatusArgs(argv: readonly string[], defaults: { stateDir: string }): Parsed<StatusOptions> {
  const { values, positionals } = parse('status', argv, { ...CLUSTER_FLAGS, output: { type: 'string', short: 'o' } });
  if (values.help) return { help: true };
  if (positionals.length > 1) throw new UsageError(`one service at a time (or none for all), got ${positionals.join(', ')}`);
  const output = values.output;
  if (output !== undefined && output !== 'yaml' && output !== 'json') throw new UsageError(`-o ${output}: expected json or yaml`);
  const options: StatusOptions = clusterFlags(values, defaults);
  if (positionals[0] !== undefined) options.service = serviceName(positionals[0], 'status');
  if (output) options.output = output;
  return { help: false, options };
}

export function parseDeleteArgs(argv: readonly string[], defaults: { stateDir: string }): Parsed<DeleteOptions> {
  const { values, positionals } = parse('delete', argv, { ...CLUSTER_FLAGS, ...WAIT_FLAGS });
  if (values.help) return { help: true };
  if (positionals.length === 0) throw new UsageError('name the service(s) to delete, e.g. pnpm delete helloworld');
  return {
    help: false,
    options: { ...clusterFlags(values, defaults), ...waitFlags(values, false), services: positionals.map((p) => serviceName(p, 'delete')) },
  };
}

export function parseShipArgs(argv: readonly string[], defaults: { stateDir: string }): Parsed<ShipOptions> {
  const { values, positionals } = parse('ship', argv, {
    ...CLUSTER_FLAGS,
    ...WAIT_FLAGS,
    repo: { type: 'string' },
    base: { type: 'string' },
    filename: { type: 'string', short: 'f' },
    insecure: { type: 'boolean' },
    force: { type: 'boolean' },
  });
  if (values.help) return { help: true };
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the app to ship, e.g. pnpm ship helloworld --repo ghcr.io/me' : `one app at a time, got ${positionals.join(', ')}`);
  const app = positionals[0]!;
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(app)) throw new UsageError(`"${app}" is not an app name (a folder of apps/)`);
  const options: ShipOptions = { ...clusterFlags(values, defaults), ...waitFlags(values, true), app, insecure: values.insecure === true, force: values.force === true };
  if (values.repo) options.repo = values.repo.replace(/\/+$/, '');
  if (values.base) {
    if (!values.repo) throw new UsageError('--base goes with --repo (against the local serving nothing is built into an image)');
    options.base = values.base;
  }
  if (values.filename) options.file = values.filename;
  return { help: false, options };
}
