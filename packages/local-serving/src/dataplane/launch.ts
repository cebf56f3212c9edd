// How a revision's process is started: `node <main>` of a workspace app, or, when
// a Docker daemon is configured, `docker run` of the real image. Either way no
// shell is involved and the platform's variables (PORT, K_*) win over the manifest's.
import { spawnSync } from 'node:child_process';
import type { RevisionRuntimeSpec } from '../contracts.js';
import type { WorkspaceApp } from './image-to-app.js';

export interface DockerOptions {
  /** The daemon, as for `docker -H`, e.g. unix:///run/docker.sock. Default: the CLI's own (DOCKER_HOST or its default). */
  host?: string;
  /** The docker CLI. Default `docker` on PATH. */
  cli?: string;
}

/** A command to spawn, and a synchronous clean-up for when it had to be killed. */
export interface LaunchPlan {
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string>;
  /** What the process runs, for messages: `apps/helloworld` or the image. */
  describe: string;
  /** After SIGKILL: remove what the process left behind (a container). */
  cleanup?: () => void;
}

/**
 * What the container (or process) sees: the manifest's env, then PORT and K_*
 * (runtime contract), and HOST=127.0.0.1: on a laptop an app must be reached
 * only through the ingress, never on its own port from the network.
 */
export function containerEnv(spec: RevisionRuntimeSpec, port: number): Record<string, string> {
  return {
    NODE_ENV: 'production',
    ...spec.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    K_SERVICE: spec.service,
    K_CONFIGURATION: spec.configuration,
    K_REVISION: spec.name,
  };
}

export function nodeLaunch(app: WorkspaceApp & { main: string }, spec: RevisionRuntimeSpec, port: number): LaunchPlan {
  return {
    command: process.execPath,
    args: [app.main],
    cwd: app.dir,
    // A few host variables a process needs, and nothing else of the host.
    env: { ...baseProcessEnv(), ...containerEnv(spec, port) },
    describe: `apps/${app.name}`,
  };
}

/**
 * `docker run --rm --network host` of the image. The container's variables go
 * through the CLI's environment (`-e NAME` without a value), so secrets never
 * appear in a process list. SIGTERM to the CLI reaches the container (sig-proxy).
 */
export function dockerLaunch(docker: DockerOptions, spec: RevisionRuntimeSpec, port: number, replica: number): LaunchPlan {
  const cli = docker.cli ?? 'docker';
  const hostArgs = docker.host ? ['-H', docker.host] : [];
  const name = containerName(spec, replica);
  const env = containerEnv(spec, port);
  const args = [...hostArgs, 'run', '--rm', '--network', 'host', '--name', name, '--pull', 'missing'];
  for (const variable of Object.keys(env)) args.push('-e', variable);
  args.push(spec.image);
  return {
    command: cli,
    args,
    env: { ...baseProcessEnv(), ...(process.env.DOCKER_CONFIG ? { DOCKER_CONFIG: process.env.DOCKER_CONFIG } : {}), ...env },
    describe: spec.image,
    cleanup: () => {
      spawnSync(cli, [...hostArgs, 'rm', '-f', name], { stdio: 'ignore', timeout: 10_000 });
    },
  };
}

/** Unique per start, and a valid container name: hok-default-helloworld-00001-1-k3x9. */
export function containerName(spec: RevisionRuntimeSpec, replica: number): string {
  const suffix = Math.random().toString(36).slice(2, 6);
  return `hok-${spec.namespace}-${spec.name}-${replica}-${suffix}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/** Docker's own failure (exit 125) to get the image: the most telling line, or undefined. */
export function imagePullFailure(code: number, tail: readonly string[]): string | undefined {
  if (code !== 125) return undefined;
  if (!tail.some((line) => /Unable to find image|pull access denied|manifest unknown|repository does not exist|error pulling/i.test(line))) {
    return undefined;
  }
  return [...tail].reverse().find((line) => /Error response from daemon|error/i.test(line)) ?? tail[tail.length - 1];
}

// A container sees only its image's and its manifest's environment; a local process
// needs a few of the host's to work at all (and nothing else: no host secrets leak in).
const HOST_ENV_KEPT = ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'TZ', 'LANG', 'LC_ALL', 'SYSTEMROOT'];

export function baseProcessEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of HOST_ENV_KEPT) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
