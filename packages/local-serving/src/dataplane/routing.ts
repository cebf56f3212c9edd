// Host routing, like Knative's ingress: `<svc>.<ns>.localhost` and
// `<tag>-<svc>.<ns>.localhost`, each with a weighted split across revisions. Pure.
import type { IngressRoute, TrafficSplitTarget } from '../contracts.js';

/** `Helloworld.Default.localhost:8080` -> `helloworld.default.localhost`; `[::1]:8080` -> `::1`. */
export function normalizeHost(hostHeader: string | undefined): string {
  let host = (hostHeader ?? '').trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    host = end > 0 ? host.slice(1, end) : host;
  } else {
    const colon = host.indexOf(':');
    // A single colon separates the port; more colons mean a bare IPv6 address.
    if (colon >= 0 && host.indexOf(':', colon + 1) === -1) host = host.slice(0, colon);
  }
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

export function revisionKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** The routing table: replaced as a whole on every setRoutes. */
export class RouteTable {
  private readonly byHost = new Map<string, IngressRoute>();
  /** Revisions some route references (at any percent: a 0% target can still have a tag URL). */
  readonly routedRevisions = new Set<string>();

  constructor(routes: readonly IngressRoute[]) {
    for (const route of routes) {
      this.byHost.set(normalizeHost(route.host), route);
      for (const target of route.targets) this.routedRevisions.add(revisionKey(route.namespace, target.revision));
    }
  }

  lookup(host: string): IngressRoute | undefined {
    return this.byHost.get(host);
  }

  hosts(): string[] {
    return [...this.byHost.keys()].sort();
  }
}

/**
 * Picks a target by percent with `random` in [0, 1). Targets at 0% are never
 * picked, unless all are at 0% (a tag URL of a revision that gets no main
 * traffic): then the first one answers.
 */
export function pickTarget(targets: readonly TrafficSplitTarget[], random: number): TrafficSplitTarget | undefined {
  const total = targets.reduce((sum, target) => sum + Math.max(target.percent, 0), 0);
  if (total <= 0) return targets[0];
  let point = random * total;
  for (const target of targets) {
    if (target.percent <= 0) continue;
    if (point < target.percent) return target;
    point -= target.percent;
  }
  // Floating point at the very end of the range.
  return [...targets].reverse().find((target) => target.percent > 0);
}

/** The body of the 404 for a host no route answers: what it knows, and how to reach it. */
export function unknownHostMessage(host: string, knownHosts: readonly string[], ingressPort: number): string {
  const port = ingressPort === 80 ? '' : `:${ingressPort}`;
  const lines = [`No Knative route for host "${host || '(none)'}".`, ''];
  if (knownHosts.length === 0) {
    lines.push('No routes yet: apply a Service first (e.g. pnpm apply manifests/<file>.yaml).');
  } else {
    lines.push('Known hosts:');
    for (const known of knownHosts) lines.push(`  http://${known}${port}/`);
    const example = knownHosts[0];
    lines.push(
      '',
      `*.localhost names reach 127.0.0.1 without DNS in curl and browsers: curl http://${example}${port}/`,
      `or set the Host header yourself: curl -H 'Host: ${example}' http://127.0.0.1${port}/`,
    );
  }
  return `${lines.join('\n')}\n`;
}
