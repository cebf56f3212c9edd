// Fixtures derived from Knative's own tests: knative/serving
// pkg/apis/serving/v1alpha1/service_conversion_test.go (TestServiceConversionFromDeprecated:
// "run latest", "release single", "release double" 22%, "release double w/ @latest" 37%,
// "pinned", and the `manual` error of service_conversion.go), with the image and names kept.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertLegacy, LegacyConversionError, parseManifests, validateObject } from '../src/index.js';

const template = {
  spec: { serviceAccountName: 'robocop', timeoutSeconds: 18, containerConcurrency: 53, container: { image: 'busybox' } },
};
const legacy = (spec: Record<string, unknown>) => ({
  apiVersion: 'serving.knative.dev/v1alpha1',
  kind: 'Service',
  metadata: { name: 'asdf', namespace: 'blah' },
  spec,
});
const v1Template = {
  spec: { serviceAccountName: 'robocop', timeoutSeconds: 18, containerConcurrency: 53, containers: [{ image: 'busybox' }] },
};

describe('convertLegacy (Knative fixture: TestServiceConversionFromDeprecated)', () => {
  it('run latest: 100% to the latest revision, revisionTemplate -> template, container -> containers', () => {
    const { object, warnings } = convertLegacy(legacy({ runLatest: { configuration: { revisionTemplate: template } } }));
    expect(object.apiVersion).toBe('serving.knative.dev/v1');
    expect(object.spec).toEqual({ template: v1Template, traffic: [{ latestRevision: true, percent: 100 }] });
    expect(warnings.join('\n')).toMatch(/runLatest became spec.traffic/);
    expect(warnings.join('\n')).toMatch(/container became spec.template.spec.containers\[0\]/);
    expect(validateObject(object)).toEqual([]);
  });

  it('release single: current at 100 plus a latest tag without traffic', () => {
    const { object } = convertLegacy(legacy({ release: { revisions: ['asdf-00001'], configuration: { revisionTemplate: template } } }));
    expect((object.spec as { traffic: unknown }).traffic).toEqual([
      { tag: 'current', revisionName: 'asdf-00001', percent: 100 },
      { tag: 'latest', latestRevision: true, percent: 0 },
    ]);
  });

  it('release double: current at 100 - rolloutPercent, candidate at rolloutPercent', () => {
    const { object, warnings } = convertLegacy(
      legacy({ release: { revisions: ['asdf-00001', 'asdf-00002'], rolloutPercent: 22, configuration: { revisionTemplate: template } } }),
    );
    expect((object.spec as { traffic: unknown }).traffic).toEqual([
      { tag: 'current', revisionName: 'asdf-00001', percent: 78 },
      { tag: 'candidate', revisionName: 'asdf-00002', percent: 22 },
      { tag: 'latest', latestRevision: true, percent: 0 },
    ]);
    expect(warnings.some((w) => w.includes('rolloutPercent 22') && w.includes('asdf-00001 78% tag current'))).toBe(true);
    expect(validateObject(object)).toEqual([]);
  });

  it('release double with @latest: "@latest" means latestRevision: true', () => {
    const { object } = convertLegacy(
      legacy({ release: { revisions: ['asdf-00001', '@latest'], rolloutPercent: 37, configuration: { revisionTemplate: template } } }),
    );
    expect((object.spec as { traffic: unknown }).traffic).toEqual([
      { tag: 'current', revisionName: 'asdf-00001', percent: 63 },
      { tag: 'candidate', latestRevision: true, percent: 37 },
      { tag: 'latest', latestRevision: true, percent: 0 },
    ]);
  });

  it('pinned: that revision at 100%', () => {
    const { object } = convertLegacy(legacy({ pinned: { revisionName: 'asdf-00001', configuration: { revisionTemplate: template } } }));
    expect((object.spec as { traffic: unknown }).traffic).toEqual([{ revisionName: 'asdf-00001', percent: 100 }]);
  });

  it('manual is refused with a clear message (ConvertErrorf("manual", "manual mode cannot be migrated forward."))', () => {
    expect(() => convertLegacy(legacy({ manual: {} }))).toThrow(LegacyConversionError);
    expect(() => convertLegacy(legacy({ manual: {} }))).toThrow(/^spec.manual: manual mode cannot be migrated forward/);
  });

  it('rejects release forms Knative could not express', () => {
    expect(() => convertLegacy(legacy({ release: { revisions: [] } }))).toThrow(/spec.release.revisions/);
    expect(() => convertLegacy(legacy({ release: { revisions: ['a-1', 'a-2'], rolloutPercent: 100 } }))).toThrow(/expected 0 <= 100 <= 99/);
  });

  it('leaves v1 objects alone and converts the v1alpha1 Configuration, Revision and Route forms', () => {
    const v1 = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'x' } };
    expect(convertLegacy(v1)).toEqual({ object: v1, warnings: [] });
    const config = convertLegacy({
      apiVersion: 'serving.knative.dev/v1alpha1',
      kind: 'Configuration',
      metadata: { name: 'c' },
      spec: { revisionTemplate: { spec: { container: { image: 'busybox' }, concurrencyModel: 'Single' } } },
    });
    expect(config.object.spec).toEqual({ template: { spec: { containers: [{ image: 'busybox' }], containerConcurrency: 1 } } });
    const route = convertLegacy({
      apiVersion: 'serving.knative.dev/v1alpha1',
      kind: 'Route',
      metadata: { name: 'r' },
      spec: { traffic: [{ name: 'v1', revisionName: 'c-00001', percent: 100 }] },
    });
    expect(route.object.spec).toEqual({ traffic: [{ tag: 'v1', revisionName: 'c-00001', percent: 100 }] });
  });
});

describe('the blog manifests in manifests/legacy', () => {
  const load = (name: string) => {
    const file = new URL(`../../../manifests/legacy/${name}`, import.meta.url);
    const [doc] = parseManifests(readFileSync(file, 'utf8'), `manifests/legacy/${name}`);
    return doc!.object;
  };

  it('runLatest converts to a valid v1 Service routing 100% to the latest revision', () => {
    const object = load('service-runlatest.yaml');
    expect(validateObject(object)[0]?.message).toMatch(/no matches for kind "Service" in version "serving.knative.dev\/v1alpha1"/);
    const { object: v1, warnings } = convertLegacy(object);
    expect(validateObject(v1)).toEqual([]);
    expect(v1.spec).toMatchObject({
      template: { spec: { containers: [{ image: 'hands-on-knative/helloworld', env: [{ name: 'TARGET', value: 'v1' }] }] } },
      traffic: [{ latestRevision: true, percent: 100 }],
    });
    expect(warnings.length).toBeGreaterThan(1);
  });

  it('release with two revisions and rolloutPercent 20 becomes current 80 / candidate 20 / latest 0', () => {
    const { object } = convertLegacy(load('service-release.yaml'));
    expect(validateObject(object)).toEqual([]);
    expect((object.spec as { traffic: unknown }).traffic).toEqual([
      { tag: 'current', revisionName: 'helloworld-00001', percent: 80 },
      { tag: 'candidate', revisionName: 'helloworld-00002', percent: 20 },
      { tag: 'latest', latestRevision: true, percent: 0 },
    ]);
  });
});
