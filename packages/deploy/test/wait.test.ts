// waitForReady over real HTTP and the real client-node: a small stand-in API server on
// loopback plays a Knative Service's status changes (it is a stand-in because the point is
// to control the watch: stream events, refuse it, send 410 Gone). Status shapes are
// Knative's (observedGeneration, Ready condition); watch framing is the API server's
// (one JSON event per line).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, DeployError, SERVICES, waitForReady } from '../src/index.js';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace: string; generation: number; resourceVersion: string }; status: Record<string, unknown> };
const svc = (generation: number, observed: number, rv: number, ready: 'True' | 'False' | 'Unknown', message?: string, reason?: string): Obj => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 's', namespace: 'default', generation, resourceVersion: String(rv) },
  status: { observedGeneration: observed, url: 'http://s.default.example.com', conditions: [{ type: 'Ready', status: ready, ...(reason ? { reason } : {}), ...(message ? { message } : {}) }] },
});

let server: http.Server;
let dir: string;
let cluster: Cluster;
/** What the stand-in does: the object GET returns, and how watches are answered. */
const state: { current: Obj; watch: 'stream' | 'refuse' | 'gone-once'; events: Obj[]; gets: number; watches: string[] } = {
  current: svc(1, 1, 1, 'True'),
  watch: 'stream',
  events: [],
  gets: 0,
  watches: [],
};

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const url = new URL(request.url!, 'http://x');
    if (url.searchParams.get('watch') === 'true') {
      state.watches.push(url.searchParams.get('resourceVersion') ?? '');
      if (state.watch === 'refuse') {
        response.writeHead(500, { 'Content-Type': 'application/json' }).end('{"kind":"Status","code":500}');
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      response.flushHeaders();
      if (state.watch === 'gone-once') {
        state.watch = 'stream';
        response.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } })}\n`);
        return;
      }
      const events = state.events.splice(0);
      let i = 0;
      const timer = setInterval(() => {
        const event = events[i++];
        if (!event) return;
        state.current = event;
        response.write(`${JSON.stringify({ type: 'MODIFIED', object: event })}\n`);
      }, 20);
      response.on('close', () => clearInterval(timer));
      return;
    }
    state.gets++;
    // Polling sees the queued changes one GET at a time.
    const next = state.watch === 'refuse' ? state.events.shift() : undefined;
    if (next) state.current = next;
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(state.current));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-wait-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  const port = (server.address() as AddressInfo).port;
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context: {cluster: c, user: u, namespace: default}\ncurrent-context: x\n`);
  cluster = Cluster.connect({ kubeconfig });
});

afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  Object.assign(state, { watch: 'stream', events: [], gets: 0, watches: [] });
});

const wait = (written: Obj, timeoutMs = 20_000, lines: string[] = []) =>
  waitForReady(cluster, { resource: SERVICES, written, startMs: Date.now(), timeoutMs, pollIntervalMs: 30, onProgress: (l) => lines.push(l) });

describe('waitForReady', () => {
  it('watches from the write, ignores events of an older generation, prints each new message', async () => {
    const written = svc(2, 1, 10, 'True'); // the old generation was Ready: that says nothing about ours
    state.events = [svc(2, 1, 11, 'True'), svc(2, 2, 12, 'Unknown', 'Configuration "s" is waiting for a Revision to become ready.'), svc(2, 2, 13, 'True')];
    const lines: string[] = [];
    const result = await wait(written, 20_000, lines);
    expect(result.via).toBe('watch');
    expect(result.object.metadata.resourceVersion).toBe('13');
    expect(state.watches[0]).toBe('10');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\s+\d+\.\d{3}s Configuration "s" is waiting for a Revision to become ready\.$/);
  });

  it('falls back to polling when the watch is refused', async () => {
    state.watch = 'refuse';
    state.events = [svc(3, 2, 21, 'Unknown'), svc(3, 3, 22, 'Unknown', 'waiting'), svc(3, 3, 23, 'True')];
    const result = await wait(svc(3, 2, 20, 'True'));
    expect(result.via).toBe('poll');
    expect(result.object.metadata.resourceVersion).toBe('23');
    expect(state.gets).toBeGreaterThanOrEqual(3);
  });

  it('re-reads and watches again after 410 Gone', async () => {
    state.watch = 'gone-once';
    state.current = svc(4, 3, 30, 'Unknown');
    state.events = [svc(4, 4, 31, 'True')];
    const result = await wait(svc(4, 3, 30, 'Unknown'));
    expect(result.via).toBe('watch');
    expect(state.watches.length).toBeGreaterThanOrEqual(2);
  });

  it('fails once Ready=False has lasted the 2 s error window, with reason and message (exit 3)', async () => {
    state.events = [svc(5, 5, 41, 'False', 'Revision "s-00005" failed with message: Container failed with: exit code 1.', 'RevisionFailed')];
    const error = await wait(svc(5, 4, 40, 'True')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).exitCode).toBe(3);
    expect((error as Error).message).toMatch(/^service 's' failed: RevisionFailed: Revision "s-00005" failed with message: Container failed with: exit code 1\./);
  });

  it('times out with exit code 4 and the last status', async () => {
    state.events = [svc(6, 6, 51, 'Unknown', 'still deploying', 'Deploying')];
    const error = await wait(svc(6, 5, 50, 'True'), 500).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as DeployError).exitCode).toBe(4);
    expect((error as Error).message).toContain("timeout: service 's' not ready after 0 seconds");
    expect((error as Error).message).toContain('Last status: Deploying: still deploying');
  });
});
