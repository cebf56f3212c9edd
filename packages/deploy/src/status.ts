// pnpm status: read the Knative objects and pods of a namespace (or one service) and print the report.
import type { KubeObject } from './types.js';
import type { StatusOptions } from './cli/options.js';
import type { CommandIO } from './io.js';
import { CONFIGURATIONS, REVISIONS, ROUTES, SERVICES, type ResourceRef } from './resources.js';
import { connect } from './session.js';
import { buildStatusReport, formatStatusReport, type StatusReport } from './status-report.js';

const PODS: ResourceRef = { apiVersion: 'v1', kind: 'Pod', group: '', version: 'v1', plural: 'pods', namespaced: true, waitable: false };

export async function runStatus(options: StatusOptions, io: CommandIO): Promise<StatusReport> {
  const cluster = connect(options, io);
  const namespace = cluster.namespace;
  const selector = options.service ? `serving.knative.dev/service=${options.service}` : undefined;
  const services: KubeObject[] = options.service ? [await cluster.get(SERVICES, options.service, namespace)] : await cluster.list(SERVICES, namespace);
  const [configurations, revisions, routes, pods] = await Promise.all([
    cluster.list(CONFIGURATIONS, namespace, selector),
    cluster.list(REVISIONS, namespace, selector),
    cluster.list(ROUTES, namespace, selector),
    // Pods are optional: a user allowed to read Knative objects may not list pods.
    cluster.list(PODS, namespace, selector ?? 'serving.knative.dev/revision').catch((error: unknown) => {
      io.err(`(pods not shown: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
      return [] as KubeObject[];
    }),
  ]);
  const report = buildStatusReport({ namespace, services, configurations, revisions, routes, pods, nowMs: (io.now ?? Date.now)() });
  if (options.output === 'json') io.out(JSON.stringify(report, null, 2));
  else if (options.output === 'yaml') io.out((await import('yaml')).stringify(report).trimEnd());
  else formatStatusReport(report).forEach((line) => io.out(line));
  return report;
}
