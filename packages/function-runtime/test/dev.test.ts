// Dev mode end to end: a TypeScript entry is bundled, run, and restarted when it changes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../src/dev.js';

let session: DevSession | undefined;
let dir: string | undefined;

afterEach(async () => {
  await session?.stop();
  session = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const entry = (greeting: string) => `
import { createServer } from 'node:http';
const greeting: string = ${JSON.stringify(greeting)};
createServer((_req, res) => res.end(greeting)).listen(Number(process.env.PORT));
process.on('SIGTERM', () => process.exit(0));
`;

async function fetchText(url: string, want: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      last = await (await fetch(url)).text();
      if (last === want) return last;
    } catch {
      // restarting
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

describe('fn-runtime dev', () => {
  it('runs a TypeScript entry and restarts it on change', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fn-dev-'));
    writeFileSync(path.join(dir, 'index.ts'), entry('first'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const lines: string[] = [];
    session = await startDev({ entry: 'index.ts', cwd: dir, env: { ...process.env, PORT: String(port) }, say: (l) => lines.push(l) });
    expect(await fetchText(`http://127.0.0.1:${port}/`, 'first')).toBe('first');
    writeFileSync(path.join(dir, 'index.ts'), entry('second'));
    expect(await fetchText(`http://127.0.0.1:${port}/`, 'second')).toBe('second');
    expect(lines).toContain('change detected: restarting');
  }, 60_000);

  it('reports a build error and keeps waiting for a fix', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fn-dev-'));
    writeFileSync(path.join(dir, 'index.ts'), 'const x: = 1;');
    const lines: string[] = [];
    session = await startDev({ entry: 'index.ts', cwd: dir, say: (l) => lines.push(l) });
    const failed = () => lines.some((l) => l.startsWith('build failed: ') && l.includes('index.ts:1'));
    for (let i = 0; i < 200 && !failed(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(failed()).toBe(true);
    expect(lines.some((l) => l.startsWith('running'))).toBe(false);
  }, 60_000);
});
