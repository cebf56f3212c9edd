import { describe, expect, it } from 'vitest';
import { completeEntries, createLayer, createTar, sourceDateEpoch } from './support/lib.js';
import { extractLayer, listLayer } from './support/tar-read.js';
import { readFileSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';

const file = (p: string, text: string, mode?: number) => ({ type: 'file' as const, path: p, content: Buffer.from(text), ...(mode ? { mode } : {}) });

describe('createTar / createLayer', () => {
  it('is independent of the input order and adds parent directories', () => {
    const a = createTar([file('app/b.js', 'b'), file('app/a.js', 'a')], { mtime: 0 });
    const b = createTar([file('./app/a.js', 'a'), file('/app/b.js', 'b')], { mtime: 0 });
    expect(a.equals(b)).toBe(true);
    expect(completeEntries([file('x/y/z.txt', '')]).map((e) => `${e.type}:${e.path}`)).toEqual(['dir:x', 'dir:x/y', 'file:x/y/z.txt']);
  });

  it('gives the same gzip bytes twice (no timestamp or name in the gzip header)', () => {
    const one = createLayer([file('app/index.mjs', 'console.log(1)')], { mtime: 42 });
    const two = createLayer([file('app/index.mjs', 'console.log(1)')], { mtime: 42 });
    expect(one.digest).toBe(two.digest);
    expect(one.blob.readUInt32LE(4)).toBe(0); // MTIME field of the gzip header
    expect(one.blob[3]! & 0x08).toBe(0); // FNAME flag unset
    expect(one.diffId).not.toBe(one.digest);
  });

  it('is read back by GNU tar with owner 0/0, the modes and the mtime given, long paths and symlinks intact', () => {
    const long = `app/node_modules/${'very-long-package-name/'.repeat(8)}index.js`;
    const layer = createLayer(
      [file('app/run.sh', '#!/bin/sh\n', 0o755), file(long, 'long'), { type: 'symlink', path: 'app/link', target: 'run.sh' }],
      { mtime: 1_600_000_000 },
    );
    const lines = listLayer(layer.blob);
    expect(lines.find((l) => l.endsWith('app/run.sh'))).toMatch(/^-rwxr-xr-x 0\/0 +10 2020-09-13 12:26:40/);
    expect(lines.some((l) => l.endsWith(long))).toBe(true);
    const dir = extractLayer(layer.blob);
    try {
      expect(readFileSync(path.join(dir, long), 'utf8')).toBe('long');
      expect(readlinkSync(path.join(dir, 'app/link'))).toBe('run.sh');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects paths that climb out of the layer', () => {
    expect(() => createTar([file('../etc/passwd', 'x')], { mtime: 0 })).toThrow(/invalid path/);
  });

  it('reads SOURCE_DATE_EPOCH (0 when unset) and refuses non-numbers', () => {
    expect(sourceDateEpoch({})).toBe(0);
    expect(sourceDateEpoch({ SOURCE_DATE_EPOCH: '1700000000' })).toBe(1_700_000_000);
    expect(() => sourceDateEpoch({ SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(/whole seconds/);
  });
});
