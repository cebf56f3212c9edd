// pnpm start: the local Knative Serving with the sample apps.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalServing, type LocalServing } from '@hands-on-knative/local-serving';
import { appServiceManifests } from './start/app-manifests.js';
import { applyDefaultManifests, DEFAULT_MANIFESTS, waitForServices } from './start/default-manifests.js';
import { banner } from './start/banner.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const HELP = `usage: pnpm start [options] [manifest ...]

Starts a local Knative Serving (no cluster, no Docker): a Kubernetes-shaped API
for serving.knative.dev/v1, revisions as local processes of apps/*, an ingress
routing <service>.<namespace>.localhost, scale to zero. On a fresh state folder
it applies the sample manifests (${DEFAULT_MANIFESTS.join(', ')}) and
manifests/<app>/service.yaml of every other app (pnpm new makes one), or the
manifests you name; objects already in the state folder are kept as they are.

options:
  --port <n>        ingress port (default 8080)
  --api-port <n>    API port (default: a free one, written into the kubeconfig)
  --state <dir>     state folder: database, kubeconfig, certificate (default .knative-local)
  --host <addr>     address to listen on (default 127.0.0.1: nothing outside this machine gets in)
  --idle <seconds>  idle time before a revision scales down / to zero (default 30)
  --docker          run images that name no workspace app with Docker (the daemon
                    of DOCKER_HOST or the CLI's default; containers use --network host)
  -h, --help        this help

Then:
  curl http://helloworld.default.localhost:8080
  kubectl --kubeconfig .knative-local/kubeconfig get ksvc,revision,route
Ctrl-C drains and stops everything.`;

function usage(message: string): never {
  process.stderr.write(`start: ${message}\n\n${HELP}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        'api-port': { type: 'string' },
        state: { type: 'string' },
        host: { type: 'string' },
        idle: { type: 'string' },
        docker: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usage((error as Error).message);
  }
}

function portFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`--${name} must be a port number (0-65535), got "${value}"`);
  return port;
}

const { values, positionals } = parse();
if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const ingressPort = portFlag('port', values.port, 8080);
const apiPort = portFlag('api-port', values['api-port'], 0);
const idleSeconds = values.idle === undefined ? undefined : Number(values.idle);
if (idleSeconds !== undefined && !(idleSeconds > 0)) usage(`--idle must be a number of seconds above 0, got "${values.idle}"`);
const stateDir = path.resolve(values.state ?? path.join(repoRoot, '.knative-local'));
const manifests =
  positionals.length > 0
    ? positionals.map((p) => path.resolve(p))
    : [...DEFAULT_MANIFESTS, ...appServiceManifests(repoRoot, DEFAULT_MANIFESTS)].map((p) => path.join(repoRoot, p));
for (const file of manifests) if (!existsSync(file)) usage(`no such manifest: ${file}`);

let serving: LocalServing;
try {
  serving = await startLocalServing({
    stateDir,
    repoRoot,
    ingressPort,
    apiPort,
    ...(values.host ? { host: values.host } : {}),
    ...(idleSeconds ? { idleWindowMs: idleSeconds * 1000 } : {}),
    ...(values.docker ? { docker: {} } : {}),
  });
} catch (error) {
  const err = error as NodeJS.ErrnoException & { port?: number };
  if (err.code === 'EADDRINUSE') {
    process.stderr.write(`start: port ${err.port ?? ingressPort} is in use (another pnpm start?): stop it or pass --port <n>\n`);
  } else {
    process.stderr.write(`start: ${err.message}\n`);
  }
  process.exit(1);
}

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) {
    process.stderr.write('stopping already: a second Ctrl-C would cut in-flight requests; exiting now\n');
    process.exit(130);
  }
  stopping = true;
  process.stderr.write(`\n${signal}: draining and stopping...\n`);
  serving.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`start: stopping failed: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('Ctrl-C'));
process.on('SIGTERM', () => stop('SIGTERM'));
// The terminal went away: stop as cleanly as for Ctrl-C.
process.on('SIGHUP', () => stop('SIGHUP'));

const applied = applyDefaultManifests(serving.store, manifests.map((file) => ({ file, text: readFileSync(file, 'utf8') })));
for (const line of applied.lines) process.stderr.write(`${line}\n`);
if (applied.errors.length > 0) {
  for (const line of applied.errors) process.stderr.write(`start: ${line}\n`);
}
await serving.controller.idle();
const services = await waitForServices(serving.store, {
  timeoutMs: 60_000,
  onProgress: (line) => process.stderr.write(`${line}\n`),
  isServing: (namespace, revision) => serving.dataPlane.revisionStatus(namespace, revision)?.phase === 'Ready',
  ingressPort: serving.ingressPort,
});
process.stdout.write(`${banner({ serving, services, stateDir, repoRoot })}\n`);
