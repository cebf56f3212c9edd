import { describe, expect, it } from 'vitest';
import { placeholderApp, readImageRecords, recordImage, resolveImages } from '../src/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const service = (image: string) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'helloworld' },
  spec: { template: { spec: { containers: [{ image }] } } },
});
const imageOf = (o: unknown) => (o as ReturnType<typeof service>).spec.template.spec.containers[0]!.image;
const digest = 'ghcr.io/me/helloworld@sha256:' + 'a'.repeat(64);

describe('resolveImages', () => {
  it('recognises only hands-on-knative/<app> as a placeholder', () => {
    expect(placeholderApp('hands-on-knative/helloworld')).toBe('helloworld');
    expect(placeholderApp('ghcr.io/hands-on-knative/helloworld')).toBeUndefined();
    expect(placeholderApp('hands-on-knative/helloworld:v2')).toBeUndefined();
  });

  it('applies --image, then --registry, then the local serving, then a recorded digest', () => {
    const p = service('hands-on-knative/helloworld');
    expect(imageOf(resolveImages(p, { target: 'cluster', overrides: { helloworld: 'x/y@sha256:1' }, registry: 'r.io/me' }).object)).toBe('x/y@sha256:1');
    expect(imageOf(resolveImages(p, { target: 'cluster', registry: 'r.io/me/' }).object)).toBe('r.io/me/helloworld');
    expect(imageOf(resolveImages(p, { target: 'local-serving', records: { helloworld: digest } }).object)).toBe('hands-on-knative/helloworld');
    expect(imageOf(resolveImages(p, { target: 'cluster', records: { helloworld: digest } }).object)).toBe(digest);
  });

  it('refuses an unresolved placeholder for a cluster, naming the field and what to do', () => {
    const result = resolveImages(service('hands-on-knative/helloworld'), { target: 'cluster' });
    expect(result.errors).toEqual([{ field: 'spec.template.spec.containers[0].image', message: expect.stringContaining('pnpm ship helloworld --repo') }]);
  });

  it('leaves real references and the input object alone', () => {
    const input = service('gcr.io/knative-samples/helloworld-go');
    const result = resolveImages(input, { target: 'cluster', registry: 'r.io/me' });
    expect(result.resolved).toEqual([]);
    expect(imageOf(result.object)).toBe('gcr.io/knative-samples/helloworld-go');
  });
});

describe('image records', () => {
  it('keeps the last digest per app in images.json', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-records-'));
    try {
      expect(readImageRecords(dir)).toEqual({});
      recordImage(dir, 'helloworld', 'a/helloworld@sha256:1');
      recordImage(dir, 'helloworld', digest);
      recordImage(dir, 'twilio-sms', 'a/twilio-sms@sha256:2');
      expect(readImageRecords(dir)).toEqual({ helloworld: digest, 'twilio-sms': 'a/twilio-sms@sha256:2' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
