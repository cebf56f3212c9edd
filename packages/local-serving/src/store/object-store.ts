// The ObjectStore the controller and the API share: every object in memory for
// reads, every write committed to SQLite (one transaction, fsync'd) before it
// is visible, with the API server's metadata rules and a change log for watches.
import { randomBytes, randomUUID } from 'node:crypto';
import type { KubeObject, ObjectStore, ResourceName, StoreEvent } from '../contracts.js';
import { openDatabase, type Database } from './database.js';
import { StoreError } from './errors.js';
import { managedFieldsAfterUpdate, type ManagedFieldsEntry } from './managed-fields.js';
import { RESOURCES, type ResourceInfo } from './resources.js';
import { clone, deepEqual, isPlainObject } from './values.js';

/** A committed change, as watches replay it. */
export interface ChangeEvent extends StoreEvent {
  resourceVersion: number;
  /** The object before a MODIFIED change (kept in memory only, for selector transitions). */
  previous?: KubeObject;
}

export interface WriteOptions {
  /** Who writes, for metadata.managedFields (operation Update). Default "controller". */
  fieldManager?: string;
  /** Set by server-side apply, which computes ownership itself. */
  managedFields?: ManagedFieldsEntry[];
  /** Compute and return the result without storing it. */
  dryRun?: boolean;
}

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface SqliteObjectStoreOptions {
  /** Folder for store.db; created (mode 0700) when missing. */
  stateDir: string;
  /** How many changes watches can replay; older resourceVersions get 410 Gone. */
  changeLogSize?: number;
  now?: () => Date;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const objectKey = (resource: ResourceName, namespace: string, name: string): string =>
  `${resource}\u0000${namespace}\u0000${name}`;

/** `services.serving.knative.dev "x"`, the way the API server names an object in messages. */
export function qualifiedName(info: ResourceInfo, name: string): string {
  return `${info.group ? `${info.resource}.${info.group}` : info.resource} "${name}"`;
}

/** RFC 3339 to the second, as Kubernetes writes timestamps. */
const timestamp = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

export class SqliteObjectStore implements ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
  private readonly changeLog: ChangeEvent[] = [];
  private readonly listeners = new Set<(event: ChangeEvent) => void>();
  private rv = 0;
  private oldestChange = 1;
  private readonly changeLogSize: number;
  private readonly now: () => Date;

  private constructor(
    private readonly db: Database,
    private readonly release: () => void,
    options: SqliteObjectStoreOptions,
  ) {
    this.changeLogSize = options.changeLogSize ?? 1000;
    this.now = options.now ?? (() => new Date());
  }

  /** Opens the state folder's database and loads every object; `default` always exists. */
  static open(options: SqliteObjectStoreOptions): SqliteObjectStore {
    const { db, release } = openDatabase(options.stateDir);
    const store = new SqliteObjectStore(db, release, options);
    store.load();
    if (!store.get('namespaces', undefined, 'default')) {
      store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    }
    return store;
  }

  private load(): void {
    const counter = (name: string): number => Number(this.db.get('SELECT value FROM counters WHERE name = ?', [name])?.value ?? 0);
    this.rv = counter('resourceVersion');
    this.oldestChange = counter('oldestChange');
    for (const row of this.db.all('SELECT resource, namespace, name, body FROM objects')) {
      this.objects.set(
        objectKey(row.resource as ResourceName, String(row.namespace), String(row.name)),
        JSON.parse(String(row.body)) as KubeObject,
      );
    }
    for (const row of this.db.all('SELECT rv, type, resource, body FROM changes ORDER BY rv')) {
      this.changeLog.push({
        resourceVersion: Number(row.rv),
        type: row.type as ChangeEvent['type'],
        resource: row.resource as ResourceName,
        object: JSON.parse(String(row.body)) as KubeObject,
      });
    }
  }

  close(): void {
    this.listeners.clear();
    this.release();
  }

  /** The newest resourceVersion (a global counter, as etcd's revision). */
  resourceVersion(): number {
    return this.rv;
  }

  get(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.objects.get(objectKey(resource, this.namespaceOf(resource, namespace), name));
    return found && clone(found);
  }

  list(resource: ResourceName, namespace?: string): KubeObject[] {
    const prefix = `${resource}\u0000${namespace !== undefined && RESOURCES[resource].namespaced ? `${namespace}\u0000` : ''}`;
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([, object]) => clone(object))
      .sort(byNamespaceAndName);
  }

  create(resource: ResourceName, object: KubeObject, options: WriteOptions = {}): KubeObject {
    const info = RESOURCES[resource];
    const next = clone(object);
    next.apiVersion = info.apiVersion;
    next.kind = info.kind;
    const metadata = (next.metadata ??= { name: '' });
    if (!metadata.name && typeof metadata.generateName === 'string' && metadata.generateName) {
      metadata.name = `${metadata.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
    }
    this.checkName(info, metadata.name);
    if (info.namespaced) {
      metadata.namespace = metadata.namespace || 'default';
      if (!this.objects.has(objectKey('namespaces', '', metadata.namespace))) {
        throw new StoreError('NotFound', `namespaces "${metadata.namespace}" not found`, { name: metadata.namespace, kind: 'namespaces' });
      }
    } else {
      delete metadata.namespace;
    }
    if (this.objects.has(this.keyOf(resource, next))) {
      throw new StoreError('AlreadyExists', `${qualifiedName(info, metadata.name)} already exists`, {
        name: metadata.name,
        group: info.group,
        kind: info.resource,
      });
    }
    metadata.uid = randomUUID();
    metadata.creationTimestamp = timestamp(this.now());
    delete metadata.deletionTimestamp;
    if (info.tracksGeneration) metadata.generation = 1;
    else delete metadata.generation;
    normalizeKind(info, next);
    metadata.managedFields =
      options.managedFields ??
      managedFieldsAfterUpdate(undefined, next, options.fieldManager ?? 'controller', info.apiVersion, timestamp(this.now()));
    if (options.dryRun) return { ...next, metadata: { ...metadata, resourceVersion: String(this.rv) } };
    return this.commit([{ type: 'ADDED', resource, object: next }]);
  }

  update(resource: ResourceName, object: KubeObject, options: WriteOptions = {}): KubeObject {
    const info = RESOURCES[resource];
    const current = this.existing(resource, object);
    const next = clone(object);
    next.apiVersion = info.apiVersion;
    next.kind = info.kind;
    next.metadata = {
      ...next.metadata,
      name: current.metadata.name,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      managedFields: current.metadata.managedFields,
    };
    if (info.namespaced) next.metadata.namespace = current.metadata.namespace;
    else delete next.metadata.namespace;
    delete next.metadata.resourceVersion;
    delete next.metadata.generation;
    if (info.hasStatusSubresource) {
      if (current.status === undefined) delete next.status;
      else next.status = clone(current.status);
    }
    normalizeKind(info, next);
    if (info.tracksGeneration) {
      const bump = !deepEqual(current.spec, next.spec);
      next.metadata.generation = (current.metadata.generation ?? 1) + (bump ? 1 : 0);
    }
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    next.metadata.managedFields =
      options.managedFields ??
      managedFieldsAfterUpdate(current, next, options.fieldManager ?? 'controller', info.apiVersion, timestamp(this.now()));
    // Nothing changed (ownership timestamps aside): no write, no new resourceVersion, as the API server does.
    if (deepEqual(withoutTimes(next), withoutTimes(current))) return current;
    if (options.dryRun) return next;
    return this.commit([{ type: 'MODIFIED', resource, object: next, previous: current }]);
  }

  updateStatus(resource: ResourceName, object: KubeObject, options: WriteOptions = {}): KubeObject {
    const current = this.existing(resource, object);
    const next = clone(current);
    if (object.status === undefined) delete next.status;
    else next.status = clone(object.status);
    if (deepEqual(next, current)) return current;
    if (options.dryRun) return next;
    return this.commit([{ type: 'MODIFIED', resource, object: next, previous: current }]);
  }

  delete(resource: ResourceName, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject | undefined {
    const target = this.objects.get(objectKey(resource, this.namespaceOf(resource, namespace), name));
    if (!target) return undefined;
    const { uid, resourceVersion } = options.preconditions ?? {};
    if ((uid && uid !== target.metadata.uid) || (resourceVersion && resourceVersion !== target.metadata.resourceVersion)) {
      throw new StoreError(
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedName(RESOURCES[resource], name)}: the precondition does not match`,
        { name, group: RESOURCES[resource].group, kind: resource },
      );
    }
    const doomed = this.withDependents(resource, target);
    const deletedAt = timestamp(this.now());
    const changes = doomed.map(([res, object]) => {
      const gone = clone(object);
      gone.metadata.deletionTimestamp = deletedAt;
      return { type: 'DELETED' as const, resource: res, object: gone };
    });
    if (options.dryRun) return changes[0]?.object;
    this.commit(changes);
    return clone(changes[0]?.object);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    const wrapped = (event: ChangeEvent): void => listener(event);
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  /** Changes after `resourceVersion`, oldest first; undefined when the log no longer reaches back that far (410 Gone). */
  changesSince(resourceVersion: number): ChangeEvent[] | undefined {
    if (resourceVersion + 1 < this.oldestChange) return undefined;
    return this.changeLog.filter((change) => change.resourceVersion > resourceVersion).map((c) => clone(c));
  }

  /** Like subscribe, with each change's resourceVersion and previous object. */
  subscribeChanges(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private existing(resource: ResourceName, object: KubeObject): KubeObject {
    const info = RESOURCES[resource];
    const name = object.metadata?.name ?? '';
    const current = this.objects.get(this.keyOf(resource, object));
    if (!current) {
      throw new StoreError('NotFound', `${qualifiedName(info, name)} not found`, { name, group: info.group, kind: resource });
    }
    const expected = object.metadata.resourceVersion;
    if (expected && expected !== current.metadata.resourceVersion) {
      throw new StoreError(
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedName(info, name)}: the object has been modified; please apply your changes to the latest version and try again`,
        { name, group: info.group, kind: resource },
      );
    }
    return clone(current);
  }

  /** The object and, depth first, everything that names it as owner (and, for a namespace, everything in it). */
  private withDependents(resource: ResourceName, root: KubeObject): [ResourceName, KubeObject][] {
    const result: [ResourceName, KubeObject][] = [];
    const seen = new Set<string>();
    const visit = (res: ResourceName, object: KubeObject): void => {
      const key = this.keyOf(res, object);
      if (seen.has(key)) return;
      seen.add(key);
      result.push([res, object]);
      for (const [childKey, child] of this.objects) {
        const childResource = childKey.split('\u0000')[0] as ResourceName;
        const owned = child.metadata.ownerReferences?.some((ref) => ref.uid === object.metadata.uid);
        const inNamespace = res === 'namespaces' && RESOURCES[childResource].namespaced && child.metadata.namespace === object.metadata.name;
        if (owned || inNamespace) visit(childResource, child);
      }
    };
    visit(resource, root);
    return result;
  }

  private commit(changes: (StoreEvent & { previous?: KubeObject })[]): KubeObject {
    const committed: ChangeEvent[] = [];
    let rv = this.rv;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const change of changes) {
        rv += 1;
        const object = change.object;
        object.metadata.resourceVersion = String(rv);
        const namespace = object.metadata.namespace ?? '';
        const body = JSON.stringify(object);
        if (change.type === 'DELETED') {
          this.db.run('DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?', [change.resource, namespace, object.metadata.name]);
        } else {
          this.db.run('INSERT OR REPLACE INTO objects (resource, namespace, name, body) VALUES (?, ?, ?, ?)', [
            change.resource,
            namespace,
            object.metadata.name,
            body,
          ]);
        }
        this.db.run('INSERT OR REPLACE INTO changes (rv, type, resource, body) VALUES (?, ?, ?, ?)', [rv, change.type, change.resource, body]);
        committed.push({ ...change, resourceVersion: rv });
      }
      const oldest = Math.max(this.oldestChange, rv - this.changeLogSize + 1);
      this.db.run('DELETE FROM changes WHERE rv < ?', [oldest]);
      this.db.run("UPDATE counters SET value = ? WHERE name = 'resourceVersion'", [rv]);
      this.db.run("UPDATE counters SET value = ? WHERE name = 'oldestChange'", [oldest]);
      this.db.exec('COMMIT');
      this.oldestChange = oldest;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
    this.rv = rv;
    for (const change of committed) {
      const key = this.keyOf(change.resource, change.object);
      if (change.type === 'DELETED') this.objects.delete(key);
      else this.objects.set(key, change.object);
      this.changeLog.push(change);
    }
    this.changeLog.splice(0, Math.max(0, this.changeLog.length - this.changeLogSize));
    for (const change of committed) {
      for (const listener of [...this.listeners]) {
        try {
          listener(clone(change));
        } catch {
          // A listener's failure must not undo a committed write or starve the other listeners.
        }
      }
    }
    return clone(committed[0]!.object);
  }

  private checkName(info: ResourceInfo, name: string | undefined): void {
    const pattern = info.namespaced ? DNS1123_SUBDOMAIN : DNS1123_LABEL;
    if (!name) {
      throw new StoreError('Invalid', `${info.kind} "" is invalid: metadata.name: Required value: name or generateName is required`, {
        kind: info.kind,
        group: info.group,
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }],
      });
    }
    if (name.length > 253 || !pattern.test(name)) {
      const message = `Invalid value: "${name}": a lowercase RFC 1123 ${info.namespaced ? 'subdomain' : 'label'} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`;
      throw new StoreError('Invalid', `${info.kind} "${name}" is invalid: metadata.name: ${message}`, {
        name,
        kind: info.kind,
        group: info.group,
        causes: [{ reason: 'FieldValueInvalid', message, field: 'metadata.name' }],
      });
    }
  }

  private namespaceOf(resource: ResourceName, namespace: string | undefined): string {
    return RESOURCES[resource].namespaced ? (namespace ?? 'default') : '';
  }

  private keyOf(resource: ResourceName, object: KubeObject): string {
    return objectKey(resource, this.namespaceOf(resource, object.metadata?.namespace), object.metadata?.name ?? '');
  }
}

function withoutTimes(object: KubeObject): KubeObject {
  const managedFields = (object.metadata.managedFields ?? []).map((entry) => (isPlainObject(entry) ? { ...entry, time: undefined } : entry));
  return { ...object, metadata: { ...object.metadata, managedFields } };
}

export function byNamespaceAndName(a: KubeObject, b: KubeObject): number {
  const ns = (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '');
  return ns !== 0 ? ns : a.metadata.name.localeCompare(b.metadata.name);
}

/** What the API server does per kind on every write. */
function normalizeKind(info: ResourceInfo, object: KubeObject): void {
  if (info.resource === 'secrets') {
    // stringData is write-only: folded into data (base64), as the API server does.
    if (isPlainObject(object.stringData)) {
      const data = { ...(object.data ?? {}) };
      for (const [key, value] of Object.entries(object.stringData)) data[key] = Buffer.from(String(value), 'utf8').toString('base64');
      object.data = data;
    }
    delete object.stringData;
    object.type ??= 'Opaque';
  }
  if (info.resource === 'namespaces') {
    object.spec = { finalizers: ['kubernetes'] };
    object.status = { phase: 'Active' };
    object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': object.metadata.name };
  }
}


