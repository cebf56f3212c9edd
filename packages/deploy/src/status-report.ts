// The report behind pnpm status, pure: kubectl get pod,ksvc,configuration,revision,route
// (Knative's printer columns), plus each revision's traffic share, tags and URLs,
// and every failing condition with its reason and message.
import type { KubeObject } from './types.js';
import { getCondition, READY } from '@hands-on-knative/knative/conditions';
import type { Condition } from '@hands-on-knative/knative';

export interface StatusReport {
  namespace: string;
  pods: { name: string; ready: string; status: string; restarts: number; age: string }[];
  services: { name: string; url: string; latestCreated: string; latestReady: string; ready: string; reason: string }[];
  configurations: { name: string; latestCreated: string; latestReady: string; ready: string; reason: string }[];
  revisions: {
    name: string;
    service: string;
    configuration: string;
    generation: number;
    ready: string;
    reason: string;
    actualReplicas: number | null;
    desiredReplicas: number | null;
    /** Percent of the service's traffic, summed over its targets. */
    traffic: number;
    tags: string[];
    /** One URL per tag. */
    urls: string[];
    latest: boolean;
  }[];
  routes: { name: string; url: string; ready: string; reason: string }[];
  problems: { kind: string; name: string; condition: string; reason: string; message: string }[];
}

export interface StatusInput {
  namespace: string;
  services: readonly KubeObject[];
  configurations: readonly KubeObject[];
  revisions: readonly KubeObject[];
  routes: readonly KubeObject[];
  pods: readonly KubeObject[];
  nowMs: number;
}

type Status = { conditions?: Condition[]; [k: string]: unknown };
const statusOf = (o: KubeObject): Status => (o.status ?? {}) as Status;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const readyOf = (o: KubeObject) => {
  const c = getCondition(statusOf(o).conditions, READY);
  return { ready: c?.status ?? 'Unknown', reason: c?.reason ?? '' };
};

