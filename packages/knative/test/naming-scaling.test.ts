// Names from knative/serving pkg/reconciler/configuration/resources/revision.go (ChildName + "-%05d")
// and the default domain/tag templates of config-network; scaling defaults of config-autoscaler.
import { describe, expect, it } from 'vitest';
import { childName, revisionNameFor, scalingSpecOf, serviceHost, tagHost } from '../src/index.js';

describe('naming', () => {
  it('revision names follow the configuration generation', () => {
    expect(revisionNameFor('helloworld', 1)).toBe('helloworld-00001');
    expect(revisionNameFor('helloworld', 42)).toBe('helloworld-00042');
    expect(revisionNameFor('helloworld', 123456)).toBe('helloworld-123456');
  });
  it('long names are hashed to fit 63 characters, like kmeta.ChildName', () => {
    const long = 'a'.repeat(70);
    const name = childName(long, '-00001');
    expect(name).toHaveLength(63);
    expect(name.endsWith('-00001')).toBe(true);
    expect(childName(long, '-00001')).toBe(name);
  });
  it('hosts use {{.Name}}.{{.Namespace}}.{{.Domain}} and {{.Tag}}-{{.Name}}', () => {
    expect(serviceHost('helloworld', 'default', 'example.com')).toBe('helloworld.default.example.com');
    expect(tagHost('current', 'helloworld', 'default', 'localhost')).toBe('current-helloworld.default.localhost');
    expect(serviceHost('hello', 'ns')).toBe('hello.ns.example.com');
  });
});

describe('scalingSpecOf', () => {
  it('defaults: min 0, max 0, initial 1, target 100, utilization 70', () => {
    expect(scalingSpecOf(undefined, undefined)).toEqual({
      minScale: 0,
      maxScale: 0,
      initialScale: 1,
      target: 100,
      targetUtilizationPercentage: 70,
      containerConcurrency: 0,
    });
  });
  it('reads the kebab-case keys and still accepts camelCase minScale/maxScale', () => {
    expect(scalingSpecOf({ 'autoscaling.knative.dev/minScale': '1', 'autoscaling.knative.dev/maxScale': '5' }, 0)).toMatchObject({ minScale: 1, maxScale: 5 });
    expect(
      scalingSpecOf({ 'autoscaling.knative.dev/min-scale': '2', 'autoscaling.knative.dev/minScale': '9', 'autoscaling.knative.dev/target': '10', 'autoscaling.knative.dev/initial-scale': '3' }, 0),
    ).toMatchObject({ minScale: 2, target: 10, initialScale: 3 });
  });
  it('a hard concurrency limit caps the target', () => {
    expect(scalingSpecOf(undefined, 5)).toMatchObject({ target: 5, containerConcurrency: 5 });
    expect(scalingSpecOf({ 'autoscaling.knative.dev/target': '50' }, 10)).toMatchObject({ target: 10 });
  });
});
