// A revision template and its pod spec, with the rules and messages of Knative's webhook:
// knative/serving pkg/apis/serving/v1/revision_validation.go (names, timeoutSeconds,
// VerifyNameChange), pkg/apis/serving/k8s_validation.go (containers, env, ports, probes)
// and pkg/apis/serving/metadata_validation.go (containerConcurrency).
import { validateAutoscalingAnnotations } from './autoscaling.js';
import { shortDiff } from './diff.js';
import { goList, isDNS1035Label, isDNS1123Subdomain } from './dns.js';
import {
  errDisallowedFields,
  errInvalidValue,
  errMissingField,
  errMissingOneOf,
  errMultipleOneOf,
  errOutOfBoundsValue,
  fieldError,
  via,
} from './field-errors.js';
import type { Container, ContainerPort, FieldError, Probe, RevisionSpec, RevisionTemplate } from './types.js';

/** config-defaults: max-revision-timeout-seconds. */
export const MAX_REVISION_TIMEOUT_SECONDS = 600;
/** config-defaults: container-concurrency-max-limit. */
export const CONTAINER_CONCURRENCY_MAX = 1000;
/** Set by the platform (runtime contract); a user may not set them. */
export const RESERVED_ENV_VARS = ['PORT', 'K_SERVICE', 'K_CONFIGURATION', 'K_REVISION'] as const;
/** queue-proxy (8012, 8013, 8022, 9090, 9091) and profiling (8008) ports. */
export const RESERVED_PORTS = [8012, 8013, 8022, 9090, 9091, 8008] as const;
const VALID_PORT_NAMES = ['', 'h2c', 'http1'];

// A loose image reference check (name.ParseReference with WeakValidation): registry/path[:tag][@digest].
const IMAGE_REF = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@[a-z0-9]+:[a-f0-9]{32,})?$/i;

function validateEnv(container: Container, reserved: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  (container.env ?? []).forEach((env, i) => {
    const at = `env[${i}]`;
    if (!env.name) errs.push(errMissingField(`${at}.name`));
    else if (reserved.includes(env.name)) {
      errs.push(fieldError(`${at}.name`, `${JSON.stringify(env.name)} is a reserved environment variable`));
    }
    const from = env.valueFrom;
    if (from) {
      // kubernetes.podspec-fieldref is disabled by default (config-features).
      for (const key of Object.keys(from)) {
        if (key !== 'secretKeyRef' && key !== 'configMapKeyRef') errs.push(errDisallowedFields(`${at}.valueFrom.${key}`));
      }
      for (const key of ['secretKeyRef', 'configMapKeyRef'] as const) {
        const ref = from[key];
        if (ref && !ref.key) errs.push(errMissingField(`${at}.valueFrom.${key}.key`));
      }
    }
  });
  return errs;
}

function validatePort(port: ContainerPort, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const n = port.containerPort ?? 0;
  if ((RESERVED_PORTS as readonly number[]).includes(n)) {
    errs.push(errInvalidValue(`${n} is a reserved port`, `${at}.containerPort`, `${n} is a reserved port, please use a different value`));
  }
  if (n < 0 || n > 65535) errs.push(errOutOfBoundsValue(n, 0, 65535, `${at}.containerPort`));
  if (port.protocol !== undefined && port.protocol !== '' && port.protocol !== 'TCP') {
    errs.push(errInvalidValue(port.protocol, `${at}.protocol`));
  }
  if (!VALID_PORT_NAMES.includes(port.name ?? '')) {
    errs.push(fieldError(at, `Port name ${port.name} is not allowed`, "Name must be empty, or one of: 'h2c', 'http1'"));
  }
  return errs;
}

function validateProbe(probe: Probe | undefined, at: string, servingPortName: string): FieldError[] {
  if (!probe) return [];
  const handlers = ['httpGet', 'tcpSocket', 'exec', 'grpc'].filter((h) => probe[h] !== undefined);
  const errs: FieldError[] = [];
  if (handlers.length === 0) errs.push(errMissingOneOf(...['httpGet', 'tcpSocket', 'exec', 'grpc'].map((h) => `${at}.${h}`)));
  else if (handlers.length > 1) errs.push(errMultipleOneOf(...handlers.map((h) => `${at}.${h}`)));
  for (const h of ['httpGet', 'tcpSocket'] as const) {
    const port = probe[h]?.port;
    if (typeof port === 'string' && port !== servingPortName) {
      errs.push(errInvalidValue(port, `${at}.${h}.port`, 'Probe port must match container port'));
    }
  }
  return errs;
}

