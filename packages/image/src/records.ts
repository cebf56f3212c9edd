// The digest references pushed by pnpm image and pnpm ship, kept in
// <state folder>/images.json so that a later pnpm apply can resolve
// `hands-on-knative/<app>` to exactly what was pushed. Only references are kept
// (no credentials); written atomically so a crash leaves the old file.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const IMAGE_RECORDS_FILE = 'images.json';

interface RecordsFile {
  images: Record<string, { reference: string; pushedAt: string }>;
}

function read(stateDir: string): RecordsFile {
  try {
    const parsed = JSON.parse(readFileSync(path.join(stateDir, IMAGE_RECORDS_FILE), 'utf8')) as Partial<RecordsFile>;
    return { images: typeof parsed.images === 'object' && parsed.images !== null ? parsed.images : {} };
  } catch {
    return { images: {} };
  }
}

/** app -> digest reference; empty when nothing was recorded. */
export function readImageRecords(stateDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [app, entry] of Object.entries(read(stateDir).images)) {
    if (typeof entry?.reference === 'string') out[app] = entry.reference;
  }
  return out;
}

export function recordImage(stateDir: string, app: string, reference: string, now: Date = new Date()): void {
  const records = read(stateDir);
  records.images[app] = { reference, pushedAt: now.toISOString() };
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, IMAGE_RECORDS_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(records, null, 2)}\n`);
  renameSync(temp, file);
}
