import { describe, expect, it } from 'vitest';
import { formatBlobLine, parseImageArgs, UsageError, type ImageCommandOptions } from './support/lib.js';

describe('parseImageArgs', () => {
  it('reads the documented flags', () => {
    expect(
      parseImageArgs(['helloworld', '--repo', '127.0.0.1:5000/demo', '--base', 'node:24-slim', '--tag', 'v1', '--tag', 'stable', '--platform', 'linux/amd64,linux/arm64', '--insecure']),
    ).toEqual({
      app: 'helloworld',
      repo: '127.0.0.1:5000/demo',
      base: 'node:24-slim',
      tags: ['v1', 'stable'],
      platforms: [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }],
      output: { kind: 'registry' },
      insecure: true,
    });
  });

  it('needs no --repo for a local output', () => {
    expect((parseImageArgs(['helloworld', '--output', 'tarball:out/h.tar']) as ImageCommandOptions).output).toEqual({ kind: 'tarball', path: 'out/h.tar' });
    expect((parseImageArgs(['helloworld', '--output', 'oci-layout:dir']) as ImageCommandOptions).output).toEqual({ kind: 'oci-layout', path: 'dir' });
  });

  it.each([
    [[], /name the app/],
    [['helloworld'], /--repo <registry>\/<namespace> is needed/],
    [['a', 'b', '--repo', 'r/n'], /one app at a time/],
    [['helloworld', '--output', 'zip:x'], /invalid --output "zip:x"/],
    [['helloworld', '--repo', 'r/n', '--tag', 'bad tag'], /invalid --tag/],
    [['helloworld', '--repo', 'r/n', '--platform', 'amd64'], /invalid platform/],
    [['helloworld', '--nope'], /Unknown option/],
  ])('%j is a usage error', (argv, expected) => {
    expect(() => parseImageArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseImageArgs(argv as string[])).toThrow(expected);
  });

  it('answers --help', () => {
    expect(parseImageArgs(['--help'])).toBe('help');
  });
});

describe('formatBlobLine', () => {
  it('shows the short digest, the state and the amount', () => {
    const line = formatBlobLine({ type: 'blob', digest: 'sha256:0123456789abcdef' + '0'.repeat(48), size: 3 * 1024 * 1024, state: 'uploading', sent: 1024 * 1024, label: 'base layer' });
    expect(line).toBe('  base layer     sha256:0123456789ab  uploading 1.0 MB/3.0 MB');
  });
});
