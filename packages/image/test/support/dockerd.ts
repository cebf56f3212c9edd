// A private Docker daemon for the tests: its own data/exec roots and socket in
// a temp dir, and ONLY --bridge=none --iptables=false (no network namespace
// traffic off loopback: containers run with --network host).
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stopProcess, waitFor } from './lib.js';

const run = promisify(execFile);

export interface Dockerd {
  /** Runs the docker CLI against this daemon; resolves with stdout. */
  docker(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startDockerd(): Promise<Dockerd> {
  // Short path: containerd's socket lives under the exec root (sun_path is 108 bytes).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hok-dockerd-'));
  const socket = path.join(dir, 'docker.sock');
  let log = '';
  const child: ChildProcess = spawn(
    'dockerd',
    [
      '--bridge=none',
      '--iptables=false',
      `--data-root=${path.join(dir, 'data')}`,
      `--exec-root=${path.join(dir, 'exec')}`,
      `--pidfile=${path.join(dir, 'docker.pid')}`,
      `-H`,
      `unix://${socket}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: path.join(dir, 'cli') };
  const docker = async (args: string[]) => (await run('docker', args, { env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  const stop = async () => {
    await stopProcess(child, 20_000);
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    await waitFor('dockerd', async () => (await docker(['version', '--format', '{{.Server.Version}}'])).trim() !== '', 60_000, child, () => log);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { docker, stop };
}

/** dockerd leaves its network namespace bind-mounted under the exec root: unmount what is under `dir`. */
function unmountUnder(dir: string): void {
  const mountPoints = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((point) => point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mountPoints) spawnSync('umount', ['-l', point], { stdio: 'ignore' });
}
