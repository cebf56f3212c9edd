// A revision's environment with env[].valueFrom.secretKeyRef resolved from core v1 Secrets,
// failing as the kubelet does when a secret or key is missing (the pod stays in
// CreateContainerConfigError with `secret "x" not found` / `couldn't find key k in Secret ns/x`).
import type { EnvVar } from '@hands-on-knative/knative';
import type { KubeObject } from '../contracts.js';

export type EnvResolution = { ok: true; env: Record<string, string> } | { ok: false; reason: string; message: string };

export const CREATE_CONTAINER_CONFIG_ERROR = 'CreateContainerConfigError';

/** A Secret's value for `key`: `data` is base64 (as the API stores it); `stringData` is accepted too. */
function secretValue(secret: KubeObject, key: string): string | undefined {
  const encoded = secret.data?.[key];
  if (encoded !== undefined) return Buffer.from(encoded, 'base64').toString('utf8');
  return secret.stringData?.[key];
}

export function resolveEnv(
  env: readonly EnvVar[] | undefined,
  namespace: string,
  getSecret: (namespace: string, name: string) => KubeObject | undefined,
): EnvResolution {
  const out: Record<string, string> = {};
  const fail = (message: string): EnvResolution => ({ ok: false, reason: CREATE_CONTAINER_CONFIG_ERROR, message });
  for (const variable of env ?? []) {
    const from = variable.valueFrom;
    if (!from) {
      out[variable.name] = variable.value ?? '';
      continue;
    }
    const ref = from.secretKeyRef;
    if (!ref) {
      // ConfigMaps and field refs are not served by the local API.
      return fail(`env ${JSON.stringify(variable.name)}: only valueFrom.secretKeyRef is supported by the local serving`);
    }
    const secret = getSecret(namespace, ref.name);
    if (!secret) {
      if (ref.optional) continue;
      return fail(`secret ${JSON.stringify(ref.name)} not found`);
    }
    const value = secretValue(secret, ref.key);
    if (value === undefined) {
      if (ref.optional) continue;
      return fail(`couldn't find key ${ref.key} in Secret ${namespace}/${ref.name}`);
    }
    out[variable.name] = value;
  }
  return { ok: true, env: out };
}
