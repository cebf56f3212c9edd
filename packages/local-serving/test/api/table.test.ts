import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/contracts.js';
import { humanDuration, tableOf } from '../../src/api/table.js';

describe('humanDuration (as kubectl prints AGE)', () => {
  it.each([
    [5, '5s'],
    [119, '119s'],
    [150, '2m30s'],
    [600, '10m'],
    [3 * 3600 + 5 * 60, '3h5m'],
    [30 * 3600, '30h'],
    [3 * 86400 + 3600, '3d1h'],
    [100 * 86400, '100d'],
    [800 * 86400, '2y70d'],
  ])('%d s → %s', (seconds, expected) => expect(humanDuration(seconds)).toBe(expected));
});

describe('tableOf', () => {
  it('renders a revision with Knative printer columns from labels and status', () => {
    const revision = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Revision',
      metadata: { name: 'hello-00002', namespace: 'default', labels: { 'serving.knative.dev/configuration': 'hello', 'serving.knative.dev/configurationGeneration': '2' } },
      status: { actualReplicas: 0, desiredReplicas: 0, conditions: [{ type: 'Ready', status: 'False', reason: 'ExitCode1' }] },
    } as KubeObject;
    const table = tableOf('revisions', [revision], '7');
    expect(table.rows[0]!.cells).toEqual(['hello-00002', 'hello', '2', 'False', 'ExitCode1', '0', '0']);
    expect(table.rows[0]!.object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: revision.metadata });
    expect(table.metadata.resourceVersion).toBe('7');
  });
});
