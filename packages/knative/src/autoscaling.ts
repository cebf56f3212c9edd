// Autoscaling annotations: their keys (with the old camelCase spellings Knative still
// accepts, kmap.KeyPriority in knative/serving pkg/apis/autoscaling/register.go), their
// validation (pkg/apis/autoscaling/annotation_validation.go) and the revision's scaling spec.
import { errInvalidValue, errOutOfBoundsValue, fieldError } from './field-errors.js';
import type { FieldError } from './types.js';

export const AUTOSCALING_GROUP = 'autoscaling.knative.dev';
const key = (name: string) => `${AUTOSCALING_GROUP}/${name}`;

/** Each annotation with its accepted spellings, preferred first. */
export const AutoscalingKeys = {
  class: [key('class')],
  metric: [key('metric')],
  minScale: [key('min-scale'), key('minScale')],
  maxScale: [key('max-scale'), key('maxScale')],
  initialScale: [key('initial-scale'), key('initialScale')],
  target: [key('target')],
  targetUtilizationPercentage: [key('target-utilization-percentage'), key('targetUtilizationPercentage')],
  window: [key('window')],
  scaleDownDelay: [key('scale-down-delay'), key('scaleDownDelay')],
} as const;

export const KPA_CLASS = 'kpa.autoscaling.knative.dev';
export const HPA_CLASS = 'hpa.autoscaling.knative.dev';
const MAX_INT32 = 2147483647;
const WINDOW_MIN_MS = 6_000;
const WINDOW_MAX_MS = 3_600_000;

/** kmap.KeyPriority.Get: the first spelling present wins. */
export function getAnnotation(
  annotations: Record<string, string> | undefined,
  keys: readonly string[],
): [key: string, value: string] | undefined {
  if (!annotations) return undefined;
  for (const k of keys) {
    const v = annotations[k];
    if (v !== undefined) return [k, v];
  }
  return undefined;
}

const GO_INT = /^[+-]?\d+$/;
const GO_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** time.ParseDuration for the units annotations use; undefined when Go would reject it. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+\.?\d*|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  if (body === '') return undefined;
  const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let index = 0;
  re.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(body)) !== null) {
    total += Number(match[1]) * unitMs[match[2]!]!;
    index = re.lastIndex;
  }
  return index === body.length ? sign * total : undefined;
}

function intGE0(annotations: Record<string, string>, keys: readonly string[], errs: FieldError[]): number {
  const found = getAnnotation(annotations, keys);
  if (!found) return 0;
  const [k, v] = found;
  if (!GO_INT.test(v)) {
    errs.push(errInvalidValue(v, k));
    return 0;
  }
  const n = Number(v);
  if (n < 0 || n > MAX_INT32) {
    errs.push(errOutOfBoundsValue(v, 0, MAX_INT32, k));
    return 0;
  }
  return n;
}

