// pnpm traffic: kn's --traffic/--tag/--untag on a Service, applied with a field
// manager of its own, then kn's wait and the resulting split.
import type { KubeObject } from './types.js';
import { applyTrafficFlags, TrafficFlagError } from '@hands-on-knative/knative';
import { FIELD_MANAGERS } from './api-errors.js';
import type { TrafficOptions } from './cli/options.js';
import { clusterFailure, invalidInput } from './errors.js';
import type { CommandIO } from './io.js';
import { readyLine, statusOf, trafficLines } from './present.js';
import { REVISIONS, SERVICES } from './resources.js';
import { connect } from './session.js';
import { currentTraffic, revisionStates, unreadyTargets } from './traffic-targets.js';
import { waitForReady } from './wait.js';

export async function runTraffic(options: TrafficOptions, io: CommandIO): Promise<KubeObject> {
  const now = io.now ?? Date.now;
  const cluster = connect(options, io);
  const namespace = cluster.namespace;
  const service = await cluster.get(SERVICES, options.service, namespace);
  const revisions = revisionStates(await cluster.list(REVISIONS, namespace, `serving.knative.dev/service=${options.service}`));
  const latestReady = statusOf(service).latestReadyRevisionName;

  let traffic;
  try {
    traffic = applyTrafficFlags(
      currentTraffic(service),
      { traffic: options.traffic, tag: options.tag, untag: options.untag },
      revisions.map((r) => r.name),
      { serviceName: options.service, ...(latestReady ? { latestReadyRevisionName: latestReady } : {}) },
    );
  } catch (error) {
    if (error instanceof TrafficFlagError) throw invalidInput(error.message);
    throw error;
  }
  const problems = unreadyTargets(traffic, revisions, latestReady);
  if (problems.length > 0) {
    throw clusterFailure(`not changing the traffic of service '${options.service}':\n${problems.map((p) => `  ${p}`).join('\n')}\nSee pnpm status ${options.service} -n ${namespace}.`);
  }

  const startMs = now();
  // Only spec.traffic is sent, under "hands-on-knative-traffic". spec.traffic is an atomic
  // list for server-side apply, so whoever applied it last owns all of it. force=true is
  // right here: running pnpm traffic is an explicit request to set the split now, as
  // kn service update does (a plain update that overrides anything); taking ownership
  // from "hands-on-knative" (a manifest that had spec.traffic) is the point. The reverse
  // is not forced: pnpm apply reports the conflict and needs --force to take it back.
  const body: KubeObject = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: options.service, namespace },
    spec: { traffic },
  };
  const written = await cluster.apply(SERVICES, body, { fieldManager: FIELD_MANAGERS.traffic, force: true });
  io.err(`Updating traffic of Service '${options.service}' in namespace '${namespace}':`);
  let final = written;
  if (options.wait) {
    const waited = await waitForReady(cluster, {
      resource: SERVICES,
      written,
      startMs,
      timeoutMs: options.timeoutSeconds * 1000,
      onProgress: (line) => io.err(line),
      now,
    });
    io.err(readyLine(waited.elapsedMs));
    final = waited.object;
    io.out(`Service '${options.service}' with latest revision '${statusOf(final).latestReadyRevisionName ?? ''}' (unchanged) is available at URL:`);
    io.out(statusOf(final).url ?? '');
    trafficLines(final).forEach((line) => io.out(line));
  } else {
    io.out(`Traffic of Service '${options.service}' updated in namespace '${namespace}'.`);
  }
  return final;
}
