import { describe, expect, it } from 'vitest';
import { formatBlobLine, parseImageArgs, stderrProgress, UsageError, type ImageCommandOptions, type ProgressEvent } from './support/lib.js';

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

describe('stderrProgress', () => {
  const blob = (state: 'uploading' | 'uploaded', sent: number): ProgressEvent => ({ type: 'blob', digest: 'sha256:' + 'a'.repeat(64), size: 100, state, sent, label: 'app layer' });
  const sink = (isTTY: boolean) => {
    const written: string[] = [];
    return { stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream, written };
  };

  it('redraws the uploading line in place on a terminal', () => {
    const { stream, written } = sink(true);
    const progress = stderrProgress(stream);
    progress(blob('uploading', 50));
    progress(blob('uploaded', 100));
    progress({ type: 'step', message: 'done' });
    expect(written[0]).toMatch(/^\r\u001b\[2K  app layer .* uploading 50 B\/100 B$/);
    expect(written[1]).toMatch(/^\r\u001b\[2K  app layer .* pushed +100 B\n$/);
    expect(written[2]).toBe('done\n');
  });

  it('writes only finished blobs and steps to a log (no escape codes)', () => {
    const { stream, written } = sink(false);
    const progress = stderrProgress(stream);
    progress(blob('uploading', 50));
    progress(blob('uploaded', 100));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^  app layer +sha256:aaaaaaaaaaaa  pushed +100 B\n$/);
  });
});
