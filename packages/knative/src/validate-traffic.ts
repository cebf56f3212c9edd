// Traffic lists as Knative's webhook checks them
// (knative/serving pkg/apis/serving/v1/route_validation.go: validateTrafficList, TrafficTarget.Validate),
// after defaulting (route_defaults.go: latestRevision defaults to revisionName == "").
import { goList, isDNS1035Label, isQualifiedName } from './dns.js';
import {
  errDisallowedFields,
  errInvalidKeyName,
  errInvalidValue,
  errMissingOneOf,
  errMultipleOneOf,
  errOutOfBoundsValue,
  fieldError,
} from './field-errors.js';
import type { FieldError, TrafficTarget } from './types.js';

export interface TrafficContext {
  /** In a Service the route has a default configuration: configurationName is implied and disallowed. */
  hasDefaultConfigurationName: boolean;
  /** Validating status.traffic (revisionName and url required) rather than spec.traffic. */
  inStatus?: boolean;
}

function validateTarget(tt: TrafficTarget, ctx: TrafficContext): FieldError[] {
  const errs: FieldError[] = [];
  const inSpec = !ctx.inStatus;
  // Defaulting happens before validation in the webhook.
  const latest = tt.latestRevision ?? (inSpec ? !tt.revisionName : undefined);
  if (inSpec && latest !== undefined) {
    const pinned = Boolean(tt.revisionName);
    if (pinned === latest) {
      errs.push(fieldError('latestRevision', `may not set revisionName ${JSON.stringify(tt.revisionName ?? '')} when latestRevision is ${latest}`));
    }
  }
  if (ctx.hasDefaultConfigurationName && tt.configurationName) errs.push(errDisallowedFields('configurationName'));
  else if (tt.revisionName && tt.configurationName) errs.push(errMultipleOneOf('revisionName', 'configurationName'));
  else if (tt.revisionName) {
    const msgs = isQualifiedName(tt.revisionName);
    if (msgs.length > 0) errs.push(errInvalidKeyName(tt.revisionName, 'revisionName', msgs.join(', ')));
  } else if (ctx.inStatus) errs.push(fieldError('revisionName', 'missing field(s)'));
  else if (tt.configurationName) {
    const msgs = isQualifiedName(tt.configurationName);
    if (msgs.length > 0) errs.push(errInvalidKeyName(tt.configurationName, 'configurationName', msgs.join(', ')));
  } else if (!ctx.hasDefaultConfigurationName) errs.push(errMissingOneOf('revisionName', 'configurationName'));

  if (tt.percent !== undefined && (tt.percent < 0 || tt.percent > 100)) {
    errs.push(errOutOfBoundsValue(tt.percent, 0, 100, 'percent'));
  }
  if (tt.url) {
    if (inSpec || !tt.tag) errs.push(errDisallowedFields('url'));
  } else if (tt.tag && ctx.inStatus) errs.push(fieldError('url', 'missing field(s)'));
  return errs;
}

/** Paths are relative to the list ("[0].percent"; "" for the sum). */
export function validateTrafficList(traffic: readonly TrafficTarget[], ctx: TrafficContext): FieldError[] {
  const errs: FieldError[] = [];
  const firstIndexOfTag = new Map<string, number>();
  let sum = 0;
  traffic.forEach((tt, i) => {
    for (const e of validateTarget(tt, ctx)) errs.push({ ...e, field: e.field.split(', ').map((p) => `[${i}].${p}`).join(', ') });
    sum += tt.percent ?? 0;
    if (!tt.tag) return;
    const msgs = isDNS1035Label(tt.tag);
    if (msgs.length > 0) errs.push(errInvalidValue(`not a DNS 1035 label: ${goList(msgs)}`, `[${i}].tag`));
    const first = firstIndexOfTag.get(tt.tag);
    // Only one definition per tag, even if it names the same revision.
    if (first !== undefined) errs.push(fieldError([`[${i}].tag`, `[${first}].tag`], `Multiple definitions for ${JSON.stringify(tt.tag)}`));
    else firstIndexOfTag.set(tt.tag, i);
  });
  if (sum !== 100) errs.push(fieldError('', `Traffic targets sum to ${sum}, want 100`));
  return errs;
}
