// The API over raw HTTPS: the shapes clients rely on (Status errors, discovery,
// tables, watch framing) and the limits (auth, body size, media types).
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/contracts.js';
import type { PodInfo, Validate } from '../../src/api/index.js';
import { podName } from '../../src/api/index.js';
import type { RevisionProcess } from '../../src/dataplane/revision.js';

// The integrator connects the data plane as `{ list: (ns) => dataPlane.processes(ns) }`: its entries must fit PodInfo.
const processFitsPodInfo = (process: RevisionProcess): PodInfo => process;
void processFitsPodInfo;
import { service, startTestApi, type TestApi } from './helpers.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

function call(api: TestApi, method: string, path: string, options: { body?: unknown; contentType?: string; accept?: string; token?: string | null } = {}): Promise<Reply> {
  const ca = readFileSync(join(api.stateDir, 'api.crt'));
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? api.token}`;
  if (body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = request(`${api.server.url}${path}`, { method, headers, ca }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Reads a watch's first `count` events (calling onEvent for each), then hangs up; fewer if the server ends the stream. */
function watchEvents(
  api: TestApi,
  path: string,
  count: number,
  accept = 'application/json',
  onEvent: (event: { type: string; object: any }) => void = () => {},
): Promise<{ events: { type: string; object: any }[]; endedByServer: boolean }> {
  const ca = readFileSync(join(api.stateDir, 'api.crt'));
  return new Promise((resolve, reject) => {
    const events: { type: string; object: any }[] = [];
    const req = request(`${api.server.url}${path}`, { headers: { authorization: `Bearer ${api.token}`, accept }, ca }, (res) => {
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const event = JSON.parse(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
          events.push(event);
          onEvent(event);
          if (events.length === count) {
            req.destroy();
            resolve({ events, endedByServer: false });
          }
        }
      });
      res.on('end', () => resolve({ events, endedByServer: true }));
    });
    req.on('error', (error) => (events.length >= count ? undefined : reject(error)));
    req.end();
  });
}

const SERVICES = '/apis/serving.knative.dev/v1/namespaces/default/services';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

describe('the API over HTTPS', { timeout: 60_000 }, () => {
  let api: TestApi;
  const validated: { name: string; previous?: string }[] = [];
  const pods: PodInfo[] = [
    { namespace: 'default', name: podName('hello-00001', 1), revision: 'hello-00001', service: 'hello', ready: true, phase: 'Running', restarts: 0, startedAt: new Date().toISOString(), pid: 1234 },
    { namespace: 'default', replica: 2, revision: 'hello-00001', ready: false, phase: 'Pending', restarts: 1, startedAt: new Date().toISOString() },
  ];
  const validate: Validate = (object: KubeObject, previous?: KubeObject) => {
    validated.push({ name: object.metadata.name, ...(previous ? { previous: previous.metadata.resourceVersion } : {}) });
    return object.metadata.labels?.reject ? [{ field: 'metadata.labels.reject', message: 'not allowed here' }] : [];
  };

  beforeAll(async () => {
    api = await startTestApi({ validate, pods: { list: (ns) => pods.filter((p) => !ns || p.namespace === ns) }, maxBodyBytes: 64 * 1024, bookmarkIntervalMs: 200 });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  }, 60_000);

  it('answers 401 Unauthorized as a Status without the right token, but /version to anyone', async () => {
    for (const token of [null, 'wrong']) {
      const reply = await call(api, 'GET', '/api', { token });
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
    const version = await call(api, 'GET', '/version', { token: null });
    expect(version.json).toMatchObject({ major: '1', minor: '32' });
    // A malformed escape is a plain 400, not a 500 with a stack in the log.
    const malformed = await call(api, 'GET', '/apis/serving.knative.dev/v1/namespaces/%E0%A4%A/services', { token: null });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
  });

  it('serves discovery with short names, categories and status subresources', async () => {
    const knative = (await call(api, 'GET', '/apis/serving.knative.dev/v1')).json;
    const byName = Object.fromEntries(knative.resources.map((r: { name: string }) => [r.name, r]));
    expect(byName.services).toMatchObject({ kind: 'Service', namespaced: true, shortNames: ['kservice', 'ksvc'], categories: ['all', 'knative', 'serving'] });
    expect(byName.configurations.shortNames).toEqual(['config', 'cfg']);
    expect(byName.revisions.shortNames).toEqual(['rev']);
    expect(byName.routes.shortNames).toEqual(['rt']);
    expect(byName['services/status'].verbs).toEqual(['get', 'patch', 'update']);
    const core = (await call(api, 'GET', '/api/v1')).json;
    const coreByName = Object.fromEntries(core.resources.map((r: { name: string }) => [r.name, r]));
    expect(coreByName.namespaces).toMatchObject({ namespaced: false, shortNames: ['ns'] });
    expect(coreByName.pods).toMatchObject({ shortNames: ['po'], categories: ['all'], verbs: ['get', 'list', 'watch'] });
    expect((await call(api, 'GET', '/apis')).json.groups[0].preferredVersion.groupVersion).toBe('serving.knative.dev/v1');
    const root = (await call(api, 'GET', '/openapi/v3')).json;
    const gv = (await call(api, 'GET', root.paths['apis/serving.knative.dev/v1'].serverRelativeURL)).json;
    const patch = gv.paths['/apis/serving.knative.dev/v1/namespaces/{namespace}/services/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'serving.knative.dev', version: 'v1', kind: 'Service' });
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
  });

  it('calls the validation hook (with the previous object on update) and answers 422 with causes', async () => {
    const created = await call(api, 'POST', SERVICES, { body: service('hooked') });
    expect(created.status).toBe(201);
    const rejected = await call(api, 'PATCH', `${SERVICES}/hooked`, { body: { metadata: { labels: { reject: 'yes' } } }, contentType: 'application/merge-patch+json' });
    expect(rejected.status).toBe(422);
    expect(rejected.json).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
      details: { name: 'hooked', kind: 'Service', group: 'serving.knative.dev', causes: [{ field: 'metadata.labels.reject', message: 'not allowed here' }] },
    });
    expect(validated).toContainEqual({ name: 'hooked', previous: created.json.metadata.resourceVersion });
  });

  it('answers AlreadyExists, Conflict on a stale resourceVersion, NotFound, Forbidden and precondition failures as Statuses', async () => {
    const duplicate = await call(api, 'POST', SERVICES, { body: service('hooked') });
    expect(duplicate.json).toMatchObject({ reason: 'AlreadyExists', code: 409 });
    const stale = await call(api, 'PUT', `${SERVICES}/hooked`, { body: { ...service('hooked'), metadata: { name: 'hooked', resourceVersion: '1' } } });
    expect(stale.json).toMatchObject({ reason: 'Conflict', code: 409 });
    expect(stale.json.message).toContain('the object has been modified');
    const missing = await call(api, 'GET', `${SERVICES}/nope`);
    expect(missing.json).toMatchObject({ reason: 'NotFound', code: 404, message: 'services.serving.knative.dev "nope" not found' });
    const unknown = await call(api, 'GET', '/apis/apps/v1/deployments');
    expect(unknown.json).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    const forbidden = await call(api, 'DELETE', '/api/v1/namespaces/default');
    expect(forbidden.json).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    const precondition = await call(api, 'DELETE', `${SERVICES}/hooked`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'other' } } });
    expect(precondition.json).toMatchObject({ reason: 'Conflict', code: 409 });
  });

  it('refuses protobuf (415), oversized bodies (413), and strategic merge on Knative kinds (415)', async () => {
    const protobuf = await call(api, 'POST', '/api/v1/namespaces', { body: 'k8s\u0000', contentType: 'application/vnd.kubernetes.protobuf' });
    expect(protobuf.json).toMatchObject({ reason: 'UnsupportedMediaType', code: 415 });
    expect(protobuf.json.message).toContain('kubectl apply -f');
    const big = await call(api, 'POST', SERVICES, { body: { ...service('big'), padding: 'x'.repeat(100 * 1024) } });
    expect(big.json).toMatchObject({ reason: 'RequestEntityTooLarge', code: 413 });
    const strategic = await call(api, 'PATCH', `${SERVICES}/hooked`, { body: {}, contentType: 'application/strategic-merge-patch+json' });
    expect(strategic.json).toMatchObject({ reason: 'UnsupportedMediaType', code: 415 });
  });

  it('does not store a dry-run create, apply or patch', async () => {
    const dry = await call(api, 'POST', `${SERVICES}?dryRun=All`, { body: service('dry') });
    expect(dry.status).toBe(201);
    expect(api.store.get('services', 'default', 'dry')).toBeUndefined();
    const applied = await call(api, 'PATCH', `${SERVICES}/dry?fieldManager=me&dryRun=All`, { body: service('dry'), contentType: 'application/apply-patch+yaml' });
    expect(applied.status).toBe(201);
    expect(api.store.get('services', 'default', 'dry')).toBeUndefined();
    const before = api.store.get('services', 'default', 'hooked')!.metadata.resourceVersion;
    await call(api, 'PATCH', `${SERVICES}/hooked?dryRun=All`, { body: { metadata: { labels: { a: 'b' } } }, contentType: 'application/merge-patch+json' });
    expect(api.store.get('services', 'default', 'hooked')!.metadata.resourceVersion).toBe(before);
  });

  it('accepts a YAML apply body and requires a fieldManager for apply', async () => {
    const yaml = 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: from-yaml\nspec:\n  template:\n    spec:\n      containers:\n      - image: helloworld\n';
    const missing = await call(api, 'PATCH', `${SERVICES}/from-yaml`, { body: yaml, contentType: 'application/apply-patch+yaml' });
    expect(missing.json).toMatchObject({ reason: 'BadRequest', code: 400 });
    const applied = await call(api, 'PATCH', `${SERVICES}/from-yaml?fieldManager=yaml-user`, { body: yaml, contentType: 'application/apply-patch+yaml' });
    expect(applied.status).toBe(201);
    expect(applied.json.metadata.managedFields[0].manager).toBe('yaml-user');
  });

  it('answers Tables sorted by namespace then name, with PartialObjectMetadata rows', async () => {
    api.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'aaa' } });
    api.store.create('services', { ...service('zzz'), metadata: { name: 'zzz', namespace: 'aaa' } });
    const table = (await call(api, 'GET', '/apis/serving.knative.dev/v1/services', { accept: TABLE })).json;
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'URL', 'LatestCreated', 'LatestReady', 'Ready', 'Reason']);
    expect(table.rows.map((r: any) => `${r.object.metadata.namespace}/${r.cells[0]}`)).toEqual(['aaa/zzz', 'default/from-yaml', 'default/hooked']);
    expect(table.rows[0].object.kind).toBe('PartialObjectMetadata');
    expect(table.metadata.resourceVersion).toMatch(/^\d+$/);
    const byField = (await call(api, 'GET', `${SERVICES}?fieldSelector=metadata.name%3Dhooked`)).json;
    expect(byField.items.map((i: KubeObject) => i.metadata.name)).toEqual(['hooked']);
    const badField = await call(api, 'GET', `${SERVICES}?fieldSelector=spec.x%3Dy`);
    expect(badField.json).toMatchObject({ reason: 'BadRequest', code: 400 });
  });

  it('lists pods from the PodSource (Ready 1/1, Running) and refuses writes to them', async () => {
    const table = (await call(api, 'GET', '/api/v1/namespaces/default/pods', { accept: TABLE })).json;
    expect(table.columnDefinitions.slice(0, 5).map((c: { name: string }) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    const expected = [
      [pods[0]!.name, '1/1', 'Running', 0],
      [podName('hello-00001', 2), '0/1', 'Pending', 1],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(table.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 4))).toEqual(expected);
    expect(pods[0]!.name).toMatch(/^hello-00001-deployment-[a-z0-9]{10}-[a-z0-9]{5}$/);
    const pod = (await call(api, 'GET', `/api/v1/namespaces/default/pods/${pods[0]!.name}`)).json;
    expect(pod).toMatchObject({ kind: 'Pod', metadata: { labels: { 'serving.knative.dev/revision': 'hello-00001' } } });
    const write = await call(api, 'DELETE', `/api/v1/namespaces/default/pods/${pods[0]!.name}`);
    expect(write.json).toMatchObject({ reason: 'MethodNotAllowed', code: 405 });
  });

  it('watches: synthetic ADDED for resourceVersion 0, live MODIFIED, and bookmarks when allowed', async () => {
    const { events } = await watchEvents(
      api,
      `${SERVICES}?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dhooked&allowWatchBookmarks=true`,
      3,
      'application/json',
      (event) => {
        // Change the object once the watch is surely open: after its first (synthetic) event.
        if (event.type !== 'ADDED') return;
        const current = api.store.get('services', 'default', 'hooked')!;
        api.store.updateStatus('services', { ...current, status: { observedGeneration: 1 } });
      },
    );
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('ADDED');
    expect(types).toContain('MODIFIED');
    expect(events.find((e) => e.type === 'MODIFIED')!.object.status).toEqual({ observedGeneration: 1 });
    const bookmark = await watchEvents(api, `${SERVICES}?watch=true&resourceVersion=${api.store.resourceVersion()}&allowWatchBookmarks=true`, 1);
    expect(bookmark.events[0]).toMatchObject({ type: 'BOOKMARK', object: { kind: 'Service', metadata: { resourceVersion: String(api.store.resourceVersion()) } } });
  });

  it('refuses a watch from a resourceVersion that is not a number with 400', async () => {
    const reply = await call(api, 'GET', `${SERVICES}?watch=true&resourceVersion=abc`);
    expect(reply.json).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });

  it('sends one-row Tables on a Table watch, column definitions only once, and ends at timeoutSeconds', async () => {
    const { events, endedByServer } = await watchEvents(api, `${SERVICES}?watch=true&resourceVersion=0&timeoutSeconds=1`, 100, TABLE);
    expect(endedByServer).toBe(true);
    expect(events.length).toBe(2);
    expect(events[0]!.object).toMatchObject({ kind: 'Table', rows: [{ cells: ['from-yaml', '', '', '', '', ''] }] });
    expect(events[0]!.object.columnDefinitions).toHaveLength(6);
    expect(events[1]!.object.columnDefinitions).toEqual([]);
  });
});
