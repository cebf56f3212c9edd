// What the commands print, as pure functions of the objects (kn's wording where kn has one).
import type { TrafficTarget } from '@hands-on-knative/knative';
import type { KubeObject } from './types.js';

export type Outcome = 'created' | 'updated' | 'unchanged';

interface ServiceStatus {
  url?: string;
  latestReadyRevisionName?: string;
  latestCreatedRevisionName?: string;
  traffic?: (TrafficTarget & { url?: string })[];
}

export const statusOf = (object: KubeObject): ServiceStatus => (object.status ?? {}) as ServiceStatus;

/** kn's showUrl: "Service 'x' created to latest revision 'x-00001' is available at URL:" + URL. */
export function availableAt(object: KubeObject, outcome: Outcome): string[] {
  const name = object.metadata.name;
  const { url = '', latestReadyRevisionName = '' } = statusOf(object);
  if (outcome === 'unchanged') {
    return [`Service '${name}' with latest revision '${latestReadyRevisionName}' (unchanged) is available at URL:`, url];
  }
  return [`Service '${name}' ${outcome} to latest revision '${latestReadyRevisionName}' is available at URL:`, url];
}

/** The split now served: one line per target, percent first, tags with their own URL. */
export function trafficLines(object: KubeObject): string[] {
  const traffic = statusOf(object).traffic ?? [];
  if (traffic.length === 0) return [];
  const rows = traffic.map((t) => {
    const revision = t.revisionName ?? '(none ready)';
    const latest = t.latestRevision ? ' (@latest)' : '';
    const tag = t.tag ? `  tag ${t.tag}: ${t.url ?? ''}` : '';
    return `  ${String(t.percent ?? 0).padStart(3)}%  ${revision}${latest}${tag}`;
  });
  return ['Traffic:', ...rows];
}

/** The revision(s) receiving traffic, e.g. "helloworld-00001" or "helloworld-00001 80%, helloworld-00003 20%". */
export function servingSummary(object: KubeObject): string {
  const byRevision = new Map<string, number>();
  for (const t of statusOf(object).traffic ?? []) {
    if (!t.revisionName || !t.percent) continue;
    byRevision.set(t.revisionName, (byRevision.get(t.revisionName) ?? 0) + t.percent);
  }
  const entries = [...byRevision];
  if (entries.length === 1) return entries[0]![0];
  return entries.map(([name, percent]) => `${name} ${percent}%`).join(', ');
}

/** kn's "Ready to serve." line. */
export const readyLine = (elapsedMs: number): string => `${(elapsedMs / 1000).toFixed(3).padStart(7)}s Ready to serve.`;

/** Secrets are printed without their values (dry runs): data and stringData keys stay, values go. */
export function withoutSecretValues(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object;
  const copy = structuredClone(object);
  for (const field of ['data', 'stringData'] as const) {
    const values = copy[field];
    if (typeof values !== 'object' || values === null) continue;
    for (const key of Object.keys(values as Record<string, unknown>)) (values as Record<string, unknown>)[key] = '(redacted)';
  }
  return copy;
}
