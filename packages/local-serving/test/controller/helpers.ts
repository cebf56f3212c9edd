// Test doubles for the controller's two collaborators.
//
// MemoryObjectStore: an in-memory ObjectStore with the metadata rules the controller relies on
// (uid, resourceVersion, generation bumped only on spec change, status kept by updates, conflicts
// on a stale resourceVersion, AlreadyExists, cascade delete through ownerReferences, synchronous
// listeners). It is a test double of the real store (src/store, SQLite, written and tested by its
// owner); one test in controller.test.ts also runs the controller against the real store.
//
// RecordingDataPlane: records setRevisions/setRoutes and lets a test report revision statuses.
// The real data plane spawns processes and binds an ingress port; it is tested by its owner
// (test/dataplane); here we check what the controller asks of it and how it reacts to reports.
import { randomUUID } from 'node:crypto';
import type {
  DataPlane,
  IngressRoute,
  KubeObject,
  ObjectStore,
  ResourceName,
  RevisionRuntimeSpec,
  RevisionRuntimeStatus,
  StoreEvent,
} from '../../src/contracts.js';

const NAMESPACED: Record<ResourceName, boolean> = {
  services: true,
  configurations: true,
  revisions: true,
  routes: true,
  secrets: true,
  namespaces: false,
};
const KNATIVE = new Set<ResourceName>(['services', 'configurations', 'revisions', 'routes']);

const clone = <T>(v: T): T => structuredClone(v);
const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, { resource: ResourceName; object: KubeObject }>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private rv = 0;
  readonly events: StoreEvent[] = [];

  constructor() {
    this.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  }

  private key(resource: ResourceName, namespace: string | undefined, name: string): string {
    return `${resource}/${NAMESPACED[resource] ? namespace ?? 'default' : ''}/${name}`;
  }

  private emit(event: StoreEvent): void {
    this.events.push(clone(event));
    for (const listener of [...this.listeners]) listener(clone(event));
  }

  get(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.objects.get(this.key(resource, namespace, name));
    return found && clone(found.object);
  }

  list(resource: ResourceName, namespace?: string): KubeObject[] {
    return [...this.objects.values()]
      .filter((e) => e.resource === resource && (namespace === undefined || e.object.metadata.namespace === namespace))
      .map((e) => clone(e.object))
      .sort((a, b) => (`${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}` ? -1 : 1));
  }

  create(resource: ResourceName, object: KubeObject): KubeObject {
    const next = clone(object);
    if (NAMESPACED[resource]) next.metadata.namespace ??= 'default';
    const k = this.key(resource, next.metadata.namespace, next.metadata.name);
    if (this.objects.has(k)) throw Object.assign(new Error(`${resource} "${next.metadata.name}" already exists`), { reason: 'AlreadyExists' });
    next.metadata.uid = randomUUID();
    next.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    next.metadata.resourceVersion = String(++this.rv);
    if (KNATIVE.has(resource)) next.metadata.generation = 1;
    this.objects.set(k, { resource, object: next });
    this.emit({ type: 'ADDED', resource, object: next });
    return clone(next);
  }

  private current(resource: ResourceName, object: KubeObject): KubeObject {
    const found = this.objects.get(this.key(resource, object.metadata.namespace, object.metadata.name));
    if (!found) throw Object.assign(new Error(`${resource} "${object.metadata.name}" not found`), { reason: 'NotFound' });
    const expected = object.metadata.resourceVersion;
    if (expected && expected !== found.object.metadata.resourceVersion) {
      throw Object.assign(new Error(`Operation cannot be fulfilled on ${resource} "${object.metadata.name}": the object has been modified`), {
        reason: 'Conflict',
      });
    }
    return found.object;
  }

  update(resource: ResourceName, object: KubeObject): KubeObject {
    const current = this.current(resource, object);
    const next = clone(object);
    next.metadata = { ...next.metadata, uid: current.metadata.uid, creationTimestamp: current.metadata.creationTimestamp };
    if (KNATIVE.has(resource)) {
      next.status = clone(current.status);
      next.metadata.generation = (current.metadata.generation ?? 1) + (equal(current.spec, next.spec) ? 0 : 1);
    }
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (equal(next, current)) return clone(current);
    next.metadata.resourceVersion = String(++this.rv);
    this.objects.set(this.key(resource, next.metadata.namespace, next.metadata.name), { resource, object: next });
    this.emit({ type: 'MODIFIED', resource, object: next });
    return clone(next);
  }

  updateStatus(resource: ResourceName, object: KubeObject): KubeObject {
    const current = this.current(resource, object);
    const next = clone(current);
    next.status = clone(object.status);
    if (equal(next, current)) return clone(current);
    next.metadata.resourceVersion = String(++this.rv);
    this.objects.set(this.key(resource, next.metadata.namespace, next.metadata.name), { resource, object: next });
    this.emit({ type: 'MODIFIED', resource, object: next });
    return clone(next);
  }

  delete(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined {
    const k = this.key(resource, namespace, name);
    const found = this.objects.get(k);
    if (!found) return undefined;
    this.objects.delete(k);
    this.emit({ type: 'DELETED', resource, object: found.object });
    // Kubernetes' garbage collector: owned objects go too.
    for (const [, child] of [...this.objects]) {
      if (child.object.metadata.ownerReferences?.some((r) => r.uid === found.object.metadata.uid)) {
        this.delete(child.resource, child.object.metadata.namespace, child.object.metadata.name);
      }
    }
    return clone(found.object);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export class RecordingDataPlane implements DataPlane {
  readonly ingressUrl: string;
  readonly revisionCalls: RevisionRuntimeSpec[][] = [];
  readonly routeCalls: IngressRoute[][] = [];
  private readonly listeners = new Set<(status: RevisionRuntimeStatus) => void>();
  closed = false;

  constructor(ingressUrl = 'http://127.0.0.1:8080') {
    this.ingressUrl = ingressUrl;
  }

  get revisions(): RevisionRuntimeSpec[] {
    return this.revisionCalls.at(-1) ?? [];
  }

  get routes(): IngressRoute[] {
    return this.routeCalls.at(-1) ?? [];
  }

  setRevisions(revisions: readonly RevisionRuntimeSpec[]): void {
    this.revisionCalls.push(clone([...revisions]));
  }

  setRoutes(routes: readonly IngressRoute[]): void {
    this.routeCalls.push(clone([...routes]));
  }

  onRevisionStatus(listener: (status: RevisionRuntimeStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What the real data plane does when a revision's processes change state. */
  report(status: RevisionRuntimeStatus): void {
    for (const listener of this.listeners) listener(clone(status));
  }

  ready(name: string, namespace = 'default'): void {
    this.report({ namespace, name, phase: 'Ready', actualReplicas: 1, desiredReplicas: 1 });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A Service as `kubectl apply` would store it. */
export function service(name: string, container: Record<string, unknown>, extra: { traffic?: unknown[]; templateMetadata?: Record<string, unknown> } = {}): KubeObject {
  const spec: Record<string, unknown> = { template: { ...(extra.templateMetadata ? { metadata: extra.templateMetadata } : {}), spec: { containers: [container] } } };
  if (extra.traffic) spec.traffic = extra.traffic;
  return { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

export type Conditioned = { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } };

export function condition(object: KubeObject | undefined, type = 'Ready') {
  return (object as Conditioned | undefined)?.status?.conditions?.find((c) => c.type === type);
}
