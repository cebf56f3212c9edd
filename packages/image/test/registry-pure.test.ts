// The pure parts of the registry client: challenges, credentials, error messages, chunking.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsFromDockerConfig, parseChallenge, resolveCredentials } from './support/lib.js';
import { configKeys, tokenUrl } from '../src/registry/auth.js';
import { chunks } from '../src/registry/client.js';
import { httpFailure, networkFailure } from '../src/registry/errors.js';

describe('parseChallenge / tokenUrl', () => {
  it("reads Docker Hub's Bearer challenge and builds the token URL with every scope", () => {
    const challenge = parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/node:pull"');
    expect(challenge).toEqual({ scheme: 'bearer', realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/node:pull' });
    expect(tokenUrl(challenge!, ['repository:a/b:pull,push', 'repository:c/d:pull'])).toBe(
      'https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Aa%2Fb%3Apull%2Cpush&scope=repository%3Ac%2Fd%3Apull',
    );
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', realm: 'Registry Realm' });
    expect(parseChallenge('Negotiate')).toBeUndefined();
  });
});

describe('credentials', () => {
  it('decodes auths entries, with the historical key for Docker Hub', () => {
    const config = { auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('me:p:w').toString('base64') }, 'ghcr.io': { username: 'u', password: 'p' } } };
    expect(credentialsFromDockerConfig(config, 'docker.io')).toEqual({ username: 'me', password: 'p:w' });
    expect(credentialsFromDockerConfig(config, 'ghcr.io')).toEqual({ username: 'u', password: 'p' });
    expect(credentialsFromDockerConfig(config, 'quay.io')).toBeUndefined();
    expect(configKeys('127.0.0.1:5000')).toEqual(['127.0.0.1:5000', 'https://127.0.0.1:5000', 'http://127.0.0.1:5000']);
  });

  it('prefers REGISTRY_USERNAME/REGISTRY_PASSWORD for the push target only', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hok-docker-config-'));
    try {
      writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths: { 'r.example': { username: 'file', password: 'f' } } }));
      const env = { DOCKER_CONFIG: dir, REGISTRY_USERNAME: 'env', REGISTRY_PASSWORD: 'e' };
      expect(resolveCredentials('r.example', { env, isPushTarget: true })).toEqual({ username: 'env', password: 'e' });
      expect(resolveCredentials('r.example', { env })).toEqual({ username: 'file', password: 'f' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('error messages say what to do next', () => {
  const context = { registry: 'r.example', action: 'push manifest r.example/a/b:latest', body: '', hasCredentials: true };
  it.each([
    [401, false, /needs credentials: run `docker login r.example`/],
    [401, true, /credentials for r.example were rejected/],
    [403, true, /no access to this repository: check the namespace in --repo/],
    [404, true, /check the image name and tag/],
    [429, true, /rate limiting/],
    [503, true, /internal error: retry later/],
  ])('HTTP %i', (status, hasCredentials, expected) => {
    expect(httpFailure({ ...context, status, hasCredentials }).message).toMatch(expected);
  });

  it("quotes the registry's own error code", () => {
    const body = JSON.stringify({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] });
    const error = httpFailure({ ...context, status: 403, body });
    expect(error.message).toContain('HTTP 403 (DENIED: requested access to the resource is denied)');
    expect(error.code).toBe('DENIED');
  });

  it('explains refused connections and https spoken to a plain-http server', () => {
    expect(networkFailure('r:1', 'https://r:1/v2/', { cause: { code: 'ECONNREFUSED' } }).message).toMatch(/nothing listens there/);
    expect(networkFailure('r:1', 'https://r:1/v2/', { cause: { code: 'EPROTO', message: 'wrong version number' } }).message).toMatch(/pass --insecure/);
  });
});

describe('chunks', () => {
  it('re-slices a stream into fixed-size pieces', async () => {
    async function* pieces() {
      yield Buffer.from('abc');
      yield Buffer.from('defgh');
      yield Buffer.from('ij');
    }
    const out: string[] = [];
    for await (const chunk of chunks(pieces(), 4)) out.push(chunk.toString());
    expect(out).toEqual(['abcd', 'efgh', 'ij']);
  });
});
