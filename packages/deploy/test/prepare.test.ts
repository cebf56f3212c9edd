// prepareManifests over the repo's own manifests and small fixtures; the messages
// in the expectations are Knative's webhook messages (via @hands-on-knative/knative).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseManifests } from '@hands-on-knative/knative';
import { describe, expect, it } from 'vitest';
import { DeployError, loadManifests, prepareManifests } from '../src/index.js';

const repo = path.resolve(import.meta.dirname, '..', '..', '..');
const manifest = (file: string) => path.join(repo, 'manifests', file);
const local = { target: 'local-serving' as const };

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).exitCode).toBe(2);
    return (error as DeployError).message;
  }
  throw new Error('expected invalid input');
}

describe('prepareManifests', () => {
  it('accepts every helloworld step and sets the namespace', () => {
    for (const step of ['service-v1', 'service-v2', 'service-v3', 'traffic-pinned', 'traffic-split-80-20', 'traffic-split-50-50']) {
      const { objects, warnings } = prepareManifests(loadManifests([manifest(`helloworld/${step}.yaml`)]), { namespace: 'demo', images: local });
      expect(warnings).toEqual([]);
      expect(objects).toHaveLength(1);
      expect(objects[0]!.object.metadata.namespace).toBe('demo');
    }
  });

  it('converts the blog v1alpha1 runLatest with warnings that say what changed', () => {
    const { objects, warnings } = prepareManifests(loadManifests([manifest('legacy/service-runlatest.yaml')]), { namespace: 'default', images: local });
    expect(objects[0]!.object.apiVersion).toBe('serving.knative.dev/v1');
    expect(objects[0]!.object.spec).toMatchObject({ traffic: [{ latestRevision: true, percent: 100 }] });
    expect(warnings.join('\n')).toContain('spec.runLatest became spec.traffic');
    expect(warnings[0]).toMatch(/^.*service-runlatest\.yaml:\d+ \(document 1\): /);
  });

  it('refuses manual mode with the file, document and field', () => {
    const text = 'apiVersion: serving.knative.dev/v1alpha1\nkind: Service\nmetadata:\n  name: old\nspec:\n  manual: {}\n';
    const message = problemsOf(() => prepareManifests(parseManifests(text, 'old.yaml'), { namespace: 'default', images: local }));
    expect(message).toContain('old.yaml:1 (document 1): Service "old": spec.manual: manual mode cannot be migrated forward');
  });

  it('reports every problem of every document before any request', () => {
    const text = [
      'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      containers:\n        - image: hands-on-knative/helloworld\n  traffic:\n    - latestRevision: true\n      percent: 90\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n',
      'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  template:\n    spec:\n      containers:\n        - image: hands-on-knative/helloworld\n',
    ].join('---\n');
    const message = problemsOf(() => prepareManifests(parseManifests(text, 'many.yaml'), { namespace: 'default', images: { target: 'cluster' } }));
    expect(message).toMatch(/^4 problems found before sending anything/);
    expect(message).toContain('many.yaml:1 (document 1): Service "a": spec.traffic: Traffic targets sum to 90, want 100');
    expect(message).toContain('(document 2): Deployment "d": kind: apps/v1 Deployment is not something pnpm apply handles');
    expect(message).toContain('(document 3): Service "b": spec.template.spec.containers[0].image: "hands-on-knative/helloworld" is a placeholder');
  });

  it('refuses an explicit -n that disagrees with the manifest, as kubectl does', () => {
    const message = problemsOf(() => prepareManifests(loadManifests([manifest('twilio-sms/secret.example.yaml')]), { namespace: 'prod', namespaceFlag: true, images: local }));
    expect(message).toContain('the namespace from the provided object "default" does not match the namespace "prod"');
  });

  it('refuses the same object twice in one apply', () => {
    const message = problemsOf(() => prepareManifests(loadManifests([manifest('helloworld')]), { namespace: 'default', images: local }));
    expect(message).toContain('also in');
  });

  it('orders Secrets before the Services that read them', () => {
    const text = readFileSync(manifest('twilio-sms/service.yaml'), 'utf8') + '\n---\n' + readFileSync(manifest('twilio-sms/secret.example.yaml'), 'utf8');
    const { objects } = prepareManifests(parseManifests(text, 'twilio.yaml'), { namespace: 'default', images: local });
    expect(objects.map((o) => o.object.kind)).toEqual(['Secret', 'Service']);
  });
});
