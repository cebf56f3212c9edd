// What `pnpm start` applies on a fresh state folder, and waiting for it.
import { convertLegacy, parseManifests, readinessOf, validateObject, formatFieldErrors } from '@hands-on-knative/knative';
import type { KubeObject, ResourceName, SqliteObjectStore } from '@hands-on-knative/local-serving';

/** The sample set: hello world, and the SMS copycat with a placeholder (not real) token. */
export const DEFAULT_MANIFESTS = [
  'manifests/helloworld/service-v1.yaml',
  'manifests/twilio-sms/secret.example.yaml',
  'manifests/twilio-sms/service.yaml',
];

const RESOURCE_OF_KIND: Record<string, ResourceName> = {
  Service: 'services',
  Configuration: 'configurations',
  Route: 'routes',
  Secret: 'secrets',
  Namespace: 'namespaces',
};

export interface ApplyOutcome {
  lines: string[];
  errors: string[];
}

/**
 * Creates what is missing and keeps what exists: a restart must never revert
 * what the user changed with kubectl or pnpm apply since the first start.
 */
export function applyDefaultManifests(store: SqliteObjectStore, files: { file: string; text: string }[]): ApplyOutcome {
  const outcome: ApplyOutcome = { lines: [], errors: [] };
  for (const { file, text } of files) {
    let documents;
    try {
      documents = parseManifests(text, file);
    } catch (error) {
      outcome.errors.push((error as Error).message);
      continue;
    }
    for (const document of documents) {
      const { object, warnings } = convertLegacy(document.object);
      for (const warning of warnings) outcome.lines.push(`warning: ${file}: ${warning}`);
      const kube = object as unknown as KubeObject;
      const kind = kube.kind;
      const resource = RESOURCE_OF_KIND[kind];
      const name = kube.metadata?.name;
      if (!resource || !name) {
        outcome.errors.push(`${file}: ${kind ?? 'an object'} is not something the local serving keeps`);
        continue;
      }
      const namespace = resource === 'namespaces' ? undefined : (kube.metadata.namespace ?? 'default');
      if (namespace) kube.metadata.namespace = namespace;
      const problems = validateObject(object);
      if (problems.length > 0) {
        outcome.errors.push(`${file}: ${kind} "${name}" is invalid: ${formatFieldErrors(problems)}`);
        continue;
      }
      if (store.get(resource, namespace, name)) {
        outcome.lines.push(`${kind.toLowerCase()}/${name} kept (from an earlier run)`);
        continue;
      }
      // As `kubectl create --save-config` does: a later `kubectl apply -f` of the
      // next tutorial step then patches cleanly instead of warning. Not for
      // Secrets: their values must not be copied into an annotation.
      if (kind !== 'Secret') {
        kube.metadata.annotations = {
          ...kube.metadata.annotations,
          'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(kube)}\n`,
        };
      }
      try {
        store.create(resource, kube, { fieldManager: 'pnpm-start' });
        outcome.lines.push(`${kind.toLowerCase()}/${name} created`);
      } catch (error) {
        outcome.errors.push(`${file}: ${(error as Error).message}`);
      }
    }
  }
  return outcome;
}

export interface ServiceState {
  namespace: string;
  name: string;
  url: string | undefined;
  ready: 'True' | 'False' | 'Unknown';
  reason: string | undefined;
  message: string | undefined;
}

/** Waits until every Service is Ready or failed (or the timeout), reporting each once. */
export interface WaitOptions {
  timeoutMs: number;
  onProgress: (line: string) => void;
  /**
   * Whether this run's data plane has the revision up. After a restart the stored
   * status still says Ready (and names the old port) until the controller and the
   * data plane have caught up: only what this run serves counts.
   */
  isServing: (namespace: string, revision: string) => boolean;
  /** The URL port of this run's ingress. */
  ingressPort: number;
}

export async function waitForServices(store: SqliteObjectStore, options: WaitOptions): Promise<ServiceState[]> {
  const deadline = Date.now() + options.timeoutMs;
  const reported = new Set<string>();
  const current = (service: KubeObject): ServiceState => {
    const state = stateOf(service);
    if (state.ready !== 'True') return state;
    const revision = (service.status as { latestReadyRevisionName?: string } | undefined)?.latestReadyRevisionName;
    const fresh = state.url !== undefined && (new URL(state.url).port || '80') === String(options.ingressPort);
    return fresh && revision && options.isServing(state.namespace, revision) ? state : { ...state, ready: 'Unknown' };
  };
  for (;;) {
    const states = store.list('services').map(current);
    for (const state of states) {
      const key = `${state.namespace}/${state.name}:${state.ready}`;
      if (state.ready !== 'Unknown' && !reported.has(key)) {
        reported.add(key);
        options.onProgress(
          state.ready === 'True'
            ? `service ${state.name} ready at ${state.url}`
            : `service ${state.name} failed: ${state.reason}: ${state.message}`,
        );
      }
    }
    if (states.every((s) => s.ready !== 'Unknown') || Date.now() > deadline) return states;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function stateOf(service: KubeObject): ServiceState {
  const readiness = readinessOf(service as never);
  const status = service.status as { url?: string } | undefined;
  return {
    namespace: service.metadata.namespace ?? 'default',
    name: service.metadata.name,
    url: status?.url,
    ready: readiness.state === 'ready' ? 'True' : readiness.state === 'failed' ? 'False' : 'Unknown',
    reason: readiness.reason,
    message: readiness.message,
  };
}
