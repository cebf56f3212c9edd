// A private Docker daemon for the data plane's Docker test: its own data, exec
// roots and socket in a temp dir, --bridge=none --iptables=false (containers use
// --network host, so traffic stays on loopback). And a tiny image built from the
// host's node binary with `docker import` (nothing is pulled).
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why the Docker test cannot run here, or '' when it can. */
export function dockerSkipReason(): string {
  for (const binary of ['dockerd', 'docker', 'tar']) {
    if (spawnSync('sh', ['-c', `command -v ${binary}`]).status !== 0) return `${binary} is not installed (apt-get install -y docker.io)`;
  }
  if (process.getuid?.() !== 0) return 'dockerd needs root';
  return '';
}

export interface PrivateDockerd {
  /** unix://… for `docker -H`. */
  host: string;
  docker(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startDockerd(): Promise<PrivateDockerd> {
  // Short path: containerd's socket lives under the exec root (sun_path is 108 bytes).
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hok-dp-dockerd-'));
  const host = `unix://${path.join(dir, 'docker.sock')}`;
  let log = '';
  const child: ChildProcess = spawn(
    'dockerd',
    ['--bridge=none', '--iptables=false', `--data-root=${dir}/data`, `--exec-root=${dir}/exec`, `--pidfile=${dir}/docker.pid`, '-H', host],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const env = { ...process.env, DOCKER_CONFIG: path.join(dir, 'cli') };
  const docker = async (args: string[]): Promise<string> => (await run('docker', ['-H', host, ...args], { env, maxBuffer: 64 << 20 })).stdout;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((resolve) => child.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 20_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    // dockerd leaves its network namespace mounted under the exec root.
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[4] ?? '')
      .filter((point) => point.startsWith(`${dir}/`))
      .sort((a, b) => b.length - a.length);
    for (const point of mounts) spawnSync('umount', ['-l', point], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await docker(['version', '--format', '{{.Server.Version}}'])).trim() !== '') break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`dockerd did not start: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { host, docker, stop };
}

/** `FROM scratch` + the host's node and its libraries + `server`, as image `tag`. */
export async function importNodeImage(dockerd: PrivateDockerd, server: string, tag: string): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hok-dp-rootfs-'));
  try {
    const node = realpathSync(process.execPath);
    const files = [node, ...sharedLibraries(node)];
    for (const file of files) {
      const target = path.join(root, file === node ? 'usr/local/bin/node' : file);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(realpathSync(file), target);
    }
    mkdirSync(path.join(root, 'app'));
    mkdirSync(path.join(root, 'tmp'));
    copyFileSync(server, path.join(root, 'app/server.mjs'));
    const tarball = `${root}.tar`;
    await run('tar', ['-C', root, '-cf', tarball, '.']);
    try {
      await dockerd.docker(['import', '--change', 'ENTRYPOINT ["/usr/local/bin/node", "/app/server.mjs"]', tarball, tag]);
    } finally {
      rmSync(tarball, { force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function sharedLibraries(binary: string): string[] {
  const output = spawnSync('ldd', [binary], { encoding: 'utf8' }).stdout;
  return output
    .split('\n')
    .map((line) => /(\/\S+)\s+\(0x/.exec(line)?.[1])
    .filter((file): file is string => file !== undefined);
}
