// Runs a page's command blocks the way a reader would: in bash, from the repo
// root, one after the other, with a long-running `pnpm start` in the background.
// Everything it starts lives in its own temp folders and process groups.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describeMismatch, matchLines } from './compare.js';
import { SKIP_REASONS, type CommandBlock } from './markdown.js';
import { normalise } from './normalise.js';
import { restoreOutput, rewriteCommand, type Sandbox } from './rewrite.js';

export type BlockOutcome =
  | { status: 'pass'; block: CommandBlock; output: string }
  | { status: 'skip'; block: CommandBlock; reason: string }
  | { status: 'fail'; block: CommandBlock; output: string; message: string };

export interface SessionOptions {
  /** Where commands run (the repo root). */
  cwd: string;
  /** Longest a command block may run; default 90 s. */
  blockTimeoutMs?: number;
  /** Longest a background block may take to show its expected output; default 120 s. */
  backgroundTimeoutMs?: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function waitGroupGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

interface Background {
  child: ChildProcess;
  output: () => string;
}

export class Session {
  readonly sandbox: Sandbox;
  private readonly root: string;
  private background: Background | undefined;

  private constructor(
    private readonly options: SessionOptions,
    root: string,
    sandbox: Sandbox,
  ) {
    this.root = root;
    this.sandbox = sandbox;
  }

  static async create(options: SessionOptions): Promise<Session> {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hok-docs-test-'));
    const stateDir = path.join(root, 'state');
    const home = path.join(root, 'home');
    const sandbox: Sandbox = {
      stateDir,
      stateDirRelative: path.relative(options.cwd, stateDir),
      port: await freePort(),
      home,
    };
    mkdirSync(home);
    // curl prints a progress meter when its output is a pipe, never in a reader's terminal.
    writeFileSync(path.join(home, '.curlrc'), 'silent\nshow-error\n');
    return new Session(options, root, sandbox);
  }

  /** The environment of every command: the reader's, minus anything that points elsewhere. */
  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: this.sandbox.home, NO_COLOR: '1', TURBO_TELEMETRY_DISABLED: '1' };
    // A reader has no cluster configured for this, no Twilio token set, and no vitest around.
    for (const name of ['KUBECONFIG', 'TWILIO_AUTH_TOKEN', 'TWILIO_ACCOUNT_SID', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_OPTIONS']) {
      delete env[name];
    }
    return env;
  }

  private spawnScript(block: CommandBlock): { child: ChildProcess; output: () => string } {
    const script = rewriteCommand(block.script, this.sandbox);
    // stderr joins stdout as in a terminal; -e and pipefail: a failing command fails the block.
    const child = spawn('bash', ['-c', `set -e -o pipefail\nexec 2>&1\n${script}`], {
      cwd: this.options.cwd,
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so Ctrl-C (SIGINT) reaches every process it starts
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return { child, output: () => output };
  }

  async run(block: CommandBlock): Promise<BlockOutcome> {
    if (block.mode === 'skip') return { status: 'skip', block, reason: SKIP_REASONS[block.skip!] };
    if (block.mode === 'background') return this.runBackground(block);
    const { child, output } = this.spawnScript(block);
    const timeoutMs = this.options.blockTimeoutMs ?? 90_000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child.pid!, 'SIGKILL');
    }, timeoutMs);
    const code = await new Promise<number>((resolve) => child.once('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1))));
    clearTimeout(timer);
    // Anything the block left running in its group (it should not) goes now.
    signalGroup(child.pid!, 'SIGKILL');
    const text = restoreOutput(output(), this.sandbox);
    if (timedOut) return { status: 'fail', block, output: text, message: `did not finish within ${timeoutMs / 1000} s` };
    if (code !== block.exitCode) return { status: 'fail', block, output: text, message: `exited ${code}, the page expects ${block.exitCode}` };
    return this.compare(block, text);
  }

  private compare(block: CommandBlock, text: string): BlockOutcome {
    if (block.expected === undefined) return { status: 'pass', block, output: text };
    const expected = normalise(block.expected, { counts: block.counts });
    const actual = normalise(text, { counts: block.counts });
    if (matchLines(expected, actual)) return { status: 'pass', block, output: text };
    return { status: 'fail', block, output: text, message: `the output differs from the page\n${describeMismatch(expected, actual)}` };
  }

  private async runBackground(block: CommandBlock): Promise<BlockOutcome> {
    if (block.expected === undefined) {
      return { status: 'fail', block, output: '', message: 'a background block needs a ```text block after it: the output that says it is up' };
    }
    await this.stopBackground();
    const started = this.spawnScript(block);
    this.background = started;
    const expected = normalise(block.expected, { counts: block.counts });
    const deadline = Date.now() + (this.options.backgroundTimeoutMs ?? 120_000);
    for (;;) {
      const text = restoreOutput(started.output(), this.sandbox);
      if (matchLines(expected, normalise(text, { counts: block.counts }))) return { status: 'pass', block, output: text };
      const exited = started.child.exitCode !== null || started.child.signalCode !== null;
      if (exited || Date.now() > deadline) {
        const why = exited ? `exited (${started.child.exitCode ?? started.child.signalCode}) before showing the page's output` : 'did not show the page\'s output in time';
        return { status: 'fail', block, output: text, message: `${why}\n${describeMismatch(expected, normalise(text, { counts: block.counts }))}` };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ctrl-C for the background command: SIGINT to its process group, SIGKILL if it lingers. */
  async stopBackground(): Promise<void> {
    const current = this.background;
    this.background = undefined;
    if (!current?.child.pid) return;
    signalGroup(current.child.pid, 'SIGINT');
    if (!(await waitGroupGone(current.child.pid, 20_000))) {
      signalGroup(current.child.pid, 'SIGKILL');
      await waitGroupGone(current.child.pid, 5_000);
    }
  }

  async close(): Promise<void> {
    await this.stopBackground();
    rmSync(this.root, { recursive: true, force: true });
  }
}
