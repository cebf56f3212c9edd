// The data plane: revisions as local processes behind one ingress, scaled by demand.
import type { DataPlane, IngressRoute, RevisionRuntimeSpec, RevisionRuntimeStatus } from '../contracts.js';
import { Ingress } from './ingress.js';
import { resolveOptions, type DataPlaneOptions } from './options.js';
import { Revision, type RevisionProcess } from './revision.js';
import { revisionKey, RouteTable } from './routing.js';
import { listWorkspaceApps } from './workspace-apps.js';

/** The DataPlane, plus what tests and the integrator may want to look at. */
export interface LocalDataPlane extends DataPlane {
  /** The ingress port actually bound (useful with port 0). */
  readonly port: number;
  /** The last status of a revision, or undefined if it is not known. */
  revisionStatus(namespace: string, name: string): RevisionRuntimeStatus | undefined;
  /** The running processes (all namespaces, or one), e.g. for the API's pods. */
  processes(namespace?: string): RevisionProcess[];
  /** Recent output of a revision's processes, oldest first (what `kubectl logs` would show). */
  recentLogs(namespace: string, name: string): string[];
}

export async function createDataPlane(input: DataPlaneOptions): Promise<LocalDataPlane> {
  const options = resolveOptions(input);
  const revisions = new Map<string, Revision>();
  const stopping = new Set<Promise<void>>();
  const listeners = new Set<(status: RevisionRuntimeStatus) => void>();
  let routes = new RouteTable([]);
  let closed: Promise<void> | undefined;

  const emit = (status: RevisionRuntimeStatus): void => {
    for (const listener of listeners) {
      try {
        listener(status);
      } catch (error) {
        options.onNotice(`a revision status listener threw: ${(error as Error).message}`);
      }
    }
  };
  const retiring = new Set<Revision>();
  const retire = (revision: Revision): void => {
    retiring.add(revision);
    const done = revision.stop(options.shutdownGraceMs).finally(() => {
      stopping.delete(done);
      retiring.delete(revision);
    });
    stopping.add(done);
  };

  const ingress = new Ingress({
    routes: () => routes,
    revision: (namespace, name) => revisions.get(revisionKey(namespace, name)),
    random: options.random,
    onNotice: options.onNotice,
  });
  const port = await ingress.listen(options.port, options.host);

  // Scale-downs happen when the idle window has passed: look regularly.
  const tick = setInterval(
    () => {
      for (const revision of revisions.values()) revision.tick();
    },
    Math.max(10, Math.min(250, options.idleWindowMs / 4)),
  );
  tick.unref();

  // If the integrator's process exits without close() (an uncaught error), take the apps along.
  const killOnExit = (): void => {
    for (const revision of [...revisions.values(), ...retiring]) revision.kill();
  };
  process.once('exit', killOnExit);

  const hostForUrl = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;

  return {
    port,
    ingressUrl: `http://${hostForUrl.includes(':') ? `[${hostForUrl}]` : hostForUrl}:${port}`,

    setRevisions(specs: readonly RevisionRuntimeSpec[]): void {
      if (closed) return;
      const wanted = new Map(specs.map((spec) => [revisionKey(spec.namespace, spec.name), spec]));
      for (const [key, revision] of revisions) {
        const spec = wanted.get(key);
        if (!spec || runsDifferently(revision.spec, spec)) {
          revisions.delete(key);
          retire(revision);
        }
      }
      let apps: ReturnType<typeof listWorkspaceApps> | undefined;
      for (const [key, spec] of wanted) {
        const existing = revisions.get(key);
        if (existing?.phase === 'Failed' && existing.reason === 'ContainerMissing') {
          // The app may have been built since: look again, as Knative retries an image pull.
          apps ??= listWorkspaceApps(options.workspaceRoot);
          if (existing.canRecoverWith(apps)) {
            revisions.delete(key);
            retire(existing);
          }
        }
        if (revisions.has(key) && existing) {
          if (JSON.stringify(existing.spec.scaling) !== JSON.stringify(spec.scaling)) existing.updateScaling(spec.scaling);
          continue;
        }
        const revision = new Revision(spec, options, emit);
        revisions.set(key, revision);
        revision.setRouted(routes.routedRevisions.has(key));
        apps ??= listWorkspaceApps(options.workspaceRoot);
        revision.start(apps);
      }
    },

    setRoutes(next: readonly IngressRoute[]): void {
      routes = new RouteTable(next);
      for (const [key, revision] of revisions) revision.setRouted(routes.routedRevisions.has(key));
    },

    onRevisionStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    revisionStatus(namespace, name) {
      return revisions.get(revisionKey(namespace, name))?.status;
    },

    processes(namespace) {
      return [...revisions.values()]
        .filter((revision) => namespace === undefined || revision.spec.namespace === namespace)
        .flatMap((revision) => revision.processes());
    },

    recentLogs(namespace, name) {
      return revisions.get(revisionKey(namespace, name))?.recentLogs() ?? [];
    },

    close(): Promise<void> {
      closed ??= (async () => {
        const started = Date.now();
        clearInterval(tick);
        process.off('exit', killOnExit);
        const all = [...revisions.values()];
        const processes = all.reduce((sum, revision) => sum + revision.processCount, 0);
        // Stop accepting, answer held requests 503, let proxied ones finish, then stop the processes.
        const draining = ingress.stopAccepting(options.shutdownGraceMs);
        for (const revision of all) revision.beginShutdown();
        const drained = await draining;
        await Promise.all([...all.map((revision) => revision.stop(options.shutdownGraceMs)), ...stopping]);
        revisions.clear();
        ingress.destroy();
        options.onNotice(
          `stopped: ${drained} in-flight request(s) drained, ${processes} process(es) of ${all.length} revision(s) stopped in ${Date.now() - started} ms`,
        );
      })();
      return closed;
    },
  };
}

/** A revision's processes must be replaced when what they run changes (scaling can change in place). */
function runsDifferently(a: RevisionRuntimeSpec, b: RevisionRuntimeSpec): boolean {
  const runtime = (spec: RevisionRuntimeSpec): string =>
    JSON.stringify([spec.image, spec.env, spec.containerPort, spec.readinessPath, spec.timeoutSeconds, spec.service, spec.configuration]);
  return runtime(a) !== runtime(b);
}
