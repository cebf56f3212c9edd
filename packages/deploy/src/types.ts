// Objects as the API returns them: anything, with Kubernetes metadata.
import type { AnyObject, ObjectMeta } from '@hands-on-knative/knative';

export interface KubeObject extends AnyObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

/** The metadata of an object from a file, which may be missing or malformed. */
export function metadataOf(object: AnyObject): Partial<ObjectMeta> {
  return typeof object.metadata === 'object' && object.metadata !== null ? (object.metadata as Partial<ObjectMeta>) : {};
}
