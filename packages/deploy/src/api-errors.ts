// Turns what the API server (or the network) said into a message a user can act
// on. Pure: it reads an ApiException-shaped value (code + JSON Status body) or a
// Node/node-fetch system error, never a client object, so it is tested with
// fixtures shaped like real API server answers.
// The types module only: the status and error paths must not load the YAML parser.
import { SERVING_GROUP } from '@hands-on-knative/knative/types';
import { clusterFailure, DeployError } from './errors.js';
import { qualifiedName, type ResourceRef } from './resources.js';

/** The v1 Status the API server sends with every error. */
export interface Status {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

export interface RequestContext {
  /** e.g. apply, get, list, delete, watch */
  verb: string;
  resource: ResourceRef;
  name?: string;
  namespace?: string;
  /** The API server URL (never contains credentials). */
  server: string;
  /** The kubeconfig context, for 401 hints. */
  context?: string;
  /** Field manager of the request (for conflict messages). */
  fieldManager?: string;
}

/** Our own field managers, and the command that owns what they apply. */
export const FIELD_MANAGERS = {
  apply: 'hands-on-knative',
  traffic: 'hands-on-knative-traffic',
} as const;

const OWNER_HINT: Record<string, string> = {
  [FIELD_MANAGERS.apply]: 'pnpm apply',
  [FIELD_MANAGERS.traffic]: 'pnpm traffic',
  kubectl: 'kubectl apply --server-side',
  'kubectl-client-side-apply': 'kubectl apply',
  'kubectl-edit': 'kubectl edit',
  'kubectl-patch': 'kubectl patch',
  kn: 'kn',
};

export function parseStatus(body: unknown): Status | undefined {
  if (typeof body === 'object' && body !== null) return body as Status;
  if (typeof body !== 'string' || body === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Status) : undefined;
  } catch {
    return undefined;
  }
}

const kindName = (ctx: RequestContext) => `${ctx.resource.kind} ${JSON.stringify(ctx.name ?? '')}`;

/** An HTTP error from the API server. */
export function describeApiFailure(code: number, body: unknown, ctx: RequestContext): DeployError {
  const status = parseStatus(body);
  const message = status?.message ?? `HTTP ${code}`;
  const where = ctx.namespace ? ` in namespace "${ctx.namespace}"` : '';
  switch (code) {
    case 401:
      return clusterFailure(
        `the cluster at ${ctx.server} did not accept the credentials of context "${ctx.context ?? ''}" (401 Unauthorized).\n` +
          'Refresh them (log in again, or for the local serving use the kubeconfig it wrote in its state folder) or pick another context with --context.',
      );
    case 403:
      return clusterFailure(
        `forbidden: ${message}\n` +
          `Your user may not ${ctx.verb} ${qualifiedName(ctx.resource)}${where}: ask a cluster administrator for an RBAC Role granting it, or use another --context.`,
      );
    case 404:
      return notFound(status, message, ctx);
    case 409:
      return conflict(status, message, ctx);
    case 422:
      return invalid(status, message, ctx);
    case 400:
    case 415:
      return clusterFailure(`the cluster refused to ${ctx.verb} ${kindName(ctx)}${where} (${code} ${status?.reason ?? 'BadRequest'}): ${message}`);
    default:
      if (code >= 500) {
        return clusterFailure(`the cluster failed to ${ctx.verb} ${kindName(ctx)}${where} (${code} ${status?.reason ?? 'InternalError'}): ${message}\nTry again; if it persists, look at the API server and Knative controller logs.`);
      }
      return clusterFailure(`the cluster refused to ${ctx.verb} ${kindName(ctx)}${where} (${code}): ${message}`);
  }
}

function notFound(status: Status | undefined, message: string, ctx: RequestContext): DeployError {
  const detailsKind = status?.details?.kind;
  // A missing namespace, unless the Namespace itself was what we asked for.
  const missingNamespace = ctx.resource.kind !== 'Namespace' && (detailsKind === 'namespaces' || /^namespaces? "[^"]*" not found/.test(message));
  if (missingNamespace) {
    const ns = status?.details?.name ?? ctx.namespace ?? '';
    return clusterFailure(
      `namespace "${ns}" does not exist on ${ctx.server}.\nCreate it first (add a Namespace document to the files you apply, or kubectl create namespace ${ns}), or choose another with -n.`,
    );
  }
  // An object that is missing comes back with details.name; a resource type the
  // API does not serve comes back as a bare "the server could not find the requested resource".
  const objectMissing = status?.details?.name !== undefined || / not found$/.test(message);
  if (!objectMissing && ctx.resource.group === SERVING_GROUP) {
    return clusterFailure(
      `Knative Serving is not installed on ${ctx.server}: the API has no ${qualifiedName(ctx.resource)}/${ctx.resource.version}.\n` +
        'Install it (https://knative.dev/docs/install/) or use the local serving (pnpm start), then try again.',
    );
  }
  if (!objectMissing) {
    return clusterFailure(`the cluster at ${ctx.server} does not serve ${qualifiedName(ctx.resource)}/${ctx.resource.version}: ${message}`);
  }
  const where = ctx.namespace ? ` in namespace "${ctx.namespace}"` : '';
  const hint = `List what is there with: pnpm status${ctx.namespace ? ` -n ${ctx.namespace}` : ''}`;
  return new DeployError('cluster', `${kindName(ctx)} not found${where}. ${hint}`, true);
}

