import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/contracts.js';
import { SqliteObjectStore, StoreError, fromFieldsV1, type ManagedFieldsEntry } from '../../src/store/index.js';

const service = (name: string, image = 'helloworld', extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', ...extra },
  spec: { template: { spec: { containers: [{ image }] } } },
});

let stateDir: string;
let store: SqliteObjectStore;

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'store-test-'));
  store = SqliteObjectStore.open({ stateDir });
});
afterEach(() => {
  store.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('SqliteObjectStore metadata', () => {
  it('assigns uid, creationTimestamp, generation 1 and a growing resourceVersion', () => {
    const a = store.create('services', service('a'));
    const b = store.create('services', service('b'));
    expect(a.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(a.metadata.generation).toBe(1);
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(store.list('services', 'default').map((s) => s.metadata.name)).toEqual(['a', 'b']);
  });

  it('bumps generation on spec change only, never on status or metadata change', () => {
    const created = store.create('services', service('a'));
    const labelled = store.update('services', { ...created, metadata: { ...created.metadata, labels: { x: 'y' } } });
    expect(labelled.metadata.generation).toBe(1);
    const withStatus = store.updateStatus('services', { ...labelled, status: { observedGeneration: 1 } });
    expect(withStatus.metadata.generation).toBe(1);
    expect(Number(withStatus.metadata.resourceVersion)).toBeGreaterThan(Number(labelled.metadata.resourceVersion));
    const changed = store.update('services', { ...service('a', 'other'), metadata: withStatus.metadata });
    expect(changed.metadata.generation).toBe(2);
    // update() leaves status alone: it belongs to the /status subresource.
    expect(changed.status).toEqual({ observedGeneration: 1 });
  });

  it('does not write (nor bump resourceVersion) when nothing changes', () => {
    const created = store.create('services', service('a'));
    const again = store.update('services', created);
    expect(again.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('writes an ownership change given explicitly (server-side apply), but not a mere timestamp change', () => {
    const created = store.create('services', service('a'), { fieldManager: 'alice' });
    const entries = created.metadata.managedFields as ManagedFieldsEntry[];
    const sameButLater = entries.map((e) => ({ ...e, time: '2030-01-01T00:00:00Z' }));
    expect(store.update('services', created, { managedFields: sameButLater }).metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const handedOver = entries.map((e) => ({ ...e, manager: 'bob' }));
    const updated = store.update('services', created, { managedFields: handedOver });
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    expect((updated.metadata.managedFields as ManagedFieldsEntry[])[0]!.manager).toBe('bob');
  });

  it('refuses a stale resourceVersion with a Conflict and a duplicate with AlreadyExists', () => {
    const created = store.create('services', service('a'));
    store.update('services', { ...created, metadata: { ...created.metadata, labels: { v: '2' } } });
    expect(() => store.update('services', created)).toThrow(/has been modified/);
    try {
      store.create('services', service('a'));
      expect.unreachable();
    } catch (error) {
      expect((error as StoreError).reason).toBe('AlreadyExists');
      expect((error as StoreError).message).toBe('services.serving.knative.dev "a" already exists');
    }
  });

  it('rejects objects in a namespace that does not exist and names that are not DNS-1123', () => {
    expect(() => store.create('services', { ...service('a'), metadata: { name: 'a', namespace: 'nope' } })).toThrow('namespaces "nope" not found');
    expect(() => store.create('services', service('Not_OK'))).toThrow(/RFC 1123/);
  });

  it('folds Secret stringData into base64 data', () => {
    const secret = store.create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { token: 'abc' } });
    expect(secret.data).toEqual({ token: Buffer.from('abc').toString('base64') });
    expect(secret.stringData).toBeUndefined();
    expect(secret.type).toBe('Opaque');
    expect(secret.metadata.generation).toBeUndefined();
  });

  it('tracks managedFields per field manager', () => {
    const created = store.create('services', service('a'), { fieldManager: 'alice' });
    expect(created.metadata.managedFields).toHaveLength(1);
    const entry = created.metadata.managedFields![0] as { manager: string; operation: string; fieldsV1: unknown };
    expect(entry).toMatchObject({ manager: 'alice', operation: 'Update' });
    expect([...fromFieldsV1(entry.fieldsV1)]).toContain(JSON.stringify(['spec', 'template', 'spec', 'containers']));
    const updated = store.update('services', { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } }, { fieldManager: 'bob' });
    expect(updated.metadata.managedFields!.map((m) => (m as { manager: string }).manager).sort()).toEqual(['alice', 'bob']);
  });
});

describe('SqliteObjectStore deletion', () => {
  it('deletes owned objects with their owner, recursively', () => {
    const svc = store.create('services', service('a'));
    const ownerRef = (o: KubeObject) => [{ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid!, controller: true }];
    const cfg = store.create('configurations', { apiVersion: 'serving.knative.dev/v1', kind: 'Configuration', metadata: { name: 'a', ownerReferences: ownerRef(svc) }, spec: {} });
    store.create('revisions', { apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata: { name: 'a-00001', ownerReferences: ownerRef(cfg) }, spec: {} });
    store.create('services', service('keep'));
    const deleted: string[] = [];
    store.subscribe((e) => e.type === 'DELETED' && deleted.push(`${e.resource}/${e.object.metadata.name}`));
    const gone = store.delete('services', 'default', 'a');
    expect(gone?.metadata.name).toBe('a');
    expect(deleted).toEqual(['services/a', 'configurations/a', 'revisions/a-00001']);
    expect(store.list('revisions')).toEqual([]);
    expect(store.list('services').map((s) => s.metadata.name)).toEqual(['keep']);
  });

  it('deletes everything in a namespace with the namespace', () => {
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    store.create('services', { ...service('a'), metadata: { name: 'a', namespace: 'team' } });
    store.delete('namespaces', undefined, 'team');
    expect(store.list('services', 'team')).toEqual([]);
  });
});

describe('SqliteObjectStore change log', () => {
  it('replays changes after a resourceVersion and answers undefined (410) when too old', () => {
    const small = SqliteObjectStore.open({ stateDir: mkdtempSync(join(tmpdir(), 'store-log-')), changeLogSize: 3 });
    try {
      const start = small.resourceVersion();
      for (const name of ['a', 'b', 'c', 'd']) small.create('services', service(name));
      expect(small.changesSince(start)).toBeUndefined();
      const recent = small.changesSince(small.resourceVersion() - 2)!;
      expect(recent.map((c) => c.object.metadata.name)).toEqual(['c', 'd']);
    } finally {
      small.close();
    }
  });
});

describe('SqliteObjectStore persistence', () => {
  it('brings every object, the resourceVersion counter and the change log back after reopening', () => {
    const created = store.create('services', service('a'));
    store.updateStatus('services', { ...created, status: { url: 'http://a.default.localhost' } });
    const rv = store.resourceVersion();
    store.close();
    store = SqliteObjectStore.open({ stateDir });
    expect(store.get('services', 'default', 'a')?.status).toEqual({ url: 'http://a.default.localhost' });
    expect(store.resourceVersion()).toBe(rv);
    expect(store.changesSince(rv - 1)?.map((c) => c.type)).toEqual(['MODIFIED']);
    expect(Number(store.create('services', service('b')).metadata.resourceVersion)).toBe(rv + 1);
  });

  it('opens after a crash that left the WASM VFS lock directory and a dead owner behind', () => {
    store.create('services', service('survivor'));
    store.close();
    // What kill -9 inside a transaction leaves: the lock directory and store.pid of a dead process.
    mkdirSync(join(stateDir, 'store.db.lock'));
    writeFileSync(join(stateDir, 'store.pid'), '999999999\n');
    store = SqliteObjectStore.open({ stateDir });
    expect(store.get('services', 'default', 'survivor')).toBeDefined();
    expect(store.create('services', service('next')).metadata.name).toBe('next');
  });

  it('refuses a state folder that another live process holds', () => {
    const other = mkdtempSync(join(tmpdir(), 'store-busy-'));
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(join(other, 'store.pid'), `${holder.pid}\n`);
      expect(() => SqliteObjectStore.open({ stateDir: other })).toThrow(`in use by process ${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
      rmSync(other, { recursive: true, force: true });
    }
  });
});
