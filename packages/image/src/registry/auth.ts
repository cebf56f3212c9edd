// Registry credentials (Docker config file or env) and the auth challenge of
// the Registry API v2 (RFC 6750 Bearer tokens, or Basic).
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Credentials {
  username: string;
  password: string;
}

export interface Challenge {
  scheme: 'bearer' | 'basic';
  realm?: string;
  service?: string;
  scope?: string;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (or `Basic realm="…"`). */
export function parseChallenge(header: string | null | undefined): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  if (scheme !== 'bearer' && scheme !== 'basic') return undefined;
  const params: Record<string, string> = {};
  for (const param of match[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) {
    params[param[1]!.toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? '');
  }
  return {
    scheme,
    ...(params.realm !== undefined ? { realm: params.realm } : {}),
    ...(params.service !== undefined ? { service: params.service } : {}),
    ...(params.scope !== undefined ? { scope: params.scope } : {}),
  };
}

/** The token request URL: realm + service + one scope parameter per scope. */
export function tokenUrl(challenge: Challenge, scopes: readonly string[]): string {
  if (!challenge.realm) throw new Error('the registry asked for a Bearer token without saying where to get one (no realm)');
  const url = new URL(challenge.realm);
  if (challenge.service) url.searchParams.set('service', challenge.service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  return url.toString();
}

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** The keys a Docker config may use for a registry (Docker Hub has its historical one). */
export function configKeys(registry: string): string[] {
  const hub = registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io';
  const hosts = hub ? ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'] : [registry];
  return hosts.flatMap((host) => (host.includes('://') ? [host] : [host, `https://${host}`, `http://${host}`]));
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** ~/.docker/config.json, or $DOCKER_CONFIG/config.json; undefined when absent. */
export function readDockerConfig(env: NodeJS.ProcessEnv = process.env): DockerConfig | undefined {
  const dir = env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker');
  const file = path.join(dir, 'config.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DockerConfig;
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** The `auths` entry of a Docker config for `registry`, decoded. */
export function credentialsFromDockerConfig(config: DockerConfig | undefined, registry: string): Credentials | undefined {
  const auths = config?.auths ?? {};
  for (const key of configKeys(registry)) {
    const entry = auths[key];
    if (!entry) continue;
    if (entry.username && entry.password) return { username: entry.username, password: entry.password };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
  }
  return undefined;
}

/**
 * Credentials for a registry: REGISTRY_USERNAME/REGISTRY_PASSWORD for the
 * registry being pushed to, else the Docker config's `auths`, else anonymous.
 */
export function resolveCredentials(
  registry: string,
  options: { env?: NodeJS.ProcessEnv; isPushTarget?: boolean } = {},
): Credentials | undefined {
  const env = options.env ?? process.env;
  if (options.isPushTarget && env.REGISTRY_USERNAME && env.REGISTRY_PASSWORD) {
    return { username: env.REGISTRY_USERNAME, password: env.REGISTRY_PASSWORD };
  }
  return credentialsFromDockerConfig(readDockerConfig(env), registry);
}

/** Why a 401 happened, for the error message: a credential helper this client does not run. */
export function credentialHelperNote(registry: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const config = readDockerConfig(env);
  const helper = config?.credHelpers?.[registry] ?? config?.credsStore;
  return helper ? `(docker-credential-${helper} is not used by this tool: set REGISTRY_USERNAME and REGISTRY_PASSWORD instead)` : undefined;
}
