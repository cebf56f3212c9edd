// The local Knative Serving in one call: the object store in the state folder,
// the data plane (revision processes + ingress), the Kubernetes-shaped API that
// writes <state>/kubeconfig, and the controller between them.
import { startApiServer, type ApiServer } from './api/index.js';
import { podName, type PodInfo, type PodSource } from './api/pods.js';
import { createController, type Controller } from './controller/index.js';
import { createDataPlane, type DataPlaneOptions, type LocalDataPlane } from './dataplane/index.js';
import type { RevisionProcess } from './dataplane/revision.js';
import { recordProcesses, stopLeftovers } from './leftovers.js';
import { SqliteObjectStore } from './store/index.js';

export interface LocalServingOptions {
  /** Folder for the database, the kubeconfig and the API's certificate. */
  stateDir: string;
  /** The workspace whose apps/ revisions may run (the repo root). */
  repoRoot: string;
  /** Ingress port; default 8080, 0 picks a free one. */
  ingressPort?: number;
  /** API port; default 0 (a free one: the kubeconfig says which). */
  apiPort?: number;
  /** Address both listen on; default 127.0.0.1. */
  host?: string;
  /** Route domain: `<svc>.<ns>.<domain>`; default localhost, which resolves to 127.0.0.1 without DNS. */
  domain?: string;
  /** Scale-down / scale-to-zero idle window; default the data plane's (30 s). */
  idleWindowMs?: number;
  /** Every line revision processes write. Default: stdout, prefixed with the revision. */
  onLog?: DataPlaneOptions['onLog'];
  /** What the data plane and controller report. Default: stderr. */
  onNotice?: (message: string) => void;
  /** Run images that name no workspace app with this Docker daemon (see the data plane README). */
  docker?: DataPlaneOptions['docker'];
}

export interface LocalServing {
  readonly kubeconfigPath: string;
  /** e.g. https://127.0.0.1:41234 */
  readonly apiUrl: string;
  /** e.g. http://127.0.0.1:8080 */
  readonly ingressUrl: string;
  readonly ingressPort: number;
  readonly store: SqliteObjectStore;
  readonly controller: Controller;
  readonly dataPlane: LocalDataPlane;
  /** Stops the controller, drains the ingress and processes, closes the API and the database. */
  close(): Promise<void>;
}

export async function startLocalServing(options: LocalServingOptions): Promise<LocalServing> {
  const host = options.host ?? '127.0.0.1';
  const notice = options.onNotice ?? ((message: string) => process.stderr.write(`local-serving: ${message}\n`));
  // Opening the store takes the state folder's lock: whatever processes are
  // recorded there belong to a predecessor that did not stop them.
  const store = SqliteObjectStore.open({ stateDir: options.stateDir });
  const leftovers = await stopLeftovers(options.stateDir);
  if (leftovers > 0) notice(`stopped ${leftovers} process(es) a previous run left behind`);
  let dataPlane: LocalDataPlane | undefined;
  let api: ApiServer | undefined;
  try {
    const planeOptions: DataPlaneOptions = {
      workspaceRoot: options.repoRoot,
      port: options.ingressPort ?? 8080,
      host,
      onNotice: notice,
    };
    if (options.idleWindowMs !== undefined) planeOptions.idleWindowMs = options.idleWindowMs;
    if (options.onLog) planeOptions.onLog = options.onLog;
    if (options.docker) planeOptions.docker = options.docker;
    dataPlane = await createDataPlane(planeOptions);
    const plane = dataPlane;
    const pods: PodSource = {
      list: (namespace) => plane.processes(namespace).map(toPodInfo),
      logs: (namespace, revision) => plane.recentLogs(namespace, revision),
    };
    // A fresh token and certificate at every start: a kubeconfig copied elsewhere
    // stops working with the local serving that wrote it (kubectl rereads the file).
    api = await startApiServer({ store, stateDir: options.stateDir, host, port: options.apiPort ?? 0, pods, rotateCredentials: true });
    const controller = createController({
      store,
      dataPlane,
      domain: options.domain ?? 'localhost',
      onError: (error, context) => notice(`${context}: ${error instanceof Error ? error.message : String(error)}`),
    });
    // Objects restored from the database are reconciled at once: routes come back after a restart.
    controller.start();
    const record = (): void =>
      recordProcesses(
        options.stateDir,
        plane.processes().flatMap((p) => (p.pid === undefined ? [] : [{ pid: p.pid, revision: p.revision }])),
      );
    const unsubscribe = plane.onRevisionStatus(record);
    // Status changes come when a process is ready; the interval also catches one still starting.
    const recorder = setInterval(record, 250);
    recorder.unref();
    const apiServer = api;
    let closing: Promise<void> | undefined;
    return {
      kubeconfigPath: api.kubeconfigPath,
      apiUrl: api.url,
      ingressUrl: dataPlane.ingressUrl,
      ingressPort: dataPlane.port,
      store,
      controller,
      dataPlane,
      close: () =>
        (closing ??= (async () => {
          controller.stop();
          unsubscribe();
          clearInterval(recorder);
          await plane.close();
          recordProcesses(options.stateDir, []);
          await apiServer.close();
          store.close();
        })()),
    };
  } catch (error) {
    await dataPlane?.close().catch(() => {});
    await api?.close().catch(() => {});
    store.close();
    throw error;
  }
}

function toPodInfo(process: RevisionProcess): PodInfo {
  const pod: PodInfo = {
    namespace: process.namespace,
    name: podName(process.revision, process.replica),
    revision: process.revision,
    service: process.service,
    configuration: process.configuration,
    ready: process.ready,
    phase: process.phase,
    restarts: process.restarts,
    startedAt: process.startedAt,
    ip: process.ip,
    port: process.port,
  };
  if (process.pid !== undefined) pod.pid = process.pid;
  return pod;
}
