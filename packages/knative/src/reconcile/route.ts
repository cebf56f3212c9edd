// The Route reconciler's pure parts: resolve spec.traffic to ready revisions
// (knative/serving pkg/reconciler/route/traffic/traffic.go, errors.go), status.traffic with
// tag URLs, and the conditions of pkg/apis/serving/v1/route_lifecycle.go.
import { CONDITION_SETS, ConditionManager, READY, RouteConditions, getCondition } from '../conditions.js';
import { DEFAULT_DOMAIN, CLUSTER_LOCAL_DOMAIN, clusterLocalUrl, httpUrl, serviceHost, tagHost } from '../naming.js';
import { Labels, type Configuration, type Revision, type Route, type RouteStatus, type TrafficTarget } from '../types.js';
import { isRevisionReady } from './configuration.js';

export interface RouteContext {
  configurations: readonly Configuration[];
  revisions: readonly Revision[];
  /** config-domain; the local serving uses "localhost". */
  domain?: string;
  clusterDomain?: string;
  /** A port for the URLs in status when the ingress is not on :80 (the local serving's :8080). */
  urlPort?: number;
  /** Whether the ingress has been programmed with this route's traffic (IngressReady). */
  ingressReady?: boolean;
  now: string;
}

/** One host of the route and how its requests split between revisions. */
export interface RouteHost {
  host: string;
  /** "" for the route's main host, else the tag. */
  tag: string;
  targets: { revision: string; percent: number }[];
}

export interface RouteReconcileResult {
  status: RouteStatus;
  /** The hosts to program; undefined when a target is not routable (keep what is programmed). */
  hosts?: RouteHost[];
}

type TargetError =
  | { kind: 'missing'; what: 'Configuration' | 'Revision'; name: string }
  | { kind: 'unreadyConfiguration'; name: string; failed: boolean }
  | { kind: 'unreadyRevision'; name: string; failed: boolean };

const isFailure = (e: TargetError) => e.kind === 'missing' || e.failed;

function markBadTarget(cm: ConditionManager, e: TargetError): void {
  const type = RouteConditions.allTrafficAssigned;
  const q = JSON.stringify(e.name);
  switch (e.kind) {
    case 'missing':
      cm.markFalse(type, `${e.what}Missing`, `${e.what} ${q} referenced in traffic not found.`);
      return;
    case 'unreadyConfiguration':
      if (e.failed) cm.markFalse(type, 'RevisionMissing', `Configuration ${q} does not have any ready Revision.`);
      else cm.markUnknown(type, 'RevisionMissing', `Configuration ${q} is waiting for a Revision to become ready.`);
      return;
    case 'unreadyRevision':
      if (e.failed) cm.markFalse(type, 'RevisionMissing', `Revision ${q} failed to become ready.`);
      else cm.markUnknown(type, 'RevisionMissing', `Revision ${q} is not yet ready.`);
  }
}

interface Flattened {
  tag: string;
  revisionName: string;
  latestRevision: boolean;
  percent: number | undefined;
}

/** BuildTrafficConfiguration: flatten to revisions, or the first (worst) target error. */
export function resolveTraffic(
  traffic: readonly TrafficTarget[],
  configurations: readonly Configuration[],
  revisions: readonly Revision[],
): { targets: Flattened[] } | { error: TargetError } {
  const targets: Flattened[] = [];
  let deferred: TargetError | undefined;
  const fail = (e: TargetError) => {
    if (!deferred || isFailure(e)) deferred = e;
  };
  const configNamed = (n: string) => configurations.find((c) => c.metadata.name === n);
  const revisionNamed = (n: string) => revisions.find((r) => r.metadata.name === n);
  for (const tt of traffic) {
    let revision: Revision | undefined;
    if (tt.revisionName) {
      revision = revisionNamed(tt.revisionName);
      if (!revision) {
        fail({ kind: 'missing', what: 'Revision', name: tt.revisionName });
        continue;
      }
      if (!isRevisionReady(revision)) {
        const failed = getCondition(revision.status?.conditions, READY)?.status === 'False';
        fail({ kind: 'unreadyRevision', name: revision.metadata.name, failed });
        continue;
      }
      const configName = revision.metadata.labels?.[Labels.configuration];
      if (configName && !configNamed(configName)) {
        fail({ kind: 'missing', what: 'Configuration', name: configName });
        continue;
      }
    } else if (tt.configurationName) {
      const config = configNamed(tt.configurationName);
      if (!config) {
        fail({ kind: 'missing', what: 'Configuration', name: tt.configurationName });
        continue;
      }
      // A latestRevision target follows the latest *ready* revision, never a failing newer one.
      const lrr = config.status?.latestReadyRevisionName;
      if (!lrr) {
        const failed = getCondition(config.status?.conditions, READY)?.status === 'False';
        fail({ kind: 'unreadyConfiguration', name: config.metadata.name, failed });
        continue;
      }
      revision = revisionNamed(lrr);
      if (!revision) {
        fail({ kind: 'missing', what: 'Revision', name: lrr });
        continue;
      }
    } else {
      continue;
    }
    const flat: Flattened = {
      tag: tt.tag ?? '',
      revisionName: revision.metadata.name,
      latestRevision: tt.latestRevision ?? !tt.revisionName,
      percent: tt.percent,
    };
    // mergeIfNecessary: the same tag and revision add up.
    const same = targets.find((t) => t.tag === flat.tag && t.revisionName === flat.revisionName && t.latestRevision === flat.latestRevision);
    if (same) same.percent = (same.percent ?? 0) + (flat.percent ?? 0);
    else targets.push(flat);
  }
  return deferred ? { error: deferred } : { targets };
}

