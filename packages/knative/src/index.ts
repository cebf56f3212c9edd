export * from './types.js';
export { parseManifests, ManifestError, type ParsedManifest } from './manifests.js';
export { convertLegacy, LegacyConversionError, type ConversionResult } from './convert.js';
export { validateObject, KNATIVE_KINDS } from './validation.js';
export { validateSchema } from './schema.js';
export { validateTrafficList, type TrafficContext } from './validate-traffic.js';
export {
  validateRevisionTemplate,
  validateRevisionSpec,
  verifyNameChange,
  RESERVED_ENV_VARS,
  RESERVED_PORTS,
  MAX_REVISION_TIMEOUT_SECONDS,
  CONTAINER_CONCURRENCY_MAX,
} from './validate-template.js';
export { formatFieldErrors, webhookDenialMessage } from './field-errors.js';
export {
  validateAutoscalingAnnotations,
  scalingSpecOf,
  getAnnotation,
  AutoscalingKeys,
  SCALING_DEFAULTS,
  type ScalingSpec,
} from './autoscaling.js';
export { applyDefaults, defaultRevisionSpec, defaultServiceTraffic, DEFAULT_TIMEOUT_SECONDS } from './defaults.js';
export { applyTrafficFlags, TrafficFlagError, LATEST_REF, type TrafficFlags, type TrafficFlagContext } from './traffic-flags.js';
export {
  readinessOf,
  isObservedGeneration,
  createReadinessWaiter,
  DEFAULT_FAIL_WINDOW_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  type Readiness,
  type ReadinessWaiter,
  type WaiterOptions,
  type WaiterStep,
  type WaitOutcome,
} from './readiness.js';
export {
  revisionNameFor,
  serviceHost,
  tagHost,
  childName,
  httpUrl,
  clusterLocalUrl,
  DEFAULT_DOMAIN,
  CLUSTER_LOCAL_DOMAIN,
} from './naming.js';
export {
  ConditionManager,
  getCondition,
  READY,
  ServiceConditions,
  RouteConditions,
  RevisionConditions,
  CONDITION_SETS,
} from './conditions.js';
export { deepEqual, shortDiff } from './diff.js';
export { controllerRef, isControlledBy } from './reconcile/owner.js';
export { makeConfiguration, makeRoute, childNeedsUpdate, reconcileServiceStatus } from './reconcile/service.js';
export {
  makeRevision,
  reconcileConfiguration,
  desiredRevisionName,
  isRevisionReady,
  configurationGenerationOf,
  type ConfigurationReconcileResult,
} from './reconcile/configuration.js';
export { reconcileRoute, resolveTraffic, type RouteContext, type RouteHost, type RouteReconcileResult } from './reconcile/route.js';
export {
  revisionStatusFrom,
  containerExitingMessage,
  type RevisionObservation,
} from './reconcile/revision.js';
export { referencedRevisions, routingStateOf, type RoutingState } from './reconcile/labeler.js';
