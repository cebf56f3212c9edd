// The runner against real bash and real processes (no serving: plain commands).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePage } from '../src/markdown.js';
import { Session } from '../src/session.js';

let cwd: string;
let session: Session;

beforeEach(async () => {
  cwd = mkdtempSync(path.join(os.tmpdir(), 'hok-docs-session-'));
  session = await Session.create({ cwd, blockTimeoutMs: 10_000, backgroundTimeoutMs: 10_000 });
});

afterEach(async () => {
  await session.close();
  rmSync(cwd, { recursive: true, force: true });
});

const blocks = (...lines: string[]) => parsePage(lines.join('\n'), 'page.md');

describe('Session.run', () => {
  it('passes a block whose output matches the page, stderr included, in the reader\'s order', async () => {
    const [block] = blocks('```sh test', 'echo one; echo two >&2; echo three', '```', '```text', 'one', 'two', 'three', '```');
    expect(await session.run(block!)).toMatchObject({ status: 'pass' });
  });

  it('fails a block whose output drifted from the page, showing both', async () => {
    const [block] = blocks('```sh test', 'echo Hello v2!', '```', '```text', 'Hello v1!', '```');
    const outcome = await session.run(block!);
    expect(outcome.status).toBe('fail');
    expect(outcome.status === 'fail' && outcome.message).toContain('>>  Hello v1!');
  });

  it('fails a command that no longer works, even if no output is shown, and stops at the first failing line', async () => {
    const [block] = blocks('```sh test', 'false', 'echo not reached', '```');
    expect(await session.run(block!)).toMatchObject({ status: 'fail', message: 'exited 1, the page expects 0' });
    const [piped] = blocks('```sh test', 'false | cat', '```');
    expect(await session.run(piped!)).toMatchObject({ status: 'fail' });
  });

  it('checks the exit code a page promises for an error', async () => {
    const [block] = blocks('```sh test exit=3', 'echo refused; exit 3', '```', '```text', 'refused', '```');
    expect(await session.run(block!)).toMatchObject({ status: 'pass' });
  });

  it('runs commands with a temp HOME (curlrc inside), no KUBECONFIG, in the repo folder, with ports and state rewritten', async () => {
    process.env.KUBECONFIG = '/somewhere/else';
    try {
      const [block] = blocks(
        '```sh test',
        'echo "home=$HOME kubeconfig=${KUBECONFIG:-unset} cwd=$(pwd)"',
        'cat ~/.curlrc',
        'echo .knative-local/kubeconfig http://a.localhost:8080',
        '```',
        '```text',
        `home=~ kubeconfig=unset cwd=${cwd}`,
        'silent',
        'show-error',
        '.knative-local/kubeconfig http://a.localhost:8080',
        '```',
      );
      expect(await session.run(block!)).toMatchObject({ status: 'pass' });
    } finally {
      delete process.env.KUBECONFIG;
    }
  });

  it('kills a block that hangs', async () => {
    const short = await Session.create({ cwd, blockTimeoutMs: 500 });
    try {
      const [block] = blocks('```sh test', 'sleep 30', '```');
      expect(await short.run(block!)).toMatchObject({ status: 'fail', message: 'did not finish within 0.5 s' });
    } finally {
      await short.close();
    }
  });

  it('reports a skipped block with its reason, without running it', async () => {
    const [block] = blocks('```sh skip=cluster', 'touch ran', '```');
    expect(await session.run(block!)).toMatchObject({ status: 'skip', reason: 'needs a real Kubernetes cluster with Knative Serving' });
    expect(existsSync(path.join(cwd, 'ran'))).toBe(false);
  });

  it('keeps a background block running until the next one replaces it with Ctrl-C (SIGINT to its group)', async () => {
    const script = (name: string) =>
      `node -e "process.on('SIGINT', () => { require('fs').writeFileSync('${name}.stopped', ''); process.exit(0) }); console.log('${name} up on :8080'); setInterval(() => {}, 1000)"`;
    const [first, second] = blocks(
      '```sh test background',
      script('first'),
      '```',
      '```text',
      'first up on :8080',
      '```',
      '```sh test background',
      script('second'),
      '```',
      '```text',
      '...',
      'second up on :8080',
      '```',
    );
    expect(await session.run(first!)).toMatchObject({ status: 'pass' });
    expect(existsSync(path.join(cwd, 'first.stopped'))).toBe(false);
    expect(await session.run(second!)).toMatchObject({ status: 'pass' });
    expect(existsSync(path.join(cwd, 'first.stopped'))).toBe(true);
    await session.stopBackground();
    expect(existsSync(path.join(cwd, 'second.stopped'))).toBe(true);
  });

  it('fails a background block that exits before showing the expected output', async () => {
    const [block] = blocks('```sh test background', 'echo starting; exit 1', '```', '```text', 'ready', '```');
    const outcome = await session.run(block!);
    expect(outcome.status).toBe('fail');
    expect(outcome.status === 'fail' && outcome.message).toMatch(/^exited \(1\) before showing the page's output/);
  });
});
