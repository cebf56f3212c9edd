// Fixtures shaped like what Knative Serving's API returns (knative/serving
// pkg/apis/serving/v1 types; labels from pkg/apis/serving/register.go).
import { describe, expect, it } from 'vitest';
import { availableAt, buildStatusReport, currentTraffic, formatStatusReport, revisionStates, servingSummary, trafficLines, unreadyTargets, withoutSecretValues } from '../src/index.js';

const ready = (status = 'True', reason?: string, message?: string) => [{ type: 'Ready', status, ...(reason ? { reason } : {}), ...(message ? { message } : {}) }];
const revision = (name: string, generation: number, conditions = ready()) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Revision',
  metadata: { name, labels: { 'serving.knative.dev/service': 'helloworld', 'serving.knative.dev/configuration': 'helloworld', 'serving.knative.dev/configurationGeneration': String(generation) } },
  status: { conditions, actualReplicas: 1, desiredReplicas: 1 },
});
const service = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'helloworld', namespace: 'default', generation: 5 },
  spec: { traffic: [{ tag: 'current', revisionName: 'helloworld-00001', percent: 80 }, { tag: 'candidate', revisionName: 'helloworld-00003', percent: 20 }, { tag: 'latest', latestRevision: true, percent: 0 }] },
  status: {
    observedGeneration: 5,
    conditions: ready(),
    url: 'http://helloworld.default.example.com',
    latestCreatedRevisionName: 'helloworld-00004',
    latestReadyRevisionName: 'helloworld-00003',
    traffic: [
      { tag: 'current', revisionName: 'helloworld-00001', percent: 80, url: 'http://current-helloworld.default.example.com' },
      { tag: 'candidate', revisionName: 'helloworld-00003', percent: 20, url: 'http://candidate-helloworld.default.example.com' },
      { tag: 'latest', revisionName: 'helloworld-00003', latestRevision: true, percent: 0, url: 'http://latest-helloworld.default.example.com' },
    ],
  },
};
const failed = revision('helloworld-00004', 4, ready('False', 'ContainerMissing', 'Unable to fetch image "x"'));
const revisions = [revision('helloworld-00001', 1), revision('helloworld-00003', 3), failed, revision('helloworld-00002', 2)];

describe('status report', () => {
  const report = buildStatusReport({ namespace: 'default', services: [service], configurations: [], revisions, routes: [], pods: [], nowMs: 0 });

  it('gives each revision its share of the traffic, tags and URLs, newest first', () => {
    expect(report.revisions.map((r) => [r.name, r.traffic, r.tags, r.latest])).toEqual([
      ['helloworld-00004', 0, [], true],
      ['helloworld-00003', 20, ['candidate', 'latest'], false],
      ['helloworld-00002', 0, [], false],
      ['helloworld-00001', 80, ['current'], false],
    ]);
    expect(report.revisions[1]!.urls).toEqual(['http://candidate-helloworld.default.example.com', 'http://latest-helloworld.default.example.com']);
  });

  it('lists failing conditions with reason and message', () => {
    expect(report.problems).toEqual([{ kind: 'revision.serving.knative.dev', name: 'helloworld-00004', condition: 'Ready', reason: 'ContainerMissing', message: 'Unable to fetch image "x"' }]);
    const text = formatStatusReport(report).join('\n');
    expect(text).toMatch(/^NAME\s+URL\s+LATESTCREATED\s+LATESTREADY\s+READY\s+REASON$/m);
    expect(text).toMatch(/^revision\.serving\.knative\.dev\/helloworld-00001\s+helloworld\s+1\s+True\s+1\s+1\s+80%\s+current$/m);
    expect(text).toContain('  revision.serving.knative.dev/helloworld-00004 Ready: ContainerMissing: Unable to fetch image "x"');
    expect(text).toContain('  candidate -> helloworld-00003: http://candidate-helloworld.default.example.com');
  });

  it('prints kn lines for the URL and the split', () => {
    expect(availableAt(service, 'created')).toEqual(["Service 'helloworld' created to latest revision 'helloworld-00003' is available at URL:", 'http://helloworld.default.example.com']);
    expect(availableAt(service, 'unchanged')[0]).toBe("Service 'helloworld' with latest revision 'helloworld-00003' (unchanged) is available at URL:");
    expect(servingSummary(service)).toBe('helloworld-00001 80%, helloworld-00003 20%');
    expect(trafficLines(service)[1]).toBe('   80%  helloworld-00001  tag current: http://current-helloworld.default.example.com');
  });

  it('never prints Secret values', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 't' }, data: { a: 'c2VjcmV0' }, stringData: { b: 'secret' } };
    expect(withoutSecretValues(secret)).toMatchObject({ data: { a: '(redacted)' }, stringData: { b: '(redacted)' } });
    expect(secret.data.a).toBe('c2VjcmV0');
  });
});

describe('traffic targets', () => {
  const states = revisionStates(revisions);

  it('orders revisions by configuration generation', () => {
    expect(states.map((s) => s.name)).toEqual(['helloworld-00001', 'helloworld-00002', 'helloworld-00003', 'helloworld-00004']);
  });

  it('refuses traffic to a revision that is not Ready or does not exist; tags alone are fine', () => {
    expect(unreadyTargets([{ revisionName: 'helloworld-00004', percent: 10 }, { revisionName: 'helloworld-00001', percent: 90 }], states, 'helloworld-00003')).toEqual([
      'revision "helloworld-00004" is not ready (ContainerMissing: Unable to fetch image "x"): refusing to send it 10% of the traffic',
    ]);
    expect(unreadyTargets([{ revisionName: 'helloworld-00004', percent: 0, tag: 'debug' }, { latestRevision: true, percent: 100 }], states, 'helloworld-00003')).toEqual([]);
    expect(unreadyTargets([{ revisionName: 'nope', percent: 100 }], states, undefined)[0]).toContain('revision "nope" does not exist');
    expect(unreadyTargets([{ latestRevision: true, percent: 100 }], [], undefined)).toEqual(['@latest has no ready revision to send 100% of the traffic to']);
  });

  it('reads empty spec.traffic as Knative does: 100% to the latest ready revision', () => {
    expect(currentTraffic({ metadata: { name: 'x' }, spec: {} })).toEqual([{ latestRevision: true, percent: 100 }]);
  });
});
