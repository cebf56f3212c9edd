// The validation hook: the API calls it on every create, update, patch and
// apply of a Knative kind and answers 422 Invalid with what it returns.
import type { KubeObject } from '../contracts.js';
import type { FieldError } from './status.js';

export type Validate = (object: KubeObject, previous?: KubeObject) => FieldError[];

/**
 * The minimal check used when no validator is injected: a Service or
 * Configuration needs a container image. The integrator injects Knative's
 * real rules (@hands-on-knative/knative validateObject).
 */
export const minimalValidate: Validate = (object) => {
  if (object.kind !== 'Service' && object.kind !== 'Configuration') return [];
  const containers = (object.spec as { template?: { spec?: { containers?: { image?: unknown }[] } } } | undefined)?.template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    return [{ field: 'spec.template.spec.containers', message: 'missing field(s)' }];
  }
  return containers.flatMap((container, i) =>
    typeof container?.image === 'string' && container.image !== ''
      ? []
      : [{ field: `spec.template.spec.containers[${i}].image`, message: 'missing field(s)' }],
  );
};
