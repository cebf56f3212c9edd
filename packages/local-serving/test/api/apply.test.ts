import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/contracts.js';
import { serverSideApply } from '../../src/api/apply.js';
import { ApiError } from '../../src/api/status.js';
import { fromFieldsV1, managedFieldsAfterUpdate, type ManagedFieldsEntry } from '../../src/store/index.js';

const apiVersion = 'serving.knative.dev/v1';
const now = '2026-01-01T00:00:00Z';

const svc = (spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject => ({
  apiVersion,
  kind: 'Service',
  metadata: { name: 's', namespace: 'default', ...(labels ? { labels } : {}) },
  spec,
});

function apply(live: KubeObject | undefined, config: KubeObject, manager: string, force = false): KubeObject {
  const result = serverSideApply({ live, config, manager, force, apiVersion, now });
  return { ...result.object, metadata: { ...result.object.metadata, managedFields: result.managedFields } };
}

const owned = (object: KubeObject, manager: string): string[] => {
  const entry = (object.metadata.managedFields as ManagedFieldsEntry[]).find((m) => m.manager === manager);
  return entry ? [...fromFieldsV1(entry.fieldsV1)].map((p) => JSON.parse(p).join('.')).sort() : [];
};

const traffic = (percentA: number) => ({
  traffic: [
    { revisionName: 's-00001', percent: percentA },
    { latestRevision: true, percent: 100 - percentA },
  ],
});

describe('serverSideApply', () => {
  it('gives the applier every field it sets, lists as one atomic field', () => {
    const created = apply(undefined, svc({ template: { spec: { containers: [{ image: 'a' }] } }, ...traffic(100) }, { app: 'x' }), 'alice');
    expect(owned(created, 'alice')).toEqual(['metadata.labels.app', 'spec.template.spec.containers', 'spec.traffic']);
  });

  it('refuses to change a list another manager owns (naming it), unless forced; then the forcer owns the whole list', () => {
    const live = apply(undefined, svc(traffic(100)), 'alice');
    let error: unknown;
    try {
      apply(live, svc(traffic(50)), 'bob');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(409);
    expect((error as ApiError).message).toBe('Apply failed with 1 conflict: conflict with "alice" using serving.knative.dev/v1: .spec.traffic');
    expect((error as ApiError).details?.causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "alice" using serving.knative.dev/v1', field: '.spec.traffic' }]);
    const forced = apply(live, svc(traffic(50)), 'bob', true);
    expect((forced.spec as any).traffic[0].percent).toBe(50);
    expect(owned(forced, 'bob')).toEqual(['spec.traffic']);
    expect(owned(forced, 'alice')).toEqual([]);
  });

  it('lets two managers share a field when they apply the same value', () => {
    const live = apply(undefined, svc(traffic(100)), 'alice');
    const shared = apply(live, svc(traffic(100)), 'bob');
    expect(owned(shared, 'alice')).toEqual(['spec.traffic']);
    expect(owned(shared, 'bob')).toEqual(['spec.traffic']);
  });

  it('removes a field its manager stops applying, but keeps fields other managers own', () => {
    const first = apply(undefined, svc({ template: { spec: { containers: [{ image: 'a' }] } } }, { app: 'x', old: 'y' }), 'alice');
    const withBob = apply(first, { ...svc({}), metadata: { name: 's', namespace: 'default', labels: { team: 'b' } } }, 'bob');
    const second = apply(withBob, svc({ template: { spec: { containers: [{ image: 'a' }] } } }, { app: 'x' }), 'alice');
    expect(second.metadata.labels).toEqual({ app: 'x', team: 'b' });
  });

  it('conflicts with fields a non-apply writer (operation Update) changed', () => {
    const created: KubeObject = svc({ template: { spec: { containers: [{ image: 'a' }] } } });
    created.metadata.managedFields = managedFieldsAfterUpdate(undefined, created, 'kubectl-client-side-apply', apiVersion, now);
    expect(() => apply(created, svc({ template: { spec: { containers: [{ image: 'b' }] } } }), 'kubectl')).toThrow(
      'conflict with "kubectl-client-side-apply"',
    );
  });

  it('takes over, without conflict, what `kubectl apply` (client-side) set, as its last-applied annotation shows', () => {
    const config = svc({ template: { spec: { containers: [{ image: 'a' }] } } });
    const created: KubeObject = { ...config, metadata: { ...config.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(config) } } };
    created.metadata.managedFields = managedFieldsAfterUpdate(undefined, created, 'kubectl-client-side-apply', apiVersion, now);
    const applied = apply(created, svc({ template: { spec: { containers: [{ image: 'b' }] } } }), 'kubectl');
    expect((applied.spec as any).template.spec.containers[0].image).toBe('b');
    expect(owned(applied, 'kubectl')).toEqual(['spec.template.spec.containers']);
    expect(owned(applied, 'kubectl-client-side-apply')).not.toContain('spec.template.spec.containers');
  });

  it('ignores status and server-owned metadata in the applied configuration', () => {
    const config = { ...svc(traffic(100)), status: { url: 'x' }, metadata: { name: 's', namespace: 'default', uid: 'fake', resourceVersion: '9' } };
    const applied = apply(undefined, config, 'alice');
    expect(applied.status).toBeUndefined();
    expect(applied.metadata.uid).toBeUndefined();
  });
});
