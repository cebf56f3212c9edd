// Which revisions a traffic split would send requests to, and whether each can
// take them. Pure: from the Service and its Revisions as the API returned them.
import type { KubeObject } from './types.js';
import { getCondition, READY } from '@hands-on-knative/knative/conditions';
import type { Condition, TrafficTarget } from '@hands-on-knative/knative';

export interface RevisionState {
  name: string;
  ready: boolean;
  reason?: string;
  message?: string;
  generation: number;
}

export function revisionStates(revisions: readonly KubeObject[]): RevisionState[] {
  return revisions
    .map((r) => {
      const status = (r.status ?? {}) as { conditions?: Condition[] };
      const ready = getCondition(status.conditions, READY);
      const labels = r.metadata.labels ?? {};
      const state: RevisionState = {
        name: r.metadata.name,
        ready: ready?.status === 'True',
        generation: Number(labels['serving.knative.dev/configurationGeneration'] ?? 0),
      };
      if (ready?.reason) state.reason = ready.reason;
      if (ready?.message) state.message = ready.message;
      return state;
    })
    .sort((a, b) => a.generation - b.generation || a.name.localeCompare(b.name));
}

/** spec.traffic as kn reads it: empty means 100% to the latest ready revision (Knative's default). */
export function currentTraffic(service: KubeObject): TrafficTarget[] {
  const traffic = ((service.spec ?? {}) as { traffic?: TrafficTarget[] }).traffic;
  return traffic && traffic.length > 0 ? traffic : [{ latestRevision: true, percent: 100 }];
}

/**
 * Problems with sending traffic to each target that would get some: a named revision
 * must exist and be Ready; @latest needs a ready revision. Tag-only (0%) targets are fine.
 */
export function unreadyTargets(traffic: readonly TrafficTarget[], revisions: readonly RevisionState[], latestReady: string | undefined): string[] {
  const problems: string[] = [];
  for (const t of traffic) {
    if (!t.percent) continue;
    if (t.latestRevision || !t.revisionName) {
      if (!latestReady) problems.push(`@latest has no ready revision to send ${t.percent}% of the traffic to`);
      continue;
    }
    const revision = revisions.find((r) => r.name === t.revisionName);
    if (!revision) {
      const known = revisions.map((r) => r.name).join(', ') || 'none';
      problems.push(`revision "${t.revisionName}" does not exist (revisions of this service: ${known})`);
    } else if (!revision.ready) {
      const why = [revision.reason, revision.message].filter(Boolean).join(': ') || 'not ready yet';
      problems.push(`revision "${t.revisionName}" is not ready (${why}): refusing to send it ${t.percent}% of the traffic`);
    }
  }
  return problems;
}