/** consolidate: one entry per revision; a single revision gets all of the host's traffic. */
function consolidate(targets: readonly Flattened[]): { revision: string; percent: number }[] {
  const byName = new Map<string, number>();
  for (const t of targets) byName.set(t.revisionName, (byName.get(t.revisionName) ?? 0) + (t.percent ?? 0));
  const out = [...byName].map(([revision, percent]) => ({ revision, percent }));
  if (out.length === 1) out[0]!.percent = 100;
  return out.filter((t) => t.percent > 0);
}

/** ReconcileKind for a Route: status (url, address, traffic, conditions) and the hosts to program. */
export function reconcileRoute(route: Route, ctx: RouteContext): RouteReconcileResult {
  const previous = route.status ?? {};
  const status: RouteStatus = { ...structuredClone(previous) };
  const name = route.metadata.name;
  const namespace = route.metadata.namespace ?? 'default';
  const domain = ctx.domain ?? DEFAULT_DOMAIN;
  const generation = route.metadata.generation ?? 0;
  const cm = new ConditionManager(previous.conditions, CONDITION_SETS.Route, ctx.now).initialize();
  if (previous.observedGeneration !== generation) {
    cm.markUnknown(READY, 'NewObservedGenFailure', 'unsuccessfully observed a new generation');
  }
  const url = (host: string) => httpUrl(ctx.urlPort && ctx.urlPort !== 80 ? `${host}:${ctx.urlPort}` : host);
  status.url = url(serviceHost(name, namespace, domain));
  status.address = { url: clusterLocalUrl(name, namespace, ctx.clusterDomain ?? CLUSTER_LOCAL_DOMAIN) };
  // No TLS locally: MarkTLSNotEnabled(ExternalDomainTLSNotEnabledMessage).
  cm.markTrue(RouteConditions.certificateProvisioned, 'TLSNotEnabled', 'external-domain-tls is not enabled');

  const resolved = resolveTraffic(route.spec?.traffic ?? [], ctx.configurations, ctx.revisions);
  let hosts: RouteHost[] | undefined;
  if ('error' in resolved) {
    // Traffic targets aren't routable: keep the programmed traffic and say why.
    markBadTarget(cm, resolved.error);
  } else {
    status.traffic = resolved.targets.map((t) => {
      const out: TrafficTarget = {};
      if (t.tag) out.tag = t.tag;
      out.revisionName = t.revisionName;
      out.latestRevision = t.latestRevision;
      if (t.percent !== undefined) out.percent = t.percent;
      if (t.tag) out.url = url(tagHost(t.tag, name, namespace, domain));
      return out;
    });
    cm.markTrue(RouteConditions.allTrafficAssigned);
    hosts = [{ host: serviceHost(name, namespace, domain), tag: '', targets: consolidate(resolved.targets) }];
    const tags = [...new Set(resolved.targets.filter((t) => t.tag).map((t) => t.tag))];
    for (const tag of tags) {
      hosts.push({
        host: tagHost(tag, name, namespace, domain),
        tag,
        targets: consolidate(resolved.targets.filter((t) => t.tag === tag)),
      });
    }
  }
  if (ctx.ingressReady) cm.markTrue(RouteConditions.ingressReady);
  else cm.markUnknown(RouteConditions.ingressReady, 'IngressNotConfigured', 'Ingress has not yet been reconciled.');
  status.conditions = cm.conditions;
  status.observedGeneration = generation;
  return hosts ? { status, hosts } : { status };
}
