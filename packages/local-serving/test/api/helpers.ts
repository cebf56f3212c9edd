import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../src/contracts.js';
import { SqliteObjectStore, startApiServer, type ApiServer, type ApiServerOptions } from '../../src/api/index.js';

export interface TestApi {
  dir: string;
  stateDir: string;
  store: SqliteObjectStore;
  server: ApiServer;
  token: string;
  close(): Promise<void>;
}

export async function startTestApi(options: Partial<ApiServerOptions> = {}, storeOptions: { changeLogSize?: number } = {}): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'api-test-'));
  const stateDir = join(dir, 'state');
  const store = SqliteObjectStore.open({ stateDir, ...storeOptions });
  const server = await startApiServer({ store, stateDir, port: 0, ...options });
  const { readFileSync } = await import('node:fs');
  const token = readFileSync(join(stateDir, 'api-token'), 'utf8').trim();
  return {
    dir,
    stateDir,
    store,
    server,
    token,
    async close() {
      await server.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
})();

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl against the test API, with a fresh HOME (no discovery cache, no ~/.kube). */
export function kubectl(api: TestApi, args: string[], options: { input?: string; kubeconfig?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const home = join(api.dir, 'home');
  return new Promise((resolve) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', options.kubeconfig ?? api.server.kubeconfigPath, ...args],
      { env: { PATH: process.env.PATH, HOME: home }, timeout: options.timeoutMs ?? 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

export function writeManifest(api: TestApi, name: string, text: string): string {
  const path = join(api.dir, name);
  writeFileSync(path, text);
  return path;
}

export function service(name: string, env = 'world', extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', ...extra },
    spec: { template: { spec: { containers: [{ image: 'helloworld', env: [{ name: 'TARGET', value: env }] }] } } },
  };
}

/** The status the controller would write once the Service is ready. */
export function readyStatus(object: KubeObject, url: string): KubeObject {
  return {
    ...object,
    status: {
      observedGeneration: object.metadata.generation,
      url,
      latestCreatedRevisionName: `${object.metadata.name}-00001`,
      latestReadyRevisionName: `${object.metadata.name}-00001`,
      conditions: [{ type: 'Ready', status: 'True' }, { type: 'ConfigurationsReady', status: 'True' }, { type: 'RoutesReady', status: 'True' }],
    },
  };
}
