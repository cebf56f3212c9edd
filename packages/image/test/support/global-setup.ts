// Once per test run: a real docker-registry on 127.0.0.1 holding the locally
// made two-platform Node base (no image can be pulled on these machines).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { writeTestBase } from './lib.js';
import { RegistryClient } from './lib.js';
import { hasBinary, missingComponent } from './lib.js';
import { pushLayout } from './lib.js';
import { startRegistry } from './lib.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test base as an OCI layout folder (always there). */
    baseLayout: string;
    /** host:port of the registry, or '' when skipped. */
    registryHost: string;
    /** host:port/base/node@sha256:… in that registry, or ''. */
    baseReference: string;
    /** Why registry tests are skipped, or ''. */
    registrySkipReason: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hok-image-base-'));
  const base = writeTestBase(path.join(dir, 'layout'));
  project.provide('baseLayout', base.dir);
  project.provide('registryHost', '');
  project.provide('baseReference', '');
  project.provide('registrySkipReason', '');
  if (!hasBinary('docker-registry')) {
    project.provide('registrySkipReason', missingComponent('docker-registry is not installed: apt-get install -y docker-registry'));
    return async () => rmSync(dir, { recursive: true, force: true });
  }
  const registry = await startRegistry();
  try {
    const client = new RegistryClient({ registry: registry.host, chunkSize: 4 * 1024 * 1024 });
    const digest = await pushLayout(base.dir, client, 'base/node', 'test');
    project.provide('registryHost', registry.host);
    project.provide('baseReference', `${registry.host}/base/node@${digest}`);
  } catch (error) {
    await registry.stop();
    throw error;
  }
  return async () => {
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
