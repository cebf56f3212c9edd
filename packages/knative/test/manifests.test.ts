import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManifestError, parseManifests, validateObject, type AnyObject } from '../src/index.js';

describe('parseManifests', () => {
  it('returns each document with its file, index and line, skipping empty ones and expanding Lists', () => {
    const text = [
      '# a comment',
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: a}',
      '---',
      '---',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - {apiVersion: v1, kind: Secret, metadata: {name: b}}',
      '  - {apiVersion: v1, kind: Secret, metadata: {name: c}}',
    ].join('\n');
    const docs = parseManifests(text, 'secrets.yaml');
    expect(docs.map((d) => (d.object.metadata as { name: string }).name)).toEqual(['a', 'b', 'c']);
    expect(docs.map((d) => d.index)).toEqual([0, 2, 2]);
    expect(docs[0]).toMatchObject({ file: 'secrets.yaml', line: 2 });
    expect(docs[1]).toMatchObject({ line: 7 });
  });

  it('reports YAML errors as file:line:column', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n';
    expect(() => parseManifests(text, 'bad.yaml')).toThrow(ManifestError);
    try {
      parseManifests(text, 'bad.yaml');
    } catch (e) {
      expect((e as ManifestError).message).toMatch(/^bad\.yaml:\d+:\d+: /);
      expect((e as ManifestError).line).toBeGreaterThanOrEqual(4);
    }
  });

  it('refuses a document that is not an object, naming where it is', () => {
    expect(() => parseManifests('kind: Service\n---\n- a list\n', 'x.yaml')).toThrow(/^x\.yaml:3:1: document 2 is not a Kubernetes object/);
  });

  it('returns nothing for an empty file', () => {
    expect(parseManifests('', 'empty.yaml')).toEqual([]);
    expect(parseManifests('# only a comment\n', 'empty.yaml')).toEqual([]);
  });
});

describe('manifests/helloworld (the tutorial steps as serving.knative.dev/v1)', () => {
  const dir = new URL('../../../manifests/helloworld/', import.meta.url);
  const load = (name: string): AnyObject => {
    const docs = parseManifests(readFileSync(new URL(name, dir), 'utf8'), `manifests/helloworld/${name}`);
    expect(docs).toHaveLength(1);
    return docs[0]!.object;
  };
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

  it('has every step', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'service-v1.yaml',
        'service-v2.yaml',
        'service-v3.yaml',
        'traffic-pinned.yaml',
        'traffic-split-80-20.yaml',
        'traffic-split-50-50.yaml',
      ]),
    );
  });

  it.each(files)('%s is a valid Knative Service named helloworld', (file) => {
    const object = load(file);
    expect(object).toMatchObject({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'helloworld' } });
    expect(validateObject(object)).toEqual([]);
  });

  const env = (o: AnyObject) => (o.spec as { template: { spec: { containers: { env: unknown; image: string }[] } } }).template.spec.containers[0]!;
  const template = (o: AnyObject) => (o.spec as { template: unknown }).template;
  const traffic = (o: AnyObject) => (o.spec as { traffic?: unknown }).traffic;

  it('v2 changes only TARGET, v3 changes the template again, and each applies as an update of the previous step', () => {
    const [v1, v2, v3] = ['service-v1.yaml', 'service-v2.yaml', 'service-v3.yaml'].map(load) as [AnyObject, AnyObject, AnyObject];
    expect(env(v1).env).toEqual([{ name: 'TARGET', value: 'v1' }]);
    expect(env(v2).env).toEqual([{ name: 'TARGET', value: 'v2' }]);
    expect(env(v2).image).toBe(env(v1).image);
    expect(template(v3)).not.toEqual(template(v2));
    expect(validateObject(v2, v1)).toEqual([]);
    expect(validateObject(v3, v2)).toEqual([]);
  });

  it('the traffic steps keep the v3 template (no new revision) and split with the current/candidate tags', () => {
    const v3 = load('service-v3.yaml');
    for (const file of ['traffic-pinned.yaml', 'traffic-split-80-20.yaml', 'traffic-split-50-50.yaml']) {
      expect(template(load(file))).toEqual(template(v3));
    }
    expect(traffic(load('traffic-pinned.yaml'))).toEqual([
      { tag: 'current', revisionName: 'helloworld-00001', percent: 100 },
      { tag: 'latest', latestRevision: true, percent: 0 },
    ]);
    expect(traffic(load('traffic-split-80-20.yaml'))).toEqual([
      { tag: 'current', revisionName: 'helloworld-00001', percent: 80 },
      { tag: 'candidate', revisionName: 'helloworld-00003', percent: 20 },
      { tag: 'latest', latestRevision: true, percent: 0 },
    ]);
    expect(traffic(load('traffic-split-50-50.yaml'))).toEqual([
      { tag: 'current', revisionName: 'helloworld-00001', percent: 50 },
      { tag: 'candidate', revisionName: 'helloworld-00003', percent: 50 },
      { tag: 'latest', latestRevision: true, percent: 0 },
    ]);
  });
});
