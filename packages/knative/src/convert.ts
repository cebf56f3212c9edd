// The blog's serving.knative.dev/v1alpha1 forms, turned into v1 with the meaning Knative gave them
// (knative/serving pkg/apis/serving/v1alpha1/service_conversion.go, ServiceSpec.ConvertUp,
// and configuration_conversion.go / revision_conversion.go, before v1alpha1 was removed in 0.19).
import { SERVING_V1, SERVING_V1ALPHA1, type AnyObject, type TrafficTarget } from './types.js';

export interface ConversionResult {
  object: AnyObject;
  /** One line per thing converted; empty when the object was already v1. */
  warnings: string[];
}

/** A legacy form that has no v1 meaning (e.g. `manual`). */
export class LegacyConversionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'LegacyConversionError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Converts v1alpha1 Service/Configuration/Revision/Route to v1; other objects pass through unchanged. */
export function convertLegacy(input: AnyObject): ConversionResult {
  if (input.apiVersion !== SERVING_V1ALPHA1) return { object: input, warnings: [] };
  const object = structuredClone(input) as Obj;
  const name = isObj(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : '(unnamed)';
  const kind = typeof object.kind === 'string' ? object.kind : 'object';
  const warnings: string[] = [`${kind} ${JSON.stringify(name)}: converted ${SERVING_V1ALPHA1} to ${SERVING_V1} (v1alpha1 was removed in Knative 0.19)`];
  const note = (what: string) => warnings.push(`${kind} ${JSON.stringify(name)}: ${what}`);
  object.apiVersion = SERVING_V1;
  const spec = isObj(object.spec) ? object.spec : undefined;
  if (!spec) return { object, warnings };

  switch (kind) {
    case 'Service':
      object.spec = convertServiceSpec(spec, note);
      break;
    case 'Configuration':
      object.spec = convertConfigurationSpec(spec, 'spec', note);
      break;
    case 'Revision':
      object.spec = convertRevisionSpec(spec, 'spec', note);
      break;
    case 'Route':
      convertTraffic(spec, 'spec', note);
      break;
  }
  return { object, warnings };
}

function convertServiceSpec(spec: Obj, note: (what: string) => void): Obj {
  const modes = ['runLatest', 'release', 'pinned', 'manual'].filter((m) => spec[m] !== undefined);
  if (modes.length > 1) {
    throw new LegacyConversionError('spec', `expected exactly one of ${modes.join(', ')}, got ${modes.length}`);
  }
  const mode = modes[0];
  if (mode === 'manual') {
    throw new LegacyConversionError(
      'spec.manual',
      'manual mode cannot be migrated forward: it has no serving.knative.dev/v1 equivalent. ' +
        'Write spec.template and spec.traffic yourself (or use `pnpm traffic`), then apply again.',
    );
  }
  if (mode === undefined) {
    // Already v1beta1-shaped (template + traffic): only the field names changed.
    const out = convertConfigurationSpec(spec, 'spec', note);
    convertTraffic(out, 'spec', note);
    return out;
  }
  const block = isObj(spec[mode]) ? (spec[mode] as Obj) : {};
  const configuration = isObj(block.configuration) ? block.configuration : {};
  const out = convertConfigurationSpec(configuration, `spec.${mode}.configuration`, note);
  let traffic: TrafficTarget[];
  switch (mode) {
    case 'runLatest':
      traffic = [{ latestRevision: true, percent: 100 }];
      note('spec.runLatest became spec.traffic [{latestRevision: true, percent: 100}] (all traffic to the latest ready revision)');
      break;
    case 'pinned': {
      const revisionName = typeof block.revisionName === 'string' ? block.revisionName : '';
      if (!revisionName) throw new LegacyConversionError('spec.pinned.revisionName', 'missing field(s)');
      traffic = [{ revisionName, percent: 100 }];
      note(`spec.pinned became spec.traffic [{revisionName: ${revisionName}, percent: 100}]`);
      break;
    }
    default:
      traffic = releaseTraffic(block, note);
  }
  out.traffic = traffic;
  return out;
}

function releaseTraffic(release: Obj, note: (what: string) => void): TrafficTarget[] {
  const revisions = Array.isArray(release.revisions) ? release.revisions : [];
  if (revisions.length < 1 || revisions.length > 2 || !revisions.every((r) => typeof r === 'string' && r !== '')) {
    throw new LegacyConversionError('spec.release.revisions', 'expected one or two revision names (or "@latest")');
  }
  const rollout = release.rolloutPercent === undefined ? 0 : release.rolloutPercent;
  if (typeof rollout !== 'number' || !Number.isInteger(rollout) || rollout < 0 || rollout > 99) {
    throw new LegacyConversionError('spec.release.rolloutPercent', `expected 0 <= ${String(rollout)} <= 99`);
  }
  if (revisions.length === 1 && rollout !== 0) {
    throw new LegacyConversionError('spec.release.rolloutPercent', 'may not set rolloutPercent with a single revision');
  }
  const [current, candidate] = revisions as string[];
  const target = (ref: string, percent: number, tag: string): TrafficTarget =>
    ref === '@latest' ? { tag, latestRevision: true, percent } : { tag, revisionName: ref, percent };
  const traffic: TrafficTarget[] =
    candidate === undefined
      ? [target(current!, 100, 'current')]
      : [target(current!, 100 - rollout, 'current'), target(candidate, rollout, 'candidate')];
  // Knative adds a `latest` tag with no traffic so the newest revision always has a URL.
  traffic.push({ tag: 'latest', latestRevision: true, percent: 0 });
  const describe = (t: TrafficTarget) => `${t.latestRevision ? 'latestRevision' : t.revisionName} ${t.percent}% tag ${t.tag}`;
  note(
    `spec.release (revisions [${revisions.join(', ')}], rolloutPercent ${rollout}) became spec.traffic: ` +
      traffic.map(describe).join(', '),
  );
  return traffic;
}

function convertConfigurationSpec(spec: Obj, at: string, note: (what: string) => void): Obj {
  const out: Obj = { ...spec };
  if (out.revisionTemplate !== undefined) {
    out.template = out.revisionTemplate;
    delete out.revisionTemplate;
    note(`${at}.revisionTemplate became spec.template`);
  } else if (at !== 'spec' && out.template !== undefined) {
    note(`${at}.template became spec.template`);
  }
  if (isObj(out.template) && isObj(out.template.spec)) {
    out.template = { ...out.template, spec: convertRevisionSpec(out.template.spec, 'spec.template.spec', note) };
  }
  for (const dropped of ['build', 'generation']) {
    if (out[dropped] !== undefined) {
      delete out[dropped];
      note(`${at}.${dropped} was dropped (it has no v1 meaning)`);
    }
  }
  return out;
}

function convertRevisionSpec(spec: Obj, at: string, note: (what: string) => void): Obj {
  const out: Obj = { ...spec };
  if (out.container !== undefined) {
    if (Array.isArray(out.containers) && out.containers.length > 0) {
      throw new LegacyConversionError(at, 'expected exactly one, got both: container, containers');
    }
    out.containers = [out.container];
    delete out.container;
    note(`${at}.container became ${at}.containers[0]`);
  }
  if (out.concurrencyModel !== undefined) {
    const model = out.concurrencyModel;
    delete out.concurrencyModel;
    if (out.containerConcurrency === undefined) out.containerConcurrency = model === 'Single' ? 1 : 0;
    note(`${at}.concurrencyModel ${String(model)} became containerConcurrency ${String(out.containerConcurrency)}`);
  }
  for (const dropped of ['servingState', 'generation']) {
    if (out[dropped] !== undefined) {
      delete out[dropped];
      note(`${at}.${dropped} was dropped (it has no v1 meaning)`);
    }
  }
  return out;
}

function convertTraffic(spec: Obj, at: string, note: (what: string) => void): void {
  if (!Array.isArray(spec.traffic)) return;
  spec.traffic = spec.traffic.map((t: unknown, i: number) => {
    if (!isObj(t) || t.name === undefined) return t;
    const { name, ...rest } = t;
    note(`${at}.traffic[${i}].name became tag`);
    return { tag: name, ...rest };
  });
}
