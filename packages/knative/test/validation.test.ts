// Fixtures derived from Knative's own validation tests and messages: knative/serving
// pkg/apis/serving/v1/route_validation_test.go, service_validation_test.go,
// revision_validation_test.go, pkg/apis/serving/k8s_validation_test.go and
// pkg/apis/autoscaling/annotation_validation_test.go (inputs re-expressed as YAML-shaped objects).
import { describe, expect, it } from 'vitest';
import { formatFieldErrors, validateObject, webhookDenialMessage, type AnyObject, type TrafficTarget } from '../src/index.js';

function service(overrides: { template?: Record<string, unknown>; traffic?: TrafficTarget[]; metadata?: Record<string, unknown> } = {}): AnyObject {
  const template = overrides.template ?? { spec: { containers: [{ image: 'busybox' }] } };
  const spec: Record<string, unknown> = { template };
  if (overrides.traffic) spec.traffic = overrides.traffic;
  return { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'valid', ...overrides.metadata }, spec };
}
const withContainer = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  service({ template: { spec: { containers: [{ image: 'busybox', ...container }], ...extra } } });
const messages = (o: AnyObject, previous?: AnyObject) => validateObject(o, previous).map((e) => `${e.message}: ${e.field}`);

describe('traffic (route_validation.go)', () => {
  it('accepts a valid split, and an empty list (defaults to 100% latest)', () => {
    expect(validateObject(service())).toEqual([]);
    expect(
      validateObject(service({ traffic: [{ tag: 'current', revisionName: 'valid-00001', percent: 90 }, { tag: 'latest', latestRevision: true, percent: 10 }] })),
    ).toEqual([]);
  });

  it('"Traffic targets sum to %d, want 100"', () => {
    expect(messages(service({ traffic: [{ revisionName: 'valid-00001', percent: 50 }, { latestRevision: true, percent: 40 }] }))).toEqual([
      'Traffic targets sum to 90, want 100: spec.traffic',
    ]);
  });

  it('duplicate tags: "Multiple definitions for %q" naming both targets', () => {
    expect(
      messages(service({ traffic: [{ tag: 'foo', revisionName: 'valid-00001', percent: 50 }, { tag: 'foo', latestRevision: true, percent: 50 }] })),
    ).toEqual(['Multiple definitions for "foo": spec.traffic[1].tag, spec.traffic[0].tag']);
  });

  it('revisionName xor latestRevision', () => {
    expect(messages(service({ traffic: [{ revisionName: 'valid-00001', latestRevision: true, percent: 100 }] }))).toEqual([
      'may not set revisionName "valid-00001" when latestRevision is true: spec.traffic[0].latestRevision',
    ]);
    expect(messages(service({ traffic: [{ latestRevision: false, percent: 100 }] }))).toEqual([
      'may not set revisionName "" when latestRevision is false: spec.traffic[0].latestRevision',
    ]);
  });

  it('percent must be within 0..100, and configurationName is not allowed inside a Service', () => {
    expect(messages(service({ traffic: [{ revisionName: 'valid-00001', percent: 101 }] }))).toEqual([
      'expected 0 <= 101 <= 100: spec.traffic[0].percent',
      'Traffic targets sum to 101, want 100: spec.traffic',
    ]);
    expect(messages(service({ traffic: [{ configurationName: 'valid', percent: 100 }] }))).toEqual([
      'must not set the field(s): spec.traffic[0].configurationName',
    ]);
  });

  it('tags must be DNS-1035 labels, and url is not allowed in spec', () => {
    const errs = validateObject(service({ traffic: [{ tag: 'Bad_Tag', latestRevision: true, percent: 100, url: 'http://x' }] }));
    expect(errs.map((e) => e.field)).toEqual(['spec.traffic[0].url', 'spec.traffic[0].tag']);
    expect(errs[1]!.message).toMatch(/^invalid value: not a DNS 1035 label: \[a DNS-1035 label must consist of/);
  });

  it('a Route needs revisionName or configurationName', () => {
    const route = { apiVersion: 'serving.knative.dev/v1', kind: 'Route', metadata: { name: 'r' }, spec: { traffic: [{ percent: 100 }] } };
    expect(messages(route)).toEqual(['expected exactly one, got neither: spec.traffic[0].revisionName, spec.traffic[0].configurationName']);
    const both = { ...route, spec: { traffic: [{ revisionName: 'a', configurationName: 'b', latestRevision: false, percent: 100 }] } };
    expect(messages(both)).toEqual(['expected exactly one, got both: spec.traffic[0].revisionName, spec.traffic[0].configurationName']);
  });
});

describe('revision template (revision_validation.go, k8s_validation.go)', () => {
  it('BYO name: must have the service prefix, and be a DNS-1035 label', () => {
    expect(messages(service({ template: { metadata: { name: 'foo' }, spec: { containers: [{ image: 'busybox' }] } } }))).toEqual([
      'invalid value: "foo" must have prefix "valid-": spec.template.metadata.name',
    ]);
    expect(validateObject(service({ template: { metadata: { name: 'valid-v1' }, spec: { containers: [{ image: 'busybox' }] } } }))).toEqual([]);
    const bad = validateObject(service({ template: { metadata: { name: 'valid-V1' }, spec: { containers: [{ image: 'busybox' }] } } }));
    expect(bad[0]!.field).toBe('spec.template.metadata.name');
    expect(bad[0]!.message).toMatch(/^invalid value: not a DNS 1035 label: \[/);
  });

  it('no template change without a name change, with the diff as details', () => {
    const before = service({ template: { metadata: { name: 'valid-v1' }, spec: { containers: [{ image: 'busybox', env: [{ name: 'TARGET', value: 'v1' }] }] } } });
    const after = service({ template: { metadata: { name: 'valid-v1' }, spec: { containers: [{ image: 'busybox', env: [{ name: 'TARGET', value: 'v2' }] }] } } });
    const errs = validateObject(after, before);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ field: 'spec.template.metadata.name', message: 'Saw the following changes without a name change (-old +new)' });
    expect(errs[0]!.details).toContain('spec.containers[0].env[0].value:\n\t-: "v1"\n\t+: "v2"');
    // Renaming, dropping the name, or only changing traffic is fine.
    const renamed = service({ template: { metadata: { name: 'valid-v2' }, spec: { containers: [{ image: 'busybox', env: [{ name: 'TARGET', value: 'v2' }] }] } } });
    expect(validateObject(renamed, before)).toEqual([]);
    expect(validateObject(before, before)).toEqual([]);
  });

  it('reserved env vars: "%q is a reserved environment variable"', () => {
    for (const name of ['PORT', 'K_SERVICE', 'K_CONFIGURATION', 'K_REVISION']) {
      expect(messages(withContainer({ env: [{ name, value: 'x' }] }))).toEqual([
        `${JSON.stringify(name)} is a reserved environment variable: spec.template.spec.containers[0].env[0].name`,
      ]);
    }
    expect(validateObject(withContainer({ env: [{ name: 'TARGET', value: 'x' }] }))).toEqual([]);
  });

  it('reserved ports: "%d is a reserved port"', () => {
    for (const port of [8012, 8013, 8022, 9090, 9091, 8008]) {
      const errs = validateObject(withContainer({ ports: [{ containerPort: port }] }));
      expect(errs).toHaveLength(1);
      expect(errs[0]).toMatchObject({
        field: 'spec.template.spec.containers[0].ports[0].containerPort',
        message: `invalid value: ${port} is a reserved port`,
        details: `${port} is a reserved port, please use a different value`,
      });
    }
    expect(validateObject(withContainer({ ports: [{ containerPort: 8080 }] }))).toEqual([]);
    expect(messages(withContainer({ ports: [{ containerPort: 8080, name: 'grpc' }] }))).toEqual([
      'Port name grpc is not allowed: spec.template.spec.containers[0].ports[0]',
    ]);
  });

  it('timeoutSeconds within 0..600 and containerConcurrency within 0..1000', () => {
    expect(messages(withContainer({}, { timeoutSeconds: 601 }))).toEqual(['expected 0 <= 601 <= 600: spec.template.spec.timeoutSeconds']);
    expect(messages(withContainer({}, { timeoutSeconds: -1 }))).toEqual(['expected 0 <= -1 <= 600: spec.template.spec.timeoutSeconds']);
    expect(validateObject(withContainer({}, { timeoutSeconds: 600, containerConcurrency: 0 }))).toEqual([]);
    expect(messages(withContainer({}, { containerConcurrency: -1 }))).toEqual(['expected 0 <= -1 <= 1000: spec.template.spec.containerConcurrency']);
  });

  it('a container needs an image; containers are required; queue-proxy is reserved', () => {
    expect(messages(service({ template: { spec: { containers: [{ name: 'x' }] } } }))).toEqual([
      'missing field(s): spec.template.spec.containers[0].image',
    ]);
    expect(messages(service({ template: { spec: {} } }))).toEqual(['missing field(s): spec.template.spec.containers']);
    expect(messages(withContainer({ name: 'queue-proxy' }))).toEqual(['"queue-proxy" is a reserved container name: spec.template.spec.containers[0].name']);
  });

  it('autoscaling annotations (annotation_validation.go)', () => {
    const annotated = (annotations: Record<string, string>) =>
      service({ template: { metadata: { annotations }, spec: { containers: [{ image: 'busybox' }] } } });
    const at = 'spec.template.metadata.annotations.';
    expect(validateObject(annotated({ 'autoscaling.knative.dev/min-scale': '1', 'autoscaling.knative.dev/max-scale': '3' }))).toEqual([]);
    expect(validateObject(annotated({ 'autoscaling.knative.dev/minScale': '1' }))).toEqual([]);
    expect(messages(annotated({ 'autoscaling.knative.dev/min-scale': '3', 'autoscaling.knative.dev/max-scale': '2' }))).toEqual([
      `max-scale=2 is less than min-scale=3: ${at}autoscaling.knative.dev/max-scale, ${at}autoscaling.knative.dev/min-scale`,
    ]);
    expect(messages(annotated({ 'autoscaling.knative.dev/min-scale': '-1' }))).toEqual([
      `expected 0 <= -1 <= 2147483647: ${at}autoscaling.knative.dev/min-scale`,
    ]);
    expect(messages(annotated({ 'autoscaling.knative.dev/maxScale': 'many' }))).toEqual([`invalid value: many: ${at}autoscaling.knative.dev/maxScale`]);
    expect(messages(annotated({ 'autoscaling.knative.dev/target': '0' }))).toEqual([`target 0 should be at least 0.01: ${at}autoscaling.knative.dev/target`]);
    expect(messages(annotated({ 'autoscaling.knative.dev/target-utilization-percentage': '101' }))).toEqual([
      `expected 1 <= 101 <= 100: ${at}autoscaling.knative.dev/target-utilization-percentage`,
    ]);
    expect(messages(annotated({ 'autoscaling.knative.dev/window': '5s' }))).toEqual([`expected 6s <= 5s <= 1h0m0s: ${at}autoscaling.knative.dev/window`]);
    expect(messages(annotated({ 'autoscaling.knative.dev/metric': 'cpu' }))).toEqual([`invalid value: cpu: ${at}autoscaling.knative.dev/metric`]);
    expect(messages(annotated({ 'autoscaling.knative.dev/class': 'foo.knative.dev' }))).toEqual([
      `invalid value: foo.knative.dev: ${at}autoscaling.knative.dev/class`,
    ]);
  });

  it('autoscaling annotations on the Service itself are refused (ValidateHasNoAutoscalingAnnotation)', () => {
    expect(messages(service({ metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '1' } } }))).toEqual([
      'invalid key name "autoscaling.knative.dev/min-scale": metadata.annotations',
    ]);
  });
});

