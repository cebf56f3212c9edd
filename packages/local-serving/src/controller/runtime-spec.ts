// What the data plane needs to run a Revision: image, resolved env, port, timeout, probe, scaling.
import { Labels, scalingSpecOf, DEFAULT_TIMEOUT_SECONDS, type Container, type Revision } from '@hands-on-knative/knative';
import type { KubeObject, RevisionRuntimeSpec } from '../contracts.js';
import { resolveEnv } from './env.js';

/** The runtime contract's default port (knative/specs runtime-contract.md). */
export const DEFAULT_CONTAINER_PORT = 8080;

export type RuntimeSpecResult = { ok: true; spec: RevisionRuntimeSpec } | { ok: false; reason: string; message: string };

/** The serving container: the one with a port, else the only/first one (k8s_validation.go validateContainersPorts). */
export function servingContainer(revision: Revision): Container | undefined {
  const containers = revision.spec?.containers ?? [];
  return containers.find((c) => (c.ports?.length ?? 0) > 0) ?? containers[0];
}

export function runtimeSpecFor(
  revision: Revision,
  getSecret: (namespace: string, name: string) => KubeObject | undefined,
): RuntimeSpecResult {
  const namespace = revision.metadata.namespace ?? 'default';
  const container = servingContainer(revision);
  if (!container?.image) return { ok: false, reason: 'ContainerMissing', message: 'the revision has no container image' };
  const env = resolveEnv(container.env, namespace, getSecret);
  if (!env.ok) return env;
  const spec: RevisionRuntimeSpec = {
    namespace,
    name: revision.metadata.name,
    service: revision.metadata.labels?.[Labels.service] ?? '',
    configuration: revision.metadata.labels?.[Labels.configuration] ?? '',
    image: container.image,
    env: env.env,
    containerPort: container.ports?.[0]?.containerPort || DEFAULT_CONTAINER_PORT,
    timeoutSeconds: revision.spec?.timeoutSeconds || DEFAULT_TIMEOUT_SECONDS,
    scaling: scalingSpecOf(revision.metadata.annotations, revision.spec?.containerConcurrency),
  };
  const path = container.readinessProbe?.httpGet?.path;
  if (container.readinessProbe?.httpGet) spec.readinessPath = typeof path === 'string' && path ? path : '/';
  return { ok: true, spec };
}
