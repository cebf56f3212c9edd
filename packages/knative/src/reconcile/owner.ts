// Owner references as kmeta.NewControllerRef sets them, and metav1.IsControlledBy.
import type { KnativeObject, ObjectMeta, OwnerReference } from '../types.js';

export function controllerRef(owner: Pick<KnativeObject, 'apiVersion' | 'kind' | 'metadata'>): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isControlledBy(meta: ObjectMeta, owner: Pick<KnativeObject, 'kind' | 'metadata'>): boolean {
  const ref = (meta.ownerReferences ?? []).find((r) => r.controller);
  if (!ref) return false;
  // Objects without a uid yet (before the store assigns one) match by kind and name.
  return ref.kind === owner.kind && ref.name === owner.metadata.name && (!owner.metadata.uid || ref.uid === owner.metadata.uid);
}

/** kmeta.FilterMap: the last-applied annotation of kubectl is not copied to children. */
export function inheritableAnnotations(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!annotations) return undefined;
  const out = Object.fromEntries(
    Object.entries(annotations).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'),
  );
  return Object.keys(out).length > 0 ? out : undefined;
}
