// Reads layers back with the system's GNU tar, an independent implementation.
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `tar -tv` of a gzip layer: one line per entry (mode, owner, size, mtime, name). */
export function listLayer(gzip: Buffer): string[] {
  return execFileSync('tar', ['-tvz', '--numeric-owner', '--full-time'], { input: gzip, encoding: 'utf8' }).trim().split('\n');
}

/** Extracts a gzip layer into a new temp dir; returns it. */
export function extractLayer(gzip: Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hok-layer-'));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, '.layer.tar');
  writeFileSync(file, gunzipSync(gzip));
  execFileSync('tar', ['-xf', file, '-C', dir]);
  return dir;
}