/** Managers and fields of an SSA conflict, from the causes or the message text. */
export function conflictsOf(status: Status | undefined): { manager: string; fields: string[] }[] {
  const byManager = new Map<string, string[]>();
  const add = (manager: string, field: string | undefined) => {
    const fields = byManager.get(manager) ?? [];
    if (field && !fields.includes(field)) fields.push(field);
    byManager.set(manager, fields);
  };
  for (const cause of status?.details?.causes ?? []) {
    const m = /conflict with "([^"]+)"/.exec(cause.message ?? '');
    if (m) add(m[1]!, cause.field);
  }
  if (byManager.size === 0) {
    for (const m of (status?.message ?? '').matchAll(/conflict with "([^"]+)"[^:]*:\s*([^\n]+)/g)) {
      for (const field of m[2]!.split(',').map((f) => f.trim())) add(m[1]!, field || undefined);
    }
  }
  return [...byManager].map(([manager, fields]) => ({ manager, fields }));
}

function conflict(status: Status | undefined, message: string, ctx: RequestContext): DeployError {
  const conflicts = conflictsOf(status);
  if (conflicts.length === 0) {
    // An optimistic-lock or AlreadyExists conflict: someone wrote in between.
    return clusterFailure(`conflict while trying to ${ctx.verb} ${kindName(ctx)}: ${message}\nSomeone else changed it at the same time: run the command again.`);
  }
  const lines = conflicts.map(({ manager, fields }) => {
    const owner = OWNER_HINT[manager] ? ` (${OWNER_HINT[manager]})` : '';
    return `  ${fields.join(', ') || '(fields not named)'} managed by "${manager}"${owner}`;
  });
  const ownsTraffic = conflicts.some((c) => c.manager === FIELD_MANAGERS.traffic);
  const advice =
    ctx.verb === 'apply' && ownsTraffic
      ? 'The split was last set with pnpm traffic; pnpm apply does not take it back silently.\n' +
        'Keep that split: remove spec.traffic from the manifest. Or take it back: pnpm apply --force ...'
      : 'Leave those fields out of what you apply, or take them over with --force.';
  return clusterFailure(
    `conflict: ${kindName(ctx)} has fields owned by another field manager, so the cluster refused our apply (field manager "${ctx.fieldManager ?? ''}"):\n${lines.join('\n')}\n${advice}`,
  );
}

function invalid(status: Status | undefined, message: string, ctx: RequestContext): DeployError {
  const causes = status?.details?.causes ?? [];
  if (causes.length === 0) return clusterFailure(`the cluster rejected ${kindName(ctx)}: ${message}`);
  // kubectl prints `The Service "x" is invalid:` then `* field: message` per cause.
  const lines = causes.map((c) => `* ${c.field ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`);
  return clusterFailure(`The ${ctx.resource.kind} ${JSON.stringify(ctx.name ?? '')} is invalid:\n${lines.join('\n')}`);
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** The system error code of a failed request (node-fetch wraps them as FetchError with `code`). */
export function systemCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const e = current as { code?: unknown; errno?: unknown; cause?: unknown };
    if (typeof e.code === 'string') return e.code;
    if (typeof e.errno === 'string') return e.errno;
    current = e.cause;
  }
  return undefined;
}

/** A request that never got an HTTP answer. */
export function describeNetworkFailure(code: string | undefined, server: string): DeployError | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return clusterFailure(`cannot reach the cluster at ${server}: connection refused.\nIs it running? For the local serving, start it with pnpm start; otherwise check the kubeconfig's server and --context.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return clusterFailure(`cannot reach the cluster at ${server}: its host name does not resolve.\nCheck the kubeconfig's server and your network or VPN.`);
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return clusterFailure(`cannot reach the cluster at ${server} (${code}).\nCheck your network or VPN, and that the API server is up.`);
  }
  if (code && TLS_CODES.has(code)) {
    return clusterFailure(
      `cannot talk to the cluster at ${server} over TLS (${code}): its certificate is not the one the kubeconfig trusts.\n` +
        'Use the kubeconfig the cluster handed out (for the local serving: the one in its state folder, rewritten at each start).',
    );
  }
  return undefined;
}

/** Anything a request threw, as a DeployError. ApiException-shaped values carry `code` and `body`. */
export function describeRequestError(error: unknown, ctx: RequestContext): DeployError {
  if (error instanceof DeployError) return error;
  const e = error as { code?: unknown; body?: unknown; statusCode?: unknown };
  if (typeof e?.code === 'number' && e.code >= 400) return describeApiFailure(e.code, e.body, ctx);
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400) return describeApiFailure(e.statusCode, e.body, ctx);
  const network = describeNetworkFailure(systemCodeOf(error), ctx.server);
  if (network) return network;
  const text = error instanceof Error ? error.message : String(error);
  return clusterFailure(`could not ${ctx.verb} ${kindName(ctx)} on ${ctx.server}: ${text}`);
}