describe('metadata and schema', () => {
  it('names are DNS-1035 labels, namespaces DNS-1123 labels; a name is required', () => {
    const errs = validateObject(service({ metadata: { name: 'Hello_World', namespace: 'Bad NS' } }));
    expect(errs.map((e) => e.field)).toEqual(['metadata.name', 'metadata.namespace']);
    expect(errs[0]!.message).toMatch(/^not a DNS 1035 label: \[a DNS-1035 label must consist of lower case alphanumeric characters/);
    expect(messages(service({ metadata: { name: '' } }))).toEqual(['name or generateName is required: metadata.name']);
    expect(messages(service({ metadata: { name: '1abc' } }))[0]).toMatch(/^not a DNS 1035 label/);
  });

  it('labels in serving.knative.dev are the platform\'s', () => {
    expect(messages(service({ metadata: { labels: { 'serving.knative.dev/service': 'x' } } }))).toEqual([
      'invalid key name "serving.knative.dev/service": metadata.labels',
    ]);
    expect(validateObject(service({ metadata: { labels: { 'networking.knative.dev/visibility': 'cluster-local', app: 'x' } } }))).toEqual([]);
  });

  it('schema errors name the field', () => {
    const bad = service({ traffic: [{ latestRevision: true, percent: '100' as unknown as number }] });
    expect(validateObject(bad)).toEqual([
      {
        field: 'spec.traffic[0].percent',
        message: 'Invalid value: "string": spec.traffic[0].percent in body must be of type integer: "string"',
      },
    ]);
    const env = withContainer({ env: [{ name: 'TARGET', value: 1 }] });
    expect(validateObject(env)[0]!.field).toBe('spec.template.spec.containers[0].env[0].value');
    expect(messages({ ...service(), spec: { runLatest: {} } })).toEqual(['unknown field "spec.runLatest": spec.runLatest']);
  });

  it('Configuration: template rules with the configuration as parent, service label needs the owner', () => {
    const config = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Configuration',
      metadata: { name: 'cfg', labels: { 'serving.knative.dev/service': 'svc' } },
      spec: { template: { metadata: { name: 'other-1' }, spec: { containers: [{ image: 'busybox' }] } } },
    };
    expect(messages(config)).toEqual([
      'missing field(s): metadata.labels.serving.knative.dev/service',
      'invalid value: "other-1" must have prefix "cfg-": spec.template.metadata.name',
    ]);
  });

  it('Revision specs are immutable', () => {
    const rev = { apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata: { name: 'r-00001' }, spec: { containers: [{ image: 'a' }] } };
    expect(validateObject(rev)).toEqual([]);
    expect(messages({ ...rev, spec: { containers: [{ image: 'b' }] } }, rev)).toEqual(['Immutable fields changed (-old +new): spec']);
  });

  it('formats errors as the webhook does', () => {
    const errs = validateObject(service({ traffic: [{ latestRevision: true, percent: 50 }] }));
    expect(formatFieldErrors(errs)).toBe('Traffic targets sum to 50, want 100: spec.traffic');
    expect(webhookDenialMessage(errs)).toBe(
      'admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: Traffic targets sum to 50, want 100: spec.traffic',
    );
  });
});
