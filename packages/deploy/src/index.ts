// The cluster client behind pnpm apply, traffic, status, delete and ship.
export { ExitCode, DeployError, exitCodeOf, invalidInput, clusterFailure, timedOut, type FailureKind } from './errors.js';
export { redact, REDACTED } from './redact.js';
export { APPLICABLE, SERVICES, CONFIGURATIONS, REVISIONS, ROUTES, NAMESPACES, SECRETS, CONFIG_MAPS, resourceFor, applyOrder, qualifiedName, type ResourceRef } from './resources.js';
export {
  describeApiFailure,
  describeNetworkFailure,
  describeRequestError,
  conflictsOf,
  parseStatus,
  systemCodeOf,
  FIELD_MANAGERS,
  type RequestContext,
  type Status,
} from './api-errors.js';
export { chooseKubeconfig, LOCAL_SERVING_CLUSTER, type KubeconfigChoice, type KubeconfigInputs } from './kubeconfig.js';
export { resolveImages, placeholderApp, describeResolution, PLACEHOLDER_REPOSITORY, type ImageResolutionOptions, type ImageResolution, type ResolvedImage, type ImageTarget } from './images.js';
export { readImageRecords, recordImage, IMAGE_RECORDS_FILE } from '@hands-on-knative/image/records';
export { loadManifests, manifestFiles } from './load.js';
export { prepareManifests, type Prepared, type PreparedObject, type PrepareOptions } from './prepare.js';
export { availableAt, trafficLines, servingSummary, readyLine, withoutSecretValues, type Outcome } from './present.js';
export { revisionStates, currentTraffic, unreadyTargets, type RevisionState } from './traffic-targets.js';
export { buildStatusReport, formatStatusReport, age, type StatusReport, type StatusInput } from './status-report.js';
export { Cluster, isNotFound, type ConnectOptions, type ApplyOptions as ServerSideApplyOptions, type WatchEvent, type WatchHandle } from './cluster.js';
export { waitForReady, formatProgress, type WaitOptions, type WaitResult } from './wait.js';
export { runApply, applyPrepared, type AppliedObject } from './apply.js';
export { runTraffic } from './traffic.js';
export { runStatus } from './status.js';
export { runDelete } from './delete.js';
export { runShip, minimalService } from './ship.js';
export { memoryIO, type CommandIO } from './io.js';
export * from './cli/options.js';
export { runCli, type CliContext, type CommandName } from './cli/run.js';