/** Field paths are annotation keys; callers prefix them with e.g. spec.template.metadata.annotations. */
export function validateAutoscalingAnnotations(annotations: Record<string, string> | undefined): FieldError[] {
  if (!annotations) return [];
  const errs: FieldError[] = [];

  const cls = getAnnotation(annotations, AutoscalingKeys.class);
  if (cls && cls[1].endsWith('.knative.dev') && cls[1] !== KPA_CLASS && cls[1] !== HPA_CLASS) {
    errs.push(errInvalidValue(cls[1], cls[0]));
  }

  const min = intGE0(annotations, AutoscalingKeys.minScale, errs);
  const max = intGE0(annotations, AutoscalingKeys.maxScale, errs);
  if (max !== 0 && max < min) {
    errs.push(
      fieldError([AutoscalingKeys.maxScale[0], AutoscalingKeys.minScale[0]], `max-scale=${max} is less than min-scale=${min}`),
    );
  }

  const target = getAnnotation(annotations, AutoscalingKeys.target);
  if (target) {
    const [k, v] = target;
    if (!GO_FLOAT.test(v)) errs.push(errInvalidValue(v, k));
    else if (Number(v) < 0.01) errs.push(fieldError(k, `target ${v} should be at least 0.01`));
  }
  const util = getAnnotation(annotations, AutoscalingKeys.targetUtilizationPercentage);
  if (util) {
    const [k, v] = util;
    if (!GO_FLOAT.test(v)) errs.push(errInvalidValue(v, k));
    else if (Number(v) < 1 || Number(v) > 100) errs.push(errOutOfBoundsValue(v, 1, 100, k));
  }

  const window = getAnnotation(annotations, AutoscalingKeys.window);
  if (window) {
    const [k, v] = window;
    const ms = parseGoDuration(v);
    if (ms === undefined) errs.push(errInvalidValue(v, k));
    else if (ms < WINDOW_MIN_MS || ms > WINDOW_MAX_MS) errs.push(errOutOfBoundsValue(v, '6s', '1h0m0s', k));
    else if (ms % 1000 !== 0) errs.push(fieldError(k, 'must be specified with at most second precision'));
  }
  const delay = getAnnotation(annotations, AutoscalingKeys.scaleDownDelay);
  if (delay) {
    const [k, v] = delay;
    const ms = parseGoDuration(v);
    if (ms === undefined) errs.push(errInvalidValue(v, k));
    else if (ms < 0 || ms > WINDOW_MAX_MS) errs.push(errOutOfBoundsValue(v, '0s', '1h0m0s', k));
    else if (ms % 1000 !== 0) errs.push(fieldError(k, 'must be specified with at most second precision'));
  }

  const metric = getAnnotation(annotations, AutoscalingKeys.metric);
  if (metric) {
    const clsValue = cls?.[1] ?? KPA_CLASS;
    if (clsValue === KPA_CLASS && metric[1] !== 'concurrency' && metric[1] !== 'rps') {
      errs.push(errInvalidValue(metric[1], AutoscalingKeys.metric[0]));
    }
    if (clsValue === HPA_CLASS && metric[1] === '') errs.push(errInvalidValue(metric[1], AutoscalingKeys.metric[0]));
  }

  const initial = getAnnotation(annotations, AutoscalingKeys.initialScale);
  if (initial) {
    const [k, v] = initial;
    if (!GO_INT.test(v)) errs.push(errInvalidValue(v, k));
    else if (Number(v) < 0) errs.push(errInvalidValue(v, `${k} must be greater than 0`));
    // config-autoscaler allow-zero-initial-scale defaults to false.
    else if (Number(v) === 0) errs.push(errInvalidValue(v, `${k}=0 not allowed by cluster`));
  }
  return errs;
}

/** Autoscaling settings of a revision, from its annotations and spec (the local serving's data plane runs by it). */
export interface ScalingSpec {
  /** autoscaling.knative.dev/min-scale; 0 allows scale to zero. */
  minScale: number;
  /** autoscaling.knative.dev/max-scale; 0 = unlimited (the data plane caps it sensibly). */
  maxScale: number;
  /** autoscaling.knative.dev/initial-scale. */
  initialScale: number;
  /** autoscaling.knative.dev/target: concurrent requests per process. */
  target: number;
  /** autoscaling.knative.dev/target-utilization-percentage. */
  targetUtilizationPercentage: number;
  /** spec.containerConcurrency; 0 = unlimited. */
  containerConcurrency: number;
}

/** config-autoscaler defaults: container-concurrency-target-default 100, utilization 70, initial scale 1. */
export const SCALING_DEFAULTS: ScalingSpec = {
  minScale: 0,
  maxScale: 0,
  initialScale: 1,
  target: 100,
  targetUtilizationPercentage: 70,
  containerConcurrency: 0,
};

function numberOr(annotations: Record<string, string> | undefined, keys: readonly string[], fallback: number): number {
  const found = getAnnotation(annotations, keys);
  if (!found) return fallback;
  const n = Number(found[1]);
  return Number.isFinite(n) && found[1].trim() !== '' ? n : fallback;
}

/**
 * The scaling settings of a revision from its template annotations and containerConcurrency.
 * With a hard limit (containerConcurrency > 0) the soft target never exceeds it, as the
 * autoscaler's ResolveMetricTarget does (pkg/reconciler/autoscaling/resources/target.go).
 */
export function scalingSpecOf(
  annotations: Record<string, string> | undefined,
  containerConcurrency: number | undefined,
): ScalingSpec {
  const cc = containerConcurrency ?? 0;
  let target = numberOr(annotations, AutoscalingKeys.target, cc > 0 ? cc : SCALING_DEFAULTS.target);
  if (cc > 0) target = Math.min(target, cc);
  return {
    minScale: numberOr(annotations, AutoscalingKeys.minScale, SCALING_DEFAULTS.minScale),
    maxScale: numberOr(annotations, AutoscalingKeys.maxScale, SCALING_DEFAULTS.maxScale),
    initialScale: numberOr(annotations, AutoscalingKeys.initialScale, SCALING_DEFAULTS.initialScale),
    target,
    targetUtilizationPercentage: numberOr(
      annotations,
      AutoscalingKeys.targetUtilizationPercentage,
      SCALING_DEFAULTS.targetUtilizationPercentage,
    ),
    containerConcurrency: cc,
  };
}
