// The ingress routing table: the hosts of every Route, kept as last programmed when a Route's
// targets are temporarily not routable (Knative leaves the Ingress alone in that case).
import type { RouteHost } from '@hands-on-knative/knative';
import type { IngressRoute } from '../contracts.js';

export class RoutingTable {
  private readonly byRoute = new Map<string, IngressRoute[]>();

  private static key(namespace: string, name: string): string {
    return `${namespace}/${name}`;
  }

  /** Replaces a route's hosts. `service` is the owning Service's name (or the route's own). */
  set(namespace: string, route: string, service: string, hosts: readonly RouteHost[]): void {
    this.byRoute.set(
      RoutingTable.key(namespace, route),
      hosts.map((h) => ({ host: h.host, namespace, service, targets: h.targets.map((t) => ({ ...t })) })),
    );
  }

  has(namespace: string, route: string): boolean {
    return this.byRoute.has(RoutingTable.key(namespace, route));
  }

  /** Forgets routes that no longer exist. */
  retain(existing: ReadonlySet<string>): void {
    for (const key of [...this.byRoute.keys()]) if (!existing.has(key)) this.byRoute.delete(key);
  }

  routes(): IngressRoute[] {
    return [...this.byRoute.values()].flat().sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  }

  static keyOf(namespace: string, name: string): string {
    return RoutingTable.key(namespace, name);
  }
}