/** kubectl's age: 45s, 5m, 3h, 2d. */
export function age(created: unknown, nowMs: number): string {
  const t = typeof created === 'string' ? Date.parse(created) : NaN;
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.max(0, Math.floor((nowMs - t) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 3600 * 2) return `${Math.floor(s / 60)}m`;
  if (s < 86400 * 2) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

export function buildStatusReport(input: StatusInput): StatusReport {
  const problems: StatusReport['problems'] = [];
  const collectProblems = (kind: string, o: KubeObject) => {
    for (const c of statusOf(o).conditions ?? []) {
      if (c.status === 'False' || (c.type === READY && c.status === 'Unknown' && c.reason)) {
        problems.push({ kind, name: o.metadata.name, condition: c.type, reason: c.reason ?? '', message: c.message ?? '' });
      }
    }
  };

  const byName = (a: KubeObject, b: KubeObject) => a.metadata.name.localeCompare(b.metadata.name);
  const share = new Map<string, { traffic: number; tags: string[]; urls: string[] }>();
  const services = [...input.services].sort(byName).map((s) => {
    const st = statusOf(s);
    collectProblems('service.serving.knative.dev', s);
    for (const t of (st.traffic ?? []) as { revisionName?: string; percent?: number; tag?: string; url?: string }[]) {
      if (!t.revisionName) continue;
      const entry = share.get(t.revisionName) ?? { traffic: 0, tags: [], urls: [] };
      entry.traffic += t.percent ?? 0;
      if (t.tag) entry.tags.push(t.tag);
      if (t.url) entry.urls.push(t.url);
      share.set(t.revisionName, entry);
    }
    return {
      name: s.metadata.name,
      url: str(st.url),
      latestCreated: str(st.latestCreatedRevisionName),
      latestReady: str(st.latestReadyRevisionName),
      ...readyOf(s),
    };
  });
  const latestCreated = new Set(services.map((s) => s.latestCreated));

  const configurations = [...input.configurations].sort(byName).map((c) => {
    const st = statusOf(c);
    collectProblems('configuration.serving.knative.dev', c);
    return { name: c.metadata.name, latestCreated: str(st.latestCreatedRevisionName), latestReady: str(st.latestReadyRevisionName), ...readyOf(c) };
  });

  const revisions = [...input.revisions]
    .map((r) => {
      const st = statusOf(r);
      const labels = r.metadata.labels ?? {};
      collectProblems('revision.serving.knative.dev', r);
      const s = share.get(r.metadata.name) ?? { traffic: 0, tags: [], urls: [] };
      return {
        name: r.metadata.name,
        service: labels['serving.knative.dev/service'] ?? '',
        configuration: labels['serving.knative.dev/configuration'] ?? '',
        generation: Number(labels['serving.knative.dev/configurationGeneration'] ?? 0),
        ...readyOf(r),
        actualReplicas: typeof st.actualReplicas === 'number' ? st.actualReplicas : null,
        desiredReplicas: typeof st.desiredReplicas === 'number' ? st.desiredReplicas : null,
        traffic: s.traffic,
        tags: s.tags,
        urls: s.urls,
        latest: latestCreated.has(r.metadata.name),
      };
    })
    .sort((a, b) => a.configuration.localeCompare(b.configuration) || b.generation - a.generation);

  const routes = [...input.routes].sort(byName).map((r) => {
    collectProblems('route.serving.knative.dev', r);
    return { name: r.metadata.name, url: str(statusOf(r).url), ...readyOf(r) };
  });

  const pods = [...input.pods].sort(byName).map((p) => {
    const st = statusOf(p) as { phase?: string; containerStatuses?: { ready?: boolean; restartCount?: number }[] };
    const containers = st.containerStatuses ?? [];
    return {
      name: p.metadata.name,
      ready: `${containers.filter((c) => c.ready).length}/${Math.max(containers.length, 1)}`,
      status: st.phase ?? 'Unknown',
      restarts: containers.reduce((n, c) => n + (c.restartCount ?? 0), 0),
      age: age(p.metadata.creationTimestamp, input.nowMs),
    };
  });

  return { namespace: input.namespace, pods, services, configurations, revisions, routes, problems };
}

function table(header: string[], rows: (string | number)[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells: (string | number)[]) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]!))
      .join('   ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** kubectl-style sections (type/name), blank lines between them. */
export function formatStatusReport(report: StatusReport): string[] {
  const out: string[] = [];
  const section = (lines: string[]) => {
    if (out.length > 0) out.push('');
    out.push(...lines);
  };
  if (report.pods.length > 0) {
    section(table(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], report.pods.map((p) => [`pod/${p.name}`, p.ready, p.status, p.restarts, p.age])));
  }
  if (report.services.length > 0) {
    section(
      table(
        ['NAME', 'URL', 'LATESTCREATED', 'LATESTREADY', 'READY', 'REASON'],
        report.services.map((s) => [`service.serving.knative.dev/${s.name}`, s.url, s.latestCreated, s.latestReady, s.ready, s.reason]),
      ),
    );
  }
  if (report.configurations.length > 0) {
    section(
      table(
        ['NAME', 'LATESTCREATED', 'LATESTREADY', 'READY', 'REASON'],
        report.configurations.map((c) => [`configuration.serving.knative.dev/${c.name}`, c.latestCreated, c.latestReady, c.ready, c.reason]),
      ),
    );
  }
  if (report.revisions.length > 0) {
    section(
      table(
        ['NAME', 'CONFIG NAME', 'GENERATION', 'READY', 'REASON', 'ACTUAL REPLICAS', 'DESIRED REPLICAS', 'TRAFFIC', 'TAGS'],
        report.revisions.map((r) => [
          `revision.serving.knative.dev/${r.name}`,
          r.configuration,
          r.generation,
          r.ready,
          r.reason,
          r.actualReplicas ?? '',
          r.desiredReplicas ?? '',
          `${r.traffic}%`,
          r.tags.join(',') || '-',
        ]),
      ),
    );
  }
  if (report.routes.length > 0) {
    section(table(['NAME', 'URL', 'READY', 'REASON'], report.routes.map((r) => [`route.serving.knative.dev/${r.name}`, r.url, r.ready, r.reason])));
  }
  const tagged = report.revisions.filter((r) => r.tags.length > 0);
  if (tagged.length > 0) {
    section(['Tag URLs:', ...tagged.flatMap((r) => r.tags.map((tag, i) => `  ${tag} -> ${r.name}: ${r.urls[i] ?? ''}`))]);
  }
  if (report.problems.length > 0) {
    section(['Failing conditions:', ...report.problems.map((p) => `  ${p.kind}/${p.name} ${p.condition}: ${p.reason}: ${p.message}`)]);
  }
  if (out.length === 0) out.push(`No Knative services in namespace ${report.namespace}.`);
  return out;
}
