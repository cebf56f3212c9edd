// Pods are not stored: the tutorial's `kubectl get pod,ksvc,...` shows each
// running revision process as one, so the API asks a PodSource (the data plane,
// wired by the integrator) and renders what it says as read-only v1 Pods.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../contracts.js';

/** One running revision process; the data plane's processes() entries fit as they are. */
export interface PodInfo {
  namespace: string;
  /** e.g. helloworld-00001-deployment-5f7c9d8b6d-x2k4q; default podName(revision, replica). */
  name?: string;
  /** 1, 2, ...: which process of the revision, for the default name. */
  replica?: number;
  /** The revision the process serves. */
  revision: string;
  service?: string;
  configuration?: string;
  ready: boolean;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  restarts: number;
  /** When the process started (ISO 8601). */
  startedAt: string;
  /** e.g. 127.0.0.1 */
  ip?: string;
  /** OS process id, shown as an annotation. */
  pid?: number;
  port?: number;
}

export interface PodSource {
  list(namespace?: string): PodInfo[];
  /** Recent output of a revision's processes, oldest first, for `kubectl logs` (optional). */
  logs?(namespace: string, revision: string): string[];
}

export const emptyPodSource: PodSource = { list: () => [] };

/** A stable, Kubernetes-looking pod name for the n-th process of a revision. */
export function podName(revision: string, index: number): string {
  const hash = createHash('sha256').update(revision).digest('hex');
  const replicaSet = hash.slice(0, 10).replace(/[aeiou]/g, (c) => String('aeiou'.indexOf(c)));
  const pod = createHash('sha256').update(`${revision}/${index}`).digest('hex').slice(0, 5);
  return `${revision}-deployment-${replicaSet}-${pod}`;
}

export function podObject(pod: PodInfo, resourceVersion: string): KubeObject {
  const name = pod.name ?? podName(pod.revision, pod.replica ?? 1);
  const labels: Record<string, string> = { 'serving.knative.dev/revision': pod.revision, app: pod.revision };
  if (pod.service) labels['serving.knative.dev/service'] = pod.service;
  if (pod.configuration) labels['serving.knative.dev/configuration'] = pod.configuration;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: pod.namespace,
      uid: createHash('sha256').update(`${pod.namespace}/${name}/${pod.startedAt}`).digest('hex').slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      resourceVersion,
      creationTimestamp: pod.startedAt.replace(/\.\d+Z$/, 'Z'),
      labels,
      ...(pod.pid !== undefined ? { annotations: { 'local.knative.dev/pid': String(pod.pid) } } : {}),
    },
    spec: { containers: [{ name: 'user-container', ...(pod.port ? { ports: [{ containerPort: pod.port }] } : {}) }], nodeName: 'local' },
    status: {
      phase: pod.phase,
      podIP: pod.ip ?? '127.0.0.1',
      startTime: pod.startedAt,
      conditions: [{ type: 'Ready', status: pod.ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'user-container', ready: pod.ready, restartCount: pod.restarts, started: pod.phase === 'Running' }],
    },
  };
}
