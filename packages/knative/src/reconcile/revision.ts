// A Revision's status from what runs it, with the conditions and reasons of Knative's revision
// reconciler (knative/serving pkg/apis/serving/v1/revision_lifecycle.go: ExitCodeReason,
// RevisionContainerExitingMessage, ReasonContainerMissing, ReasonProgressDeadlineExceeded,
// ReasonDeploying; Active=False "NoTraffic" when scaled to zero).
import { CONDITION_SETS, ConditionManager, RevisionConditions } from '../conditions.js';
import type { Revision, RevisionStatus } from '../types.js';

/** What the runtime reports; structurally compatible with local-serving's RevisionRuntimeStatus. */
export interface RevisionObservation {
  phase: 'Pending' | 'Ready' | 'Failed';
  reason?: string;
  message?: string;
  actualReplicas: number;
  desiredReplicas: number;
}

export const ReasonDeploying = 'Deploying';
export const ReasonContainerMissing = 'ContainerMissing';
export const ReasonProgressDeadlineExceeded = 'ProgressDeadlineExceeded';

/** v1.RevisionContainerExitingMessage. */
export const containerExitingMessage = (message: string) => `Container failed with: ${message}`;

// Failures of the pod rather than of the container (the deployment cannot become available).
const RESOURCE_REASONS = new Set([ReasonProgressDeadlineExceeded, 'CreateContainerConfigError', 'Unschedulable']);

export function revisionStatusFrom(revision: Revision, observation: RevisionObservation | undefined, now: string): RevisionStatus {
  const previous = revision.status ?? {};
  const status: RevisionStatus = { ...structuredClone(previous) };
  const cm = new ConditionManager(previous.conditions, CONDITION_SETS.Revision, now).initialize();
  if (!cm.get(RevisionConditions.active)) cm.markUnknown(RevisionConditions.active, ReasonDeploying);

  const phase = observation?.phase ?? 'Pending';
  if (phase === 'Pending') {
    const reason = observation?.reason ?? ReasonDeploying;
    cm.markUnknown(RevisionConditions.resourcesAvailable, reason, observation?.message);
    cm.markUnknown(RevisionConditions.containerHealthy, reason, observation?.message);
    cm.markUnknown(RevisionConditions.active, reason, observation?.message);
  } else if (phase === 'Ready') {
    cm.markTrue(RevisionConditions.resourcesAvailable);
    cm.markTrue(RevisionConditions.containerHealthy);
    if ((observation?.actualReplicas ?? 0) > 0) cm.markTrue(RevisionConditions.active);
    else cm.markFalse(RevisionConditions.active, 'NoTraffic', 'The target is not receiving traffic.');
  } else {
    const reason = observation?.reason ?? 'RevisionFailed';
    const message = observation?.message ?? '';
    if (RESOURCE_REASONS.has(reason)) {
      cm.markFalse(RevisionConditions.resourcesAvailable, reason, message);
    } else {
      const text = reason.startsWith('ExitCode') && !message.startsWith('Container failed with:') ? containerExitingMessage(message) : message;
      cm.markFalse(RevisionConditions.containerHealthy, reason, text);
    }
    cm.markFalse(RevisionConditions.active, reason, message);
  }
  status.conditions = cm.conditions;
  status.observedGeneration = revision.metadata.generation ?? 0;
  if (observation) {
    status.actualReplicas = observation.actualReplicas;
    status.desiredReplicas = observation.desiredReplicas;
  }
  const image = revision.spec?.containers?.[0]?.image;
  if (image) status.containerStatuses = [{ name: revision.spec?.containers?.[0]?.name ?? 'user-container', imageDigest: image }];
  return status;
}

