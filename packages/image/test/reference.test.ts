import { describe, expect, it } from 'vitest';
import { formatPlatform, isLoopbackRegistry, parsePlatforms, parseReference, platformMatches, registryBaseUrl, selectPlatforms } from './support/lib.js';

describe('parseReference', () => {
  it.each([
    ['node:24-slim', { registry: 'docker.io', repository: 'library/node', tag: '24-slim' }],
    ['docker.io/library/node:24-slim', { registry: 'docker.io', repository: 'library/node', tag: '24-slim' }],
    ['gcr.io/distroless/nodejs24-debian12', { registry: 'gcr.io', repository: 'distroless/nodejs24-debian12', tag: 'latest' }],
    ['127.0.0.1:5000/demo/helloworld', { registry: '127.0.0.1:5000', repository: 'demo/helloworld', tag: 'latest' }],
    ['localhost/app@sha256:' + 'a'.repeat(64), { registry: 'localhost', repository: 'app', digest: 'sha256:' + 'a'.repeat(64) }],
  ])('%s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected);
  });

  it('refuses upper case repositories and bad digests with the reason', () => {
    expect(() => parseReference('127.0.0.1:5000/Demo/app')).toThrow(/invalid repository "Demo\/app"/);
    expect(() => parseReference('app@sha256:123')).toThrow(/invalid digest/);
  });
});

describe('registry URLs', () => {
  it('uses http for loopback only, unless --insecure; Docker Hub has its API host', () => {
    expect(isLoopbackRegistry('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackRegistry('localhost:5000')).toBe(true);
    expect(isLoopbackRegistry('registry.example.com')).toBe(false);
    expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBaseUrl('ghcr.io')).toBe('https://ghcr.io');
    expect(registryBaseUrl('registry.lan:5000', true)).toBe('http://registry.lan:5000');
    expect(registryBaseUrl('docker.io')).toBe('https://registry-1.docker.io');
  });
});

describe('platforms', () => {
  it('parses lists and all, and explains a bad one', () => {
    expect(parsePlatforms('linux/amd64, linux/arm64/v8')).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ]);
    expect(parsePlatforms('all')).toBe('all');
    expect(() => parsePlatforms('amd64')).toThrow(/write os\/arch/);
  });

  it('treats arm64 without a variant as v8', () => {
    expect(platformMatches({ os: 'linux', architecture: 'arm64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(true);
    expect(platformMatches({ os: 'linux', architecture: 'arm64', variant: 'v8' }, { os: 'linux', architecture: 'arm64' })).toBe(true);
    expect(platformMatches({ os: 'linux', architecture: 'arm', variant: 'v7' }, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBe(false);
    expect(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('linux/arm/v7');
  });

  it('keeps the base order when selecting', () => {
    const offered = [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }];
    expect(selectPlatforms(offered, [{ os: 'linux', architecture: 'arm64' }, { os: 'linux', architecture: 'amd64' }], 'b')).toEqual(offered);
  });
});
