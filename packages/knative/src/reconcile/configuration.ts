// The Configuration reconciler's pure parts (knative/serving pkg/reconciler/configuration/
// configuration.go and resources/revision.go; status rules from
// pkg/apis/serving/v1/configuration_lifecycle.go).
import { CONDITION_SETS, ConditionManager, READY, getCondition } from '../conditions.js';
import { defaultRevisionSpec } from '../defaults.js';
import { deepEqual } from '../diff.js';
import { revisionNameFor } from '../naming.js';
import { Annotations, Labels, SERVING_V1, type Configuration, type ConfigurationStatus, type Revision } from '../types.js';
import { controllerRef, isControlledBy } from './owner.js';

/** The revision name for the Configuration's current generation: the template's, or <config>-<00gen>. */
export function desiredRevisionName(config: Configuration): string {
  return config.spec?.template?.metadata?.name || revisionNameFor(config.metadata.name, config.metadata.generation ?? 0);
}

/** Revision.IsReady: Ready=True for the revision's latest generation. */
export function isRevisionReady(revision: Revision): boolean {
  const s = revision.status;
  return (s?.observedGeneration ?? -1) === (revision.metadata.generation ?? 0) && getCondition(s?.conditions, READY)?.status === 'True';
}

export function configurationGenerationOf(revision: Revision): number | undefined {
  const value = revision.metadata.labels?.[Labels.configurationGeneration];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * MakeRevision: the Revision for the Configuration's current generation, with the labels the
 * reconciler sets (configuration, service, configurationGeneration, UIDs, routingState=pending)
 * and an owner reference so deletes cascade.
 */
export function makeRevision(config: Configuration, now: string): Revision {
  const template = structuredClone(config.spec?.template ?? {});
  const labels: Record<string, string> = {
    ...template.metadata?.labels,
    [Labels.configuration]: config.metadata.name,
    [Labels.configurationGeneration]: String(config.metadata.generation ?? 0),
    [Labels.routingState]: 'pending',
  };
  const service = config.metadata.labels?.[Labels.service];
  if (service) labels[Labels.service] = service;
  if (config.metadata.uid) labels[Labels.configurationUID] = config.metadata.uid;
  const serviceUID = config.metadata.labels?.[Labels.serviceUID];
  if (serviceUID) labels[Labels.serviceUID] = serviceUID;
  const annotations: Record<string, string> = { ...template.metadata?.annotations, [Annotations.routingStateModified]: now };
  const updater = config.metadata.annotations?.[Annotations.lastModifier];
  if (updater) annotations[Annotations.creator] = updater;
  const metadata: Revision['metadata'] = {
    name: desiredRevisionName(config),
    labels,
    annotations,
    ownerReferences: [controllerRef(config)],
  };
  if (config.metadata.namespace) metadata.namespace = config.metadata.namespace;
  return { apiVersion: SERVING_V1, kind: 'Revision', metadata, spec: defaultRevisionSpec(template.spec) };
}

export interface ConfigurationReconcileResult {
  status: ConfigurationStatus;
  /** A Revision to create for this generation (the status already counts it as latest created). */
  create?: Revision;
}

const alreadyExists = (name: string) => `revisions.serving.knative.dev ${JSON.stringify(name)} already exists`;

/**
 * ReconcileKind for a Configuration given the Revisions of its namespace: finds (or asks to create)
 * the revision of the current generation, sets latestCreatedRevisionName, and latestReadyRevisionName
 * to the newest ready revision, so traffic stays on the last ready one when the latest fails.
 */
export function reconcileConfiguration(config: Configuration, revisions: readonly Revision[], now: string): ConfigurationReconcileResult {
  const previous = config.status ?? {};
  const status: ConfigurationStatus = { ...structuredClone(previous) };
  const generation = config.metadata.generation ?? 0;
  const cm = new ConditionManager(previous.conditions, CONDITION_SETS.Configuration, now).initialize();
  const finish = (create?: Revision): ConfigurationReconcileResult => {
    status.conditions = cm.conditions;
    status.observedGeneration = generation;
    return create ? { status, create } : { status };
  };
  if (previous.observedGeneration !== generation) {
    cm.markUnknown(READY, 'NewObservedGenFailure', 'unsuccessfully observed a new generation');
  }

  const byoName = config.spec?.template?.metadata?.name || '';
  const name = desiredRevisionName(config);
  const existing = revisions.find((r) => r.metadata.name === name);
  let latestCreated: Revision | undefined;
  let create: Revision | undefined;
  if (existing) {
    const sameGeneration = configurationGenerationOf(existing) === generation;
    const sameSpec = deepEqual(defaultRevisionSpec(config.spec?.template?.spec), existing.spec);
    // CheckNameAvailability: a revision of that name must be ours, and of this generation or this spec.
    if (!isControlledBy(existing.metadata, config) || (!sameGeneration && (!byoName || !sameSpec))) {
      cm.markFalse(READY, 'RevisionFailed', `Revision creation failed with message: ${alreadyExists(name)}.`);
      return finish();
    }
    latestCreated = existing;
  } else {
    create = makeRevision(config, now);
    latestCreated = create;
  }

  // SetLatestCreatedRevisionName
  status.latestCreatedRevisionName = latestCreated.metadata.name;
  if (status.latestReadyRevisionName !== latestCreated.metadata.name) cm.markUnknown(READY);
  const rc = getCondition(latestCreated.status?.conditions, READY);
  if (rc?.status === 'False') {
    // MarkLatestCreatedFailed
    cm.markFalse(READY, 'RevisionFailed', `Revision ${JSON.stringify(latestCreated.metadata.name)} failed with message: ${rc.message ?? ''}.`);
  }

  // findAndSetLatestReadyRevision: newest ready revision between the last ready one's generation and now.
  const ours = revisions.filter((r) => r.metadata.labels?.[Labels.configuration] === config.metadata.name);
  if (create) ours.push(create);
  const lrr = previous.latestReadyRevisionName ? ours.find((r) => r.metadata.name === previous.latestReadyRevisionName) : undefined;
  const fromGeneration = lrr ? configurationGenerationOf(lrr) ?? generation : undefined;
  const candidates = ours
    .filter((r) => {
      if (fromGeneration === undefined) return true;
      const g = configurationGenerationOf(r);
      return (g !== undefined && g >= fromGeneration && g <= generation) || (byoName !== '' && r === latestCreated);
    })
    .sort((a, b) => {
      if (a.metadata.name === byoName) return -1;
      if (b.metadata.name === byoName) return 1;
      return (configurationGenerationOf(b) ?? 0) - (configurationGenerationOf(a) ?? 0);
    });
  const newestReady = candidates.find(isRevisionReady);
  if (newestReady) {
    status.latestReadyRevisionName = newestReady.metadata.name;
    if (newestReady.metadata.name === status.latestCreatedRevisionName) cm.markTrue(READY);
  }
  return finish(create);
}
