// pnpm apply: load, convert, resolve images, validate (all before any request),
// server-side apply with our field manager, wait as kn does, print kn's lines.
import type { KubeObject } from './types.js';
import { deepEqual } from '@hands-on-knative/knative';
import { FIELD_MANAGERS } from './api-errors.js';
import type { Cluster } from './cluster.js';
import type { ApplyOptions } from './cli/options.js';
import { readImageRecords } from '@hands-on-knative/image/records';
import { describeResolution } from './images.js';
import type { CommandIO } from './io.js';
import { loadManifests } from './load.js';
import { connect } from './session.js';
import { prepareManifests, type PreparedObject } from './prepare.js';
import { availableAt, readyLine, servingSummary, trafficLines, withoutSecretValues, type Outcome } from './present.js';
import { waitForReady } from './wait.js';

export interface AppliedObject {
  object: KubeObject;
  outcome: Outcome;
  /** False when the template is the same as before: no new revision. */
  newRevision: boolean;
}

export async function runApply(options: ApplyOptions, io: CommandIO): Promise<AppliedObject[]> {
  const manifests = loadManifests(options.files);
  if (options.dryRun) {
    const prepared = prepareManifests(manifests, {
      namespace: options.namespace ?? 'default',
      namespaceFlag: options.namespace !== undefined,
      images: { target: 'dry-run', overrides: options.images, ...(options.registry ? { registry: options.registry } : {}), records: readImageRecords(options.stateDir) },
    });
    report(prepared.warnings, prepared.objects, io);
    await printObjects(prepared.objects.map((p) => withoutSecretValues(p.object)), options.output ?? 'yaml', io);
    return prepared.objects.map((p) => ({ object: p.object, outcome: 'unchanged' as const, newRevision: false }));
  }

  const cluster = connect(options, io);
  const prepared = prepareManifests(manifests, {
    namespace: cluster.namespace,
    namespaceFlag: options.namespace !== undefined,
    images: {
      target: cluster.isLocalServing ? 'local-serving' : 'cluster',
      overrides: options.images,
      ...(options.registry ? { registry: options.registry } : {}),
      records: readImageRecords(options.stateDir),
    },
  });
  report(prepared.warnings, prepared.objects, io);
  io.addSecrets?.(secretValues(prepared.objects));
  return applyPrepared(cluster, prepared.objects, options, io);
}

/** Applies prepared objects in order, then waits for each Knative one (also used by pnpm ship). */
export async function applyPrepared(
  cluster: Cluster,
  objects: readonly PreparedObject[],
  options: Pick<ApplyOptions, 'wait' | 'timeoutSeconds' | 'force'>,
  io: CommandIO,
): Promise<AppliedObject[]> {
  const now = io.now ?? Date.now;
  const written: { prepared: PreparedObject; result: KubeObject; outcome: Outcome; newRevision: boolean; startMs: number }[] = [];
  for (const prepared of objects) {
    const { object, resource } = prepared;
    const name = object.metadata.name;
    const namespace = object.metadata.namespace;
    const previous = await cluster.find(resource, name, namespace);
    const startMs = now();
    // force only with --force: a field another manager owns (pnpm traffic's split,
    // someone's kubectl edit) is reported as a conflict, never taken silently.
    const result = await cluster.apply(resource, object, { fieldManager: FIELD_MANAGERS.apply, force: options.force });
    const specOf = (o: KubeObject | undefined) => (o?.spec ?? {}) as { template?: unknown };
    const newRevision = resource.waitable && (!previous || !deepEqual(specOf(previous).template, specOf(result).template));
    const changed = !previous || previous.metadata.resourceVersion !== result.metadata.resourceVersion;
    const outcome: Outcome = !previous ? 'created' : changed ? 'updated' : 'unchanged';
    if (!resource.waitable) {
      io.out(`${resource.kind} '${name}' ${outcome === 'unchanged' ? 'unchanged' : outcome}${namespace ? ` in namespace '${namespace}'` : ''}.`);
      continue;
    }
    const doing = !previous ? 'Creating' : 'Applying';
    io.err(`${doing} ${resource.kind} '${name}' in namespace '${namespace}' (${prepared.source}):`);
    if (previous && !newRevision && resource.kind !== 'Route') io.out('No new revision has been created.');
    written.push({ prepared, result, outcome, newRevision, startMs });
  }

  const applied: AppliedObject[] = [];
  for (const { prepared, result, outcome, newRevision, startMs } of written) {
    const { resource } = prepared;
    const name = result.metadata.name;
    if (!options.wait) {
      io.out(`${resource.kind} '${name}' ${outcome} in namespace '${result.metadata.namespace}'.`);
      applied.push({ object: result, outcome, newRevision });
      continue;
    }
    const waited = await waitForReady(cluster, {
      resource,
      written: result,
      startMs,
      timeoutMs: options.timeoutSeconds * 1000,
      onProgress: (line) => io.err(line),
      now,
    });
    io.err(readyLine(waited.elapsedMs));
    const final = waited.object;
    if (resource.kind === 'Service') {
      availableAt(final, newRevision || outcome === 'created' ? outcome : 'unchanged').forEach((line) => io.out(line));
      const serving = servingSummary(final);
      if (serving) io.out(`Serving: ${serving}`);
      trafficLines(final).forEach((line) => io.out(line));
    } else {
      io.out(`${resource.kind} '${name}' ${outcome} and ready.`);
    }
    applied.push({ object: final, outcome, newRevision });
  }
  return applied;
}

/** The values of the Secrets being applied (plain and base64), so no message can echo them. */
function secretValues(objects: readonly PreparedObject[]): string[] {
  const values: string[] = [];
  for (const { object } of objects) {
    if (object.kind !== 'Secret') continue;
    for (const field of ['data', 'stringData'] as const) {
      const map = object[field];
      if (typeof map !== 'object' || map === null) continue;
      for (const value of Object.values(map as Record<string, unknown>)) {
        if (typeof value !== 'string') continue;
        values.push(value);
        values.push(field === 'data' ? Buffer.from(value, 'base64').toString('utf8') : Buffer.from(value).toString('base64'));
      }
    }
  }
  return values;
}

function report(warnings: readonly string[], objects: readonly PreparedObject[], io: CommandIO): void {
  for (const warning of warnings) io.err(`warning: ${warning}`);
  for (const prepared of objects) for (const image of prepared.images) io.err(describeResolution(image));
}

async function printObjects(objects: KubeObject[], format: 'yaml' | 'json', io: CommandIO): Promise<void> {
  if (format === 'json') {
    const body = objects.length === 1 ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects };
    io.out(JSON.stringify(body, null, 2));
    return;
  }
  const { stringify } = await import('yaml');
  io.out(objects.map((o) => stringify(o).trimEnd()).join('\n---\n'));
}
