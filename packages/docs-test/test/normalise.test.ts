import { describe, expect, it } from 'vitest';
import { normalise } from '../src/normalise.js';

describe('normalise', () => {
  it('lets kubectl tables with other ages, pod suffixes and column widths match', () => {
    const page = [
      'NAME                                               READY   STATUS    RESTARTS   AGE',
      'pod/helloworld-00001-deployment-51f71c1870-c683e   1/1     Running   0          6s',
    ].join('\n');
    const run = [
      'NAME                                             READY   STATUS    RESTARTS   AGE',
      'pod/helloworld-00001-deployment-0a1b2c3d4e-zz9y8 1/1     Running   0          2m10s',
    ].join('\n');
    expect(normalise(run)).toEqual(normalise(page));
    expect(normalise(page)).toEqual(['NAME READY STATUS RESTARTS AGE', 'pod/helloworld-00001-deployment-<hash> 1/1 Running 0 <age>']);
  });

  it('replaces digests, timestamps, UUIDs, loopback ports and durations', () => {
    expect(
      normalise(
        'ghcr.io/me/app@sha256:' + 'ab'.repeat(32) + ' at 2026-11-27T08:17:59.711Z id 08102f2c-2eb8-4dab-bac3-1ac200a67b95 API https://127.0.0.1:41327 took 0.105s, 120ms, 1h',
      ),
    ).toEqual(['ghcr.io/me/app@sha256:<digest> at <time> id <uuid> API https://127.0.0.1:<port> took <age>, <age>, <age>']);
  });

  it('leaves words that only look a little like durations alone', () => {
    expect(normalise('Hello v1! helloworld-00003 51f71c1870 1/1 100% x2s')).toEqual(['Hello v1! helloworld-00003 51f71c1870 1/1 100% x2s']);
  });

  it("maps the reader's absolute state folder to .knative-local", () => {
    expect(normalise('Using /home/you/hands-on-knative/.knative-local/kubeconfig (x)')).toEqual(['Using .knative-local/kubeconfig (x)']);
  });

  it('drops blank lines around the output and the launcher build notice, keeps blank lines inside', () => {
    expect(normalise('\n\nBuilding the workspace (first run or sources changed)...\na\n\nb  \n\n')).toEqual(['a', '', 'b']);
  });

  it('replaces leading counts only when asked (uniq -c over random picks)', () => {
    expect(normalise('     81 Hello v1!\n     19 Hello v3!', { counts: true })).toEqual(['<n> Hello v1!', '<n> Hello v3!']);
    expect(normalise('     81 Hello v1!')).toEqual(['81 Hello v1!']);
  });
});
