// Routing state of revisions (knative/serving pkg/reconciler/labeler): "active" while a Route
// sends it traffic or names it by tag, "pending" from creation until a Route first picks it up,
// "reserve" once no Route references it any more (its processes can be stopped).
import { Labels, type Revision, type Route } from '../types.js';

export type RoutingState = 'active' | 'pending' | 'reserve';

/** Revision names that the routes' status.traffic references (with any percent, or a tag). */
export function referencedRevisions(routes: readonly Route[]): Set<string> {
  const names = new Set<string>();
  for (const route of routes) {
    for (const t of route.status?.traffic ?? []) if (t.revisionName) names.add(t.revisionName);
  }
  return names;
}

export function routingStateOf(revision: Revision, referenced: ReadonlySet<string>): RoutingState {
  if (referenced.has(revision.metadata.name)) return 'active';
  return revision.metadata.labels?.[Labels.routingState] === 'pending' ? 'pending' : 'reserve';
}
