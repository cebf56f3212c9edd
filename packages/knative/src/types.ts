// serving.knative.dev/v1 objects as plain data (knative/serving pkg/apis/serving/v1/*_types.go).
// Shapes are structurally compatible with local-serving's `KubeObject`
// (packages/local-serving/src/contracts.ts): metadata + spec + status + extra fields.

export const SERVING_GROUP = 'serving.knative.dev';
export const SERVING_V1 = 'serving.knative.dev/v1';
export const SERVING_V1ALPHA1 = 'serving.knative.dev/v1alpha1';

/** Labels and annotations Knative sets (knative/serving pkg/apis/serving/register.go). */
export const Labels = {
  service: 'serving.knative.dev/service',
  serviceUID: 'serving.knative.dev/serviceUID',
  configuration: 'serving.knative.dev/configuration',
  configurationUID: 'serving.knative.dev/configurationUID',
  configurationGeneration: 'serving.knative.dev/configurationGeneration',
  revision: 'serving.knative.dev/revision',
  revisionUID: 'serving.knative.dev/revisionUID',
  route: 'serving.knative.dev/route',
  routingState: 'serving.knative.dev/routingState',
  visibility: 'networking.knative.dev/visibility',
} as const;

export const Annotations = {
  routes: 'serving.knative.dev/routes',
  routingStateModified: 'serving.knative.dev/routingStateModified',
  creator: 'serving.knative.dev/creator',
  lastModifier: 'serving.knative.dev/lastModifier',
} as const;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  /** Server-side apply's record of who owns which fields (kept as the API server returns it). */
  managedFields?: unknown[];
  [field: string]: unknown;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** knative.dev/pkg apis.Condition. */
export interface Condition {
  type: string;
  status: ConditionStatus;
  severity?: 'Error' | 'Warning' | 'Info';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface SecretKeySelector {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: SecretKeySelector;
    configMapKeyRef?: SecretKeySelector;
    [field: string]: unknown;
  };
}

export interface ContainerPort {
  containerPort?: number;
  name?: string;
  protocol?: string;
}

export interface Probe {
  httpGet?: { path?: string; port?: number | string; [field: string]: unknown };
  tcpSocket?: { port?: number | string; [field: string]: unknown };
  periodSeconds?: number;
  [field: string]: unknown;
}

export interface Container {
  name?: string;
  image?: string;
  args?: string[];
  command?: string[];
  env?: EnvVar[];
  ports?: ContainerPort[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  [field: string]: unknown;
}

export interface RevisionSpec {
  containers?: Container[];
  containerConcurrency?: number;
  timeoutSeconds?: number;
  [field: string]: unknown;
}

export interface RevisionTemplate {
  metadata?: Partial<ObjectMeta>;
  spec?: RevisionSpec;
}

export interface TrafficTarget {
  tag?: string;
  revisionName?: string;
  configurationName?: string;
  latestRevision?: boolean;
  percent?: number;
  url?: string;
}

export interface ConfigurationSpec {
  template?: RevisionTemplate;
  [field: string]: unknown;
}

export interface RouteSpec {
  traffic?: TrafficTarget[];
  [field: string]: unknown;
}

export interface ServiceSpec extends ConfigurationSpec, RouteSpec {}

export interface Status {
  observedGeneration?: number;
  conditions?: Condition[];
  [field: string]: unknown;
}

export interface ConfigurationStatus extends Status {
  latestCreatedRevisionName?: string;
  latestReadyRevisionName?: string;
}

export interface Addressable {
  url?: string;
}

export interface RouteStatus extends Status {
  url?: string;
  address?: Addressable;
  traffic?: TrafficTarget[];
}

export interface ServiceStatus extends ConfigurationStatus, RouteStatus {}

export interface RevisionStatus extends Status {
  actualReplicas?: number;
  desiredReplicas?: number;
  containerStatuses?: { name?: string; imageDigest?: string }[];
}

interface Object<Kind extends string, Spec, S extends Status> {
  apiVersion: string;
  kind: Kind;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: S;
  [field: string]: unknown;
}

export type Service = Object<'Service', ServiceSpec, ServiceStatus>;
export type Configuration = Object<'Configuration', ConfigurationSpec, ConfigurationStatus>;
export type Revision = Object<'Revision', RevisionSpec, RevisionStatus>;
export type Route = Object<'Route', RouteSpec, RouteStatus>;
export type KnativeObject = Service | Configuration | Revision | Route;

/** Any Kubernetes-shaped object, as read from YAML or a store. */
export interface AnyObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: unknown;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

/** A webhook-style validation error: the field path Knative would name, and its message. */
export interface FieldError {
  /** e.g. spec.traffic[1].percent; "" means the object itself. */
  field: string;
  message: string;
  /** Knative's FieldError.Details (e.g. the diff of a template change). */
  details?: string;
  /** Optional machine-readable kind of error, e.g. FieldValueInvalid. */
  reason?: string;
}
