import { describe, expect, it } from 'vitest';
import { normalizeHost, pickTarget, RouteTable, unknownHostMessage } from '../../src/dataplane/routing.js';
import { route } from './helpers.js';

describe('normalizeHost', () => {
  it.each([
    ['helloworld.default.localhost', 'helloworld.default.localhost'],
    ['HelloWorld.Default.LOCALHOST:8080', 'helloworld.default.localhost'],
    ['helloworld.default.localhost.', 'helloworld.default.localhost'],
    ['[::1]:8080', '::1'],
    ['::1', '::1'],
    [undefined, ''],
  ])('%s -> %s', (header, host) => {
    expect(normalizeHost(header)).toBe(host);
  });
});

describe('RouteTable', () => {
  const table = new RouteTable([
    route('helloworld.default.localhost', { 'helloworld-00001': 80, 'helloworld-00002': 20 }, 'helloworld'),
    route('latest-helloworld.default.localhost', { 'helloworld-00003': 0 }, 'helloworld'),
  ]);

  it('finds routes by host and lists the hosts', () => {
    expect(table.lookup('helloworld.default.localhost')?.targets).toHaveLength(2);
    expect(table.lookup('nope.default.localhost')).toBeUndefined();
    expect(table.hosts()).toEqual(['helloworld.default.localhost', 'latest-helloworld.default.localhost']);
  });

  it('counts every referenced revision as routed, 0% ones too', () => {
    expect([...table.routedRevisions].sort()).toEqual(['default/helloworld-00001', 'default/helloworld-00002', 'default/helloworld-00003']);
  });
});

describe('pickTarget', () => {
  const targets = [
    { revision: 'a', percent: 80 },
    { revision: 'b', percent: 20 },
    { revision: 'c', percent: 0 },
  ];

  it('maps the random number onto the cumulative percents', () => {
    expect(pickTarget(targets, 0)?.revision).toBe('a');
    expect(pickTarget(targets, 0.7999)?.revision).toBe('a');
    expect(pickTarget(targets, 0.8)?.revision).toBe('b');
    expect(pickTarget(targets, 0.999999)?.revision).toBe('b');
  });

  it('never picks a 0% target unless every target is at 0%', () => {
    for (let i = 0; i < 100; i++) expect(pickTarget(targets, i / 100)?.revision).not.toBe('c');
    expect(pickTarget([{ revision: 'c', percent: 0 }], 0.5)?.revision).toBe('c');
    expect(pickTarget([], 0.5)).toBeUndefined();
  });
});

describe('unknownHostMessage', () => {
  it('lists the known hosts and shows how to reach them', () => {
    const text = unknownHostMessage('nope.localhost', ['helloworld.default.localhost'], 8080);
    expect(text).toContain('No Knative route for host "nope.localhost".');
    expect(text).toContain('http://helloworld.default.localhost:8080/');
    expect(text).toContain("curl -H 'Host: helloworld.default.localhost' http://127.0.0.1:8080/");
    expect(text).toContain('*.localhost');
  });

  it('says to apply a Service when there are no routes', () => {
    expect(unknownHostMessage('x', [], 8080)).toContain('No routes yet');
  });
});
