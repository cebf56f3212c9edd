// validateObject: what Knative's validating webhook says about a Service, Configuration,
// Route or Revision (knative/serving pkg/apis/serving/v1/*_validation.go), after the
// structural schema check the API server does first. Defaults are applied as the
// defaulting webhook would before validation.
import { AUTOSCALING_GROUP } from './autoscaling.js';
import { shortDiff } from './diff.js';
import { goList, isDNS1035Label, isDNS1123Label } from './dns.js';
import { errInvalidKeyName, errInvalidValue, errMissingField, fieldError, via } from './field-errors.js';
import { validateSchema } from './schema.js';
import { validateRevisionSpec, validateRevisionTemplate, verifyNameChange } from './validate-template.js';
import { validateTrafficList } from './validate-traffic.js';
import {
  Labels,
  SERVING_GROUP,
  SERVING_V1,
  SERVING_V1ALPHA1,
  type AnyObject,
  type FieldError,
  type ObjectMeta,
  type RevisionSpec,
  type RevisionTemplate,
  type TrafficTarget,
} from './types.js';

export const KNATIVE_KINDS = ['Service', 'Configuration', 'Revision', 'Route'] as const;
const GROUP_PREFIX = `${SERVING_GROUP}/`;

/** apis.ValidateObjectMetadata (knative.dev/pkg apis/metadata_validation.go) plus the namespace rule. */
function validateObjectMeta(meta: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  const { name, generateName, namespace } = meta;
  if (generateName) {
    const msgs = isDNS1035Label(generateName.replace(/-$/, 'a'));
    if (msgs.length > 0) errs.push(fieldError('generateName', `not a DNS 1035 label prefix: ${goList(msgs)}`));
  }
  if (name) {
    const msgs = isDNS1035Label(name);
    if (msgs.length > 0) errs.push(fieldError('name', `not a DNS 1035 label: ${goList(msgs)}`));
  }
  if (!name && !generateName) errs.push(fieldError('name', 'name or generateName is required'));
  if (namespace) {
    // The API server's own check (apimachinery ValidateNamespaceName).
    for (const m of isDNS1123Label(namespace)) errs.push(fieldError('namespace', `Invalid value: ${JSON.stringify(namespace)}: ${m}`));
  }
  return errs;
}

/** ValidateHasNoAutoscalingAnnotation: autoscaling belongs on the template, where it takes effect. */
function validateNoAutoscalingAnnotations(annotations: Record<string, string> | undefined): FieldError[] {
  return Object.keys(annotations ?? {})
    .filter((k) => k.startsWith(AUTOSCALING_GROUP))
    .map((k) => errInvalidKeyName(k, '', 'autoscaling annotations must be put under "spec.template.metadata.annotations" to work'));
}

function ownedBy(meta: ObjectMeta, kind: string, name: string): boolean {
  return (meta.ownerReferences ?? []).some((r) => r.kind === kind && r.name === name);
}

/** The per-kind label rules (validateLabels in service/configuration/route/revision_validation.go). */
function validateLabels(kind: string, meta: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  const allowed: Record<string, readonly string[]> = {
    Service: [],
    Configuration: [Labels.route, Labels.configurationUID, Labels.serviceUID],
    Route: [],
    Revision: [Labels.routingState, Labels.route, Labels.service, Labels.configurationUID, Labels.serviceUID, Labels.configurationGeneration],
  };
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    if (key === Labels.visibility && kind !== 'Configuration' && kind !== 'Revision') {
      if (value !== 'cluster-local') errs.push(errInvalidValue(value, Labels.visibility));
    } else if (allowed[kind]?.includes(key)) {
      continue;
    } else if (key === Labels.service && (kind === 'Configuration' || kind === 'Route')) {
      if (!ownedBy(meta, 'Service', value)) errs.push(errMissingField(Labels.service));
    } else if (key === Labels.configuration && kind === 'Revision') {
      if (!ownedBy(meta, 'Configuration', value)) errs.push(errMissingField(Labels.configuration));
    } else if (key.startsWith(GROUP_PREFIX)) {
      errs.push(errInvalidKeyName(key, ''));
    }
  }
  return errs;
}

function asMeta(object: AnyObject): ObjectMeta {
  return (object.metadata ?? {}) as ObjectMeta;
}

function spec<T>(object: AnyObject | undefined): T | undefined {
  return object?.spec as T | undefined;
}

/**
 * Validates a Knative object; `previous` is the stored object when this is an update.
 * Returns [] when the webhook would accept it. Non-Knative kinds get only the metadata checks.
 */
export function validateObject(object: AnyObject, previous?: AnyObject): FieldError[] {
  const kind = String(object.kind);
  const isKnative = (KNATIVE_KINDS as readonly string[]).includes(kind);
  if (isKnative && object.apiVersion === SERVING_V1ALPHA1) {
    return [
      fieldError(
        'apiVersion',
        `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(SERVING_V1ALPHA1)}`,
        'serving.knative.dev/v1alpha1 was removed in Knative 0.19; convert the manifest to serving.knative.dev/v1',
      ),
    ];
  }
  // The API server checks the structural schema before any webhook runs.
  const schemaErrors = validateSchema(object);
  if (schemaErrors.length > 0) return schemaErrors;
  const meta = asMeta(object);
  if (!isKnative || object.apiVersion !== SERVING_V1) {
    return via('metadata', validateObjectMeta(meta));
  }

  const metaErrs = [...validateObjectMeta(meta), ...via('labels', validateLabels(kind, meta))];
  if (kind === 'Service' || kind === 'Configuration') {
    metaErrs.push(...via('annotations', validateNoAutoscalingAnnotations(meta.annotations)));
  }
  const errs = via('metadata', metaErrs);
  const parentName = meta.name ?? '';

  switch (kind) {
    case 'Service': {
      const s = spec<{ template?: RevisionTemplate; traffic?: TrafficTarget[] }>(object);
      errs.push(...via('spec.template', validateRevisionTemplate(s?.template, parentName)));
      // An empty list defaults to 100% on the latest revision (route_defaults.go).
      const traffic = s?.traffic?.length ? s.traffic : [{ latestRevision: true, percent: 100 }];
      errs.push(...via('spec.traffic', validateTrafficList(traffic, { hasDefaultConfigurationName: true })));
      if (previous) {
        errs.push(...via('spec.template', verifyNameChange(s?.template, spec<{ template?: RevisionTemplate }>(previous)?.template)));
      }
      break;
    }
    case 'Configuration': {
      const s = spec<{ template?: RevisionTemplate }>(object);
      errs.push(...via('spec.template', validateRevisionTemplate(s?.template, parentName)));
      if (previous) {
        errs.push(...via('spec.template', verifyNameChange(s?.template, spec<{ template?: RevisionTemplate }>(previous)?.template)));
      }
      break;
    }
    case 'Route': {
      const traffic = spec<{ traffic?: TrafficTarget[] }>(object)?.traffic ?? [];
      errs.push(...via('spec.traffic', validateTrafficList(traffic, { hasDefaultConfigurationName: false })));
      break;
    }
    case 'Revision': {
      if (previous) {
        const diff = shortDiff(previous.spec ?? {}, object.spec ?? {});
        if (diff) errs.push(fieldError('spec', 'Immutable fields changed (-old +new)', diff));
      } else {
        errs.push(...via('spec', validateRevisionSpec(spec<RevisionSpec>(object))));
      }
      break;
    }
  }
  return errs;
}
