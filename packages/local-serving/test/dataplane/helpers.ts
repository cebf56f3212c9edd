// Shared pieces of the data plane tests: specs, a data plane on port 0, HTTP over loopback.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IngressRoute, RevisionRuntimeSpec, RevisionRuntimeStatus, ScalingSpec } from '../../src/contracts.js';
import { createDataPlane, type LocalDataPlane } from '../../src/dataplane/index.js';
import type { DataPlaneOptions, RevisionLogLine } from '../../src/dataplane/options.js';
import { SCALING_DEFAULTS } from '@hands-on-knative/knative';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURE_ROOT = path.join(here, 'fixtures');
export const REPO_ROOT = path.resolve(here, '../../../..');

/** Knative's defaults, from the Knative model. */
export const DEFAULT_SCALING: ScalingSpec = { ...SCALING_DEFAULTS };

export function revisionSpec(
  name: string,
  image: string,
  overrides: Partial<Omit<RevisionRuntimeSpec, 'scaling'>> & { scaling?: Partial<ScalingSpec> } = {},
): RevisionRuntimeSpec {
  const service = overrides.service ?? name.replace(/-\d+$/, '');
  return {
    namespace: 'default',
    name,
    service,
    configuration: service,
    image,
    env: {},
    containerPort: 8080,
    timeoutSeconds: 300,
    ...overrides,
    scaling: { ...DEFAULT_SCALING, ...overrides.scaling },
  };
}

export function route(host: string, targets: Record<string, number>, service = host.split('.')[0]!): IngressRoute {
  return {
    host,
    namespace: 'default',
    service,
    targets: Object.entries(targets).map(([revision, percent]) => ({ revision, percent })),
  };
}

/** A data plane for one test, with its logs, notices and statuses collected. */
export interface TestPlane {
  plane: LocalDataPlane;
  logs: RevisionLogLine[];
  notices: string[];
  statuses: RevisionRuntimeStatus[];
  agent: http.Agent;
  /** Resolves with the first status of `name` that satisfies `predicate` (including the current one). */
  waitForStatus(name: string, predicate: (status: RevisionRuntimeStatus) => boolean, timeoutMs?: number): Promise<RevisionRuntimeStatus>;
  get(host: string, urlPath?: string, headers?: http.OutgoingHttpHeaders): Promise<Answer>;
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export async function startPlane(options: Partial<DataPlaneOptions> = {}): Promise<TestPlane> {
  const logs: RevisionLogLine[] = [];
  const notices: string[] = [];
  const statuses: RevisionRuntimeStatus[] = [];
  const plane = await createDataPlane({
    workspaceRoot: FIXTURE_ROOT,
    port: 0,
    onLog: (line) => logs.push(line),
    onNotice: (notice) => notices.push(notice),
    ...options,
  });
  const waiting = new Set<() => void>();
  plane.onRevisionStatus((status) => {
    statuses.push(status);
    for (const check of [...waiting]) check();
  });
  const agent = new http.Agent({ keepAlive: true });
  return {
    plane,
    logs,
    notices,
    statuses,
    agent,
    waitForStatus(name, predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const status = plane.revisionStatus('default', name);
          if (status && predicate(status)) {
            waiting.delete(check);
            clearTimeout(timer);
            resolve(status);
          }
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`timed out waiting for ${name}; last status ${JSON.stringify(plane.revisionStatus('default', name))}`));
        }, timeoutMs);
        waiting.add(check);
        check();
      });
    },
    get(host, urlPath = '/', headers = {}) {
      return request(plane.port, { method: 'GET', path: urlPath, headers: { host, ...headers }, agent });
    },
    async close() {
      await plane.close();
      agent.destroy();
    },
  };
}

export function request(
  port: number,
  options: http.RequestOptions & { body?: Buffer | string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it is true (e.g. a log line that is read asynchronously); false after the timeout. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}
