// The seams between the three parts of the local serving, so each can be built
// and tested alone:
//   api/ + store/   the Kubernetes-shaped API and the objects it keeps (ObjectStore)
//   controller/     Knative's reconcilers: Service -> Configuration -> Revision -> Route,
//                   statuses; it reads and writes the store and drives the data plane
//   dataplane/      revisions as local processes, the ingress, the autoscaler (DataPlane)

/** Resources the API serves. Knative's are in serving.knative.dev/v1, the rest in core v1. */
export type ResourceName = 'services' | 'configurations' | 'revisions' | 'routes' | 'secrets' | 'namespaces';

// One definition of Kubernetes metadata and of a revision's scaling settings: the Knative model's.
import type { ObjectMeta, OwnerReference, ScalingSpec } from '@hands-on-knative/knative';
export type { ObjectMeta, OwnerReference, ScalingSpec };

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  type?: string;
  [field: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceName;
  object: KubeObject;
}

/**
 * What the controller needs of the store. The API layer uses the same store and
 * adds what HTTP clients need (selectors, patches, field managers, tables).
 * Writes assign uid, resourceVersion, creationTimestamp and generation as the
 * Kubernetes API server does; `updateStatus` never bumps generation.
 */
export interface ObjectStore {
  get(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined;
  list(resource: ResourceName, namespace?: string): KubeObject[];
  /** Create as the controller (fieldManager "controller"). Throws if it exists. */
  create(resource: ResourceName, object: KubeObject): KubeObject;
  /** Replace spec/metadata; fails with a conflict if metadata.resourceVersion is stale. */
  update(resource: ResourceName, object: KubeObject): KubeObject;
  /** Replace status only (the /status subresource). */
  updateStatus(resource: ResourceName, object: KubeObject): KubeObject;
  /** Deletes the object and, like Kubernetes' garbage collector, everything it owns. */
  delete(resource: ResourceName, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Every change after this call, in order. Returns the unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void;
}

/** One revision the data plane must be able to run. */
export interface RevisionRuntimeSpec {
  namespace: string;
  /** The revision name, e.g. helloworld-00001. */
  name: string;
  service: string;
  configuration: string;
  /** The image reference from the manifest; the data plane maps it to a workspace app (or runs it with Docker). */
  image: string;
  /** Environment from the manifest with secretKeyRef values resolved; PORT and K_* are added by the data plane. */
  env: Record<string, string>;
  /** The container port the app is told to use via PORT (the data plane assigns the real one). */
  containerPort: number;
  timeoutSeconds: number;
  /** httpGet path of the readiness probe; undefined means a TCP probe, Knative's default. */
  readinessPath?: string;
  scaling: ScalingSpec;
}

export type RevisionPhase = 'Pending' | 'Ready' | 'Failed';

export interface RevisionRuntimeStatus {
  namespace: string;
  name: string;
  phase: RevisionPhase;
  /** Knative's reason: e.g. ExitCode1, ContainerMissing, ProgressDeadlineExceeded. */
  reason?: string;
  /** e.g. the exit code and the tail of the process log. */
  message?: string;
  actualReplicas: number;
  desiredReplicas: number;
}

export interface TrafficSplitTarget {
  revision: string;
  percent: number;
}

/** One host the ingress answers, and how its traffic is split. */
export interface IngressRoute {
  /** e.g. helloworld.default.localhost or current-helloworld.default.localhost */
  host: string;
  namespace: string;
  service: string;
  targets: TrafficSplitTarget[];
}

export interface DataPlane {
  /** The revisions that exist; the data plane starts, keeps or stops processes to match (with scaling). */
  setRevisions(revisions: readonly RevisionRuntimeSpec[]): void;
  /** The complete routing table; replaces the previous one atomically. */
  setRoutes(routes: readonly IngressRoute[]): void;
  /** Called whenever a revision's phase, reason or replica counts change. */
  onRevisionStatus(listener: (status: RevisionRuntimeStatus) => void): () => void;
  /** The ingress URL base, e.g. http://127.0.0.1:8080 */
  readonly ingressUrl: string;
  /** Drains and stops every process and the ingress. */
  close(): Promise<void>;
}
