// The kubelet's env rules for secretKeyRef (messages as `kubectl describe pod` shows them) and the
// runtime spec the controller derives from a Revision. Pure: secrets come from a lookup function.
import type { Revision } from '@hands-on-knative/knative';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/contracts.js';
import { resolveEnv, runtimeSpecFor } from '../../src/controller/index.js';

const secrets: Record<string, KubeObject> = {
  'default/twilio': { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'twilio' }, data: { authToken: Buffer.from('t0k3n').toString('base64') } },
  'default/plain': { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain' }, stringData: { key: 'from-stringData' } },
};
const lookup = (namespace: string, name: string) => secrets[`${namespace}/${name}`];

describe('resolveEnv', () => {
  it('decodes data, accepts stringData, keeps plain values and order', () => {
    const env = [
      { name: 'A', value: 'x' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'twilio', key: 'authToken' } } },
      { name: 'PLAIN', valueFrom: { secretKeyRef: { name: 'plain', key: 'key' } } },
      { name: 'EMPTY' },
    ];
    expect(resolveEnv(env, 'default', lookup)).toEqual({ ok: true, env: { A: 'x', TOKEN: 't0k3n', PLAIN: 'from-stringData', EMPTY: '' } });
  });

  it('fails like the kubelet on a missing secret or key, unless optional', () => {
    const ref = (name: string, key: string, optional?: boolean) => [{ name: 'V', valueFrom: { secretKeyRef: { name, key, ...(optional ? { optional } : {}) } } }];
    expect(resolveEnv(ref('nope', 'k'), 'default', lookup)).toEqual({ ok: false, reason: 'CreateContainerConfigError', message: 'secret "nope" not found' });
    expect(resolveEnv(ref('twilio', 'k'), 'default', lookup)).toEqual({
      ok: false,
      reason: 'CreateContainerConfigError',
      message: "couldn't find key k in Secret default/twilio",
    });
    expect(resolveEnv(ref('nope', 'k', true), 'default', lookup)).toEqual({ ok: true, env: {} });
    expect(resolveEnv(ref('twilio', 'other', true), 'other-ns', lookup)).toEqual({ ok: true, env: {} });
  });
});

describe('runtimeSpecFor', () => {
  const revision = (spec: Revision['spec'], annotations?: Record<string, string>): Revision => ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Revision',
    metadata: {
      name: 'svc-00001',
      namespace: 'default',
      labels: { 'serving.knative.dev/service': 'svc', 'serving.knative.dev/configuration': 'svc' },
      ...(annotations ? { annotations } : {}),
    },
    spec,
  });

  it('takes the serving container (the one with a port), its port, probe path, timeout and scaling', () => {
    const result = runtimeSpecFor(
      revision(
        {
          containers: [{ image: 'sidecar' }, { image: 'hands-on-knative/app', ports: [{ containerPort: 3000 }], readinessProbe: { httpGet: {} } }],
          timeoutSeconds: 30,
          containerConcurrency: 4,
        },
        { 'autoscaling.knative.dev/min-scale': '1' },
      ),
      lookup,
    );
    expect(result).toEqual({
      ok: true,
      spec: {
        namespace: 'default',
        name: 'svc-00001',
        service: 'svc',
        configuration: 'svc',
        image: 'hands-on-knative/app',
        env: {},
        containerPort: 3000,
        timeoutSeconds: 30,
        readinessPath: '/',
        scaling: { minScale: 1, maxScale: 0, initialScale: 1, target: 4, targetUtilizationPercentage: 70, containerConcurrency: 4 },
      },
    });
  });

  it('defaults to port 8080 and a TCP probe; a missing secret is a failure, not a spec', () => {
    const ok = runtimeSpecFor(revision({ containers: [{ image: 'x' }] }), lookup);
    expect(ok.ok && ok.spec.containerPort).toBe(8080);
    expect(ok.ok && 'readinessPath' in ok.spec).toBe(false);
    const failed = runtimeSpecFor(revision({ containers: [{ image: 'x', env: [{ name: 'S', valueFrom: { secretKeyRef: { name: 'gone', key: 'k' } } }] }] }), lookup);
    expect(failed).toEqual({ ok: false, reason: 'CreateContainerConfigError', message: 'secret "gone" not found' });
  });
});