function validateContainer(container: Container, isServing: boolean): FieldError[] {
  if (Object.keys(container).length === 0) return [errMissingField('')];
  const errs: FieldError[] = [];
  if (container.name === 'queue-proxy') {
    errs.push(fieldError('name', `${JSON.stringify(container.name)} is a reserved container name`));
  }
  // Sidecars may set PORT (reservedSidecarEnvVars); the serving container may not.
  errs.push(...validateEnv(container, isServing ? RESERVED_ENV_VARS : RESERVED_ENV_VARS.filter((n) => n !== 'PORT')));
  if (!container.image) errs.push(errMissingField('image'));
  else if (!IMAGE_REF.test(container.image)) {
    errs.push(
      fieldError(
        'image',
        'Failed to parse image reference',
        `image: ${JSON.stringify(container.image)}, error: could not parse reference: ${container.image}`,
      ),
    );
  }
  if (container.ports && container.ports.length > 0) errs.push(...validatePort(container.ports[0]!, 'ports[0]'));
  const portName = container.ports?.[0]?.name || 'http';
  if (isServing) {
    errs.push(...validateProbe(container.readinessProbe, 'readinessProbe', portName));
    errs.push(...validateProbe(container.livenessProbe, 'livenessProbe', portName));
  }
  return errs;
}

/** RevisionSpec.Validate: the pod spec, timeoutSeconds and containerConcurrency. Paths relative to the spec. */
export function validateRevisionSpec(spec: RevisionSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const containers = spec?.containers ?? [];
  const portCount = containers.reduce((n, c) => n + (c.ports?.length ?? 0), 0);
  if (containers.length === 0) errs.push(errMissingField('containers'));
  else if (portCount > 1) {
    errs.push(fieldError('containers[*].ports', 'more than one container port is set', 'Only a single port is allowed across all containers'));
  } else if (containers.length > 1 && portCount === 0) {
    errs.push(errMissingField('containers[*].ports'));
  }
  containers.forEach((c, i) => {
    const isServing = containers.length === 1 || (c.ports?.length ?? 0) > 0;
    errs.push(...via(`containers[${i}]`, validateContainer(c, isServing)));
  });
  const sa = spec?.serviceAccountName;
  if (typeof sa === 'string' && sa !== '') {
    for (const m of isDNS1123Subdomain(sa)) errs.push(errInvalidValue(sa, 'serviceAccountName', m));
  }
  const timeout = spec?.timeoutSeconds;
  if (timeout !== undefined && timeout !== 0 && (timeout < 0 || timeout > MAX_REVISION_TIMEOUT_SECONDS)) {
    errs.push(errOutOfBoundsValue(timeout, 0, MAX_REVISION_TIMEOUT_SECONDS, 'timeoutSeconds'));
  }
  const cc = spec?.containerConcurrency;
  // config-defaults allow-container-concurrency-zero defaults to true, so the range is 0..1000.
  if (cc !== undefined && (cc < 0 || cc > CONTAINER_CONCURRENCY_MAX)) {
    errs.push(errOutOfBoundsValue(cc, 0, CONTAINER_CONCURRENCY_MAX, 'containerConcurrency'));
  }
  return errs;
}

/**
 * RevisionTemplateSpec.Validate inside a parent (Service or Configuration) named `parentName`:
 * the spec, autoscaling annotations and the BYO revision name. Paths relative to the template.
 */
export function validateRevisionTemplate(template: RevisionTemplate | undefined, parentName: string): FieldError[] {
  const errs = via('spec', validateRevisionSpec(template?.spec));
  errs.push(...via('metadata.annotations', validateAutoscalingAnnotations(template?.metadata?.annotations)));
  const name = template?.metadata?.name;
  const generateName = template?.metadata?.generateName;
  if (typeof generateName === 'string' && generateName !== '') {
    const msgs = isDNS1035Label(generateName.replace(/-$/, 'a'));
    if (msgs.length > 0) errs.push(errInvalidValue(`not a DNS 1035 label prefix: ${goList(msgs)}`, 'metadata.generateName'));
  }
  if (typeof name === 'string' && name !== '') {
    const msgs = isDNS1035Label(name);
    const prefix = `${parentName}-`;
    if (msgs.length > 0) errs.push(errInvalidValue(`not a DNS 1035 label: ${goList(msgs)}`, 'metadata.name'));
    else if (!name.startsWith(prefix)) {
      errs.push(errInvalidValue(`${JSON.stringify(name)} must have prefix ${JSON.stringify(prefix)}`, 'metadata.name'));
    }
  }
  return errs;
}

/**
 * VerifyNameChange: with an explicit template name, the template may only change
 * together with the name. Paths relative to the template.
 */
export function verifyNameChange(next: RevisionTemplate | undefined, previous: RevisionTemplate | undefined): FieldError[] {
  const name = next?.metadata?.name;
  if (!name || name !== previous?.metadata?.name) return [];
  const diff = shortDiff(previous ?? {}, next ?? {});
  return diff ? [fieldError('metadata.name', 'Saw the following changes without a name change (-old +new)', diff)] : [];
}
