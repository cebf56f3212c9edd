// Debian's docker-registry (Distribution 2.8) on 127.0.0.1 with its own config
// and storage in a temp dir; optionally with token auth in front.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, stopProcess, waitFor } from './processes.js';

export interface RunningRegistry {
  /** host:port, e.g. 127.0.0.1:41234 */
  host: string;
  stop(): Promise<void>;
}

export interface TokenAuthConfig {
  realm: string;
  service: string;
  issuer: string;
  rootCertBundle: string;
}

export interface RegistryOptions {
  /** `auth: token` with this token server. */
  tokenAuth?: TokenAuthConfig;
  /** `auth: htpasswd` (Basic) with these lines (`user:<bcrypt hash>`). */
  htpasswd?: string;
}

export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hok-registry-'));
  const port = await freePort();
  const auth = options.tokenAuth
    ? [
        'auth:',
        '  token:',
        `    realm: ${options.tokenAuth.realm}`,
        `    service: ${options.tokenAuth.service}`,
        `    issuer: ${options.tokenAuth.issuer}`,
        `    rootcertbundle: ${options.tokenAuth.rootCertBundle}`,
      ]
    : options.htpasswd !== undefined
      ? ['auth:', '  htpasswd:', '    realm: hok-test', `    path: ${path.join(dir, 'htpasswd')}`]
      : [];
  if (options.htpasswd !== undefined) writeFileSync(path.join(dir, 'htpasswd'), options.htpasswd);
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    ...auth,
    '',
  ].join('\n');
  const configFile = path.join(dir, 'config.yml');
  writeFileSync(configFile, config);
  let log = '';
  const child = spawn('docker-registry', ['serve', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  child.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const host = `127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      `docker-registry on ${host}`,
      async () => [200, 401].includes((await fetch(`http://${host}/v2/`)).status),
      30_000,
      child,
      () => log,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, stop };
}
