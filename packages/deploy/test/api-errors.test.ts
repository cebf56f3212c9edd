// Error mapping from answers shaped like the Kubernetes API server's (v1 Status bodies as
// apimachinery writes them; the SSA conflict text is the one of
// k8s.io/apimachinery/pkg/util/managedfields, "Apply failed with N conflict(s): conflict with ...").
import { describe, expect, it } from 'vitest';
import { conflictsOf, describeApiFailure, describeNetworkFailure, describeRequestError, ExitCode, FIELD_MANAGERS, NAMESPACES, SERVICES, SECRETS } from '../src/index.js';

const ctx = { verb: 'apply', resource: SERVICES, name: 'helloworld', namespace: 'default', server: 'https://127.0.0.1:6443', context: 'prod', fieldManager: FIELD_MANAGERS.apply };
const status = (code: number, reason: string, message: string, details: object = {}) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code });

describe('describeApiFailure', () => {
  it('says Knative Serving is not installed when the resource type is missing (404 without a name)', () => {
    const error = describeApiFailure(404, status(404, 'NotFound', 'the server could not find the requested resource'), ctx);
    expect(error.message).toContain('Knative Serving is not installed on https://127.0.0.1:6443');
    expect(error.exitCode).toBe(ExitCode.cluster);
    expect(error.notFound).toBe(false);
  });

  it('tells a missing object from a missing namespace', () => {
    const object = describeApiFailure(404, status(404, 'NotFound', 'services.serving.knative.dev "helloworld" not found', { name: 'helloworld', group: 'serving.knative.dev', kind: 'services' }), ctx);
    expect(object.notFound).toBe(true);
    expect(object.message).toMatch(/^Service "helloworld" not found in namespace "default"/);
    const namespace = describeApiFailure(404, status(404, 'NotFound', 'namespaces "prod" not found', { name: 'prod', kind: 'namespaces' }), ctx);
    expect(namespace.message).toMatch(/^namespace "prod" does not exist/);
    expect(namespace.notFound).toBe(false);
    const itself = describeApiFailure(404, status(404, 'NotFound', 'namespaces "prod" not found', { name: 'prod', kind: 'namespaces' }), { ...ctx, resource: NAMESPACES, name: 'prod' });
    expect(itself.notFound).toBe(true);
  });

  it('names the other field manager of an SSA conflict and says how to keep or take the split', () => {
    const body = status(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "hands-on-knative-traffic": .spec.traffic', {
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "hands-on-knative-traffic"', field: '.spec.traffic' }],
    });
    const error = describeApiFailure(409, body, ctx);
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('.spec.traffic managed by "hands-on-knative-traffic" (pnpm traffic)');
    expect(error.message).toContain('remove spec.traffic from the manifest');
    expect(error.message).toContain('--force');
  });

  it('reads conflicts from the message when there are no causes', () => {
    const parsed = conflictsOf({ message: 'Apply failed with 2 conflicts: conflict with "kubectl" using serving.knative.dev/v1: .spec.template, .spec.traffic' });
    expect(parsed).toEqual([{ manager: 'kubectl', fields: ['.spec.template', '.spec.traffic'] }]);
  });

  it('prints a 422 the way kubectl does: one line per cause', () => {
    const body = status(422, 'Invalid', 'ignored', { causes: [{ field: 'spec.traffic', message: 'Traffic targets sum to 90, want 100' }] });
    expect(describeApiFailure(422, body, ctx).message).toBe('The Service "helloworld" is invalid:\n* spec.traffic: Traffic targets sum to 90, want 100');
  });

  it('explains 401 and 403 without credentials', () => {
    expect(describeApiFailure(401, status(401, 'Unauthorized', 'Unauthorized'), ctx).message).toContain('did not accept the credentials of context "prod"');
    const forbidden = describeApiFailure(403, status(403, 'Forbidden', 'secrets "twilio" is forbidden: User "dev" cannot patch resource "secrets"'), { ...ctx, resource: SECRETS, name: 'twilio' });
    expect(forbidden.message).toContain('forbidden: secrets "twilio" is forbidden');
    expect(forbidden.message).toContain('RBAC');
  });
});

describe('network failures', () => {
  it('maps a refused connection (node-fetch FetchError shape) to a plain message', () => {
    const fetchError = Object.assign(new Error('request to https://127.0.0.1:1/ failed, reason: connect ECONNREFUSED 127.0.0.1:1'), { type: 'system', code: 'ECONNREFUSED', errno: 'ECONNREFUSED' });
    const error = describeRequestError(fetchError, ctx);
    expect(error.message).toMatch(/^cannot reach the cluster at https:\/\/127.0.0.1:6443: connection refused/);
    expect(error.exitCode).toBe(3);
  });

  it('maps TLS trust errors', () => {
    expect(describeNetworkFailure('DEPTH_ZERO_SELF_SIGNED_CERT', 'https://x')?.message).toContain('over TLS');
    expect(describeNetworkFailure('EWHATEVER', 'https://x')).toBeUndefined();
  });

  it('maps ApiException-shaped errors by code and body', () => {
    const apiException = { code: 403, body: status(403, 'Forbidden', 'nope') };
    expect(describeRequestError(apiException, ctx).message).toMatch(/^forbidden: nope/);
  });
});
