import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/contracts.js';
import { parseFieldSelector, parseLabelSelector } from '../../src/api/selectors.js';

describe('label selectors', () => {
  const labels = { app: 'hello', tier: 'web', 'serving.knative.dev/service': 'hello' };
  it.each([
    ['', true],
    ['app=hello', true],
    ['app==hello', true],
    ['app!=hello', false],
    ['app!=other', true],
    ['missing!=x', true],
    ['app in (hello, other)', true],
    ['app in (other)', false],
    ['app notin (other)', true],
    ['missing notin (x)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app=hello,tier=web', true],
    ['app=hello,tier=db', false],
    ['serving.knative.dev/service=hello', true],
  ])('%s matches: %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it('refuses a malformed selector with 400', () => {
    expect(() => parseLabelSelector('app=(x')).toThrow(/unable to parse requirement/);
  });
});

describe('field selectors', () => {
  const object = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a', namespace: 'ns' } } as KubeObject;
  it('matches metadata.name and metadata.namespace with =, == and !=', () => {
    expect(parseFieldSelector('metadata.name=a')(object)).toBe(true);
    expect(parseFieldSelector('metadata.name==b')(object)).toBe(false);
    expect(parseFieldSelector('metadata.namespace!=ns')(object)).toBe(false);
    expect(parseFieldSelector('metadata.name=a,metadata.namespace=ns')(object)).toBe(true);
  });
  it('refuses other fields', () => {
    expect(() => parseFieldSelector('spec.x=y')).toThrow('field label not supported: spec.x');
  });
});
