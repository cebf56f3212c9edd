// The thin I/O shell over @kubernetes/client-node 1.4.0: load the kubeconfig,
// then get, list, server-side apply, delete and watch objects. Knative kinds
// go through CustomObjectsApi, core kinds through CoreV1Api. Every failure
// leaves here as a DeployError (api-errors.ts) with credentials redacted.
import type { KubeObject } from './types.js';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, Watch, setHeaderOptions } from './kube.js';
import { describeRequestError, type RequestContext } from './api-errors.js';
import { DeployError, invalidInput } from './errors.js';
import { chooseKubeconfig, LOCAL_SERVING_CLUSTER, type KubeconfigChoice } from './kubeconfig.js';
import { redact } from './redact.js';
import type { ResourceRef } from './resources.js';

export interface ConnectOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  /** The local serving's state folder, the last kubeconfig fallback. */
  stateDir?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export interface ApplyOptions {
  fieldManager: string;
  force?: boolean;
}

export interface WatchHandle {
  stop(): void;
}

export type WatchEvent = { type: string; object: KubeObject };

export class Cluster {
  private readonly objects: CustomObjectsApi;
  private readonly core: CoreV1Api;

  private constructor(
    readonly config: KubeConfig,
    readonly namespace: string,
    readonly contextName: string,
    readonly server: string,
    readonly kubeconfig: KubeconfigChoice,
    /** Values that must never be printed (tokens, passwords, keys of the kubeconfig user). */
    readonly secrets: string[],
  ) {
    this.objects = config.makeApiClient(CustomObjectsApi);
    this.core = config.makeApiClient(CoreV1Api);
  }

  /** Loads the kubeconfig; no request is made. Throws DeployError (invalid input). */
  static connect(options: ConnectOptions = {}): Cluster {
    const env = options.env ?? process.env;
    const choice = chooseKubeconfig({
      flag: options.kubeconfig,
      env: env.KUBECONFIG,
      home: env.HOME ?? os.homedir(),
      localState: options.stateDir,
      exists: existsSync,
    });
    const config = new KubeConfig();
    try {
      choice.files.forEach((file, i) => {
        if (i === 0) return config.loadFromFile(file);
        const more = new KubeConfig();
        more.loadFromFile(file);
        config.mergeConfig(more, true);
      });
    } catch (error) {
      throw invalidInput(`cannot load kubeconfig ${choice.files.join(', ')}: ${redact(error instanceof Error ? error.message : String(error))}`);
    }
    const contexts = config.getContexts().map((c) => c.name);
    if (options.context) {
      if (!contexts.includes(options.context)) {
        throw invalidInput(`--context ${options.context}: no such context in ${choice.files.join(', ')} (it has: ${contexts.join(', ') || 'none'})`);
      }
      config.setCurrentContext(options.context);
    }
    const contextName = config.getCurrentContext();
    const context = contextName ? config.getContextObject(contextName) : null;
    const cluster = config.getCurrentCluster();
    if (!context || !cluster) {
      throw invalidInput(`kubeconfig ${choice.files.join(', ')} has no current context: pass --context <name> (one of: ${contexts.join(', ') || 'none'})`);
    }
    const user = config.getCurrentUser() as unknown as Record<string, unknown> | null;
    const secrets = ['token', 'password', 'keyData', 'certData']
      .map((key) => user?.[key])
      .filter((v): v is string => typeof v === 'string' && v !== '');
    const namespace = options.namespace || context.namespace || 'default';
    return new Cluster(config, namespace, contextName, cluster.server, choice, secrets);
  }

  /** True when the kubeconfig points at the local serving (it names its cluster knative-local). */
  get isLocalServing(): boolean {
    return this.config.getCurrentCluster()?.name === LOCAL_SERVING_CLUSTER;
  }

  private context(verb: string, resource: ResourceRef, name?: string, namespace?: string, fieldManager?: string): RequestContext {
    const ctx: RequestContext = { verb, resource, server: this.server, context: this.contextName };
    if (name !== undefined) ctx.name = name;
    if (namespace !== undefined && resource.namespaced) ctx.namespace = namespace;
    if (fieldManager !== undefined) ctx.fieldManager = fieldManager;
    return ctx;
  }

  private async call<T>(ctx: RequestContext, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const described = describeRequestError(error, ctx);
      described.message = redact(described.message, this.secrets);
      throw described;
    }
  }

  async get(resource: ResourceRef, name: string, namespace = this.namespace): Promise<KubeObject> {
    return this.call(this.context('get', resource, name, namespace), async () => {
      if (resource.group) {
        const { group, version, plural } = resource;
        return (await this.objects.getNamespacedCustomObject({ group, version, plural, namespace, name })) as KubeObject;
      }
      return plain(await this.readCore(resource, name, namespace)) as KubeObject;
    });
  }

  /** The object, or undefined when it does not exist (any other failure throws). */
  async find(resource: ResourceRef, name: string, namespace = this.namespace): Promise<KubeObject | undefined> {
    try {
      return await this.get(resource, name, namespace);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list(resource: ResourceRef, namespace = this.namespace, labelSelector?: string): Promise<KubeObject[]> {
    return this.call(this.context('list', resource, undefined, namespace), async () => {
      const selector = labelSelector ? { labelSelector } : {};
      if (resource.group) {
        const { group, version, plural } = resource;
        const list = (await this.objects.listNamespacedCustomObject({ group, version, plural, namespace, ...selector })) as { items?: KubeObject[] };
        return list.items ?? [];
      }
      if (resource.plural === 'pods') return plain((await this.core.listNamespacedPod({ namespace, ...selector })).items) as unknown as KubeObject[];
      throw new Error(`listing ${resource.plural} is not supported`);
    });
  }

  /** Server-side apply: one PATCH with application/apply-patch+yaml, our field manager, force only when asked. */
  async apply(resource: ResourceRef, object: KubeObject, options: ApplyOptions): Promise<KubeObject> {
    const name = object.metadata.name;
    const namespace = object.metadata.namespace ?? this.namespace;
    const ssa = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
    const common = { name, body: object, fieldManager: options.fieldManager, ...(options.force ? { force: true } : {}) };
    return this.call(this.context('apply', resource, name, namespace, options.fieldManager), async () => {
      if (resource.group) {
        const { group, version, plural } = resource;
        return (await this.objects.patchNamespacedCustomObject({ group, version, plural, namespace, ...common }, ssa)) as KubeObject;
      }
      switch (resource.kind) {
        case 'Namespace':
          return plain(await this.core.patchNamespace(common, ssa)) as unknown as KubeObject;
        case 'Secret':
          return plain(await this.core.patchNamespacedSecret({ ...common, namespace }, ssa)) as unknown as KubeObject;
        case 'ConfigMap':
          return plain(await this.core.patchNamespacedConfigMap({ ...common, namespace }, ssa)) as unknown as KubeObject;
      }
      throw new Error(`applying ${resource.kind} is not supported`);
    });
  }

  async delete(resource: ResourceRef, name: string, namespace = this.namespace): Promise<void> {
    await this.call(this.context('delete', resource, name, namespace), async () => {
      const { group, version, plural } = resource;
      if (!group) throw new Error(`deleting ${resource.kind} is not supported`);
      await this.objects.deleteNamespacedCustomObject({ group, version, plural, namespace, name, propagationPolicy: 'Background' });
    });
  }

  /**
   * Watches one object by name from `resourceVersion`. `onEvent` gets ADDED/MODIFIED/DELETED/BOOKMARK/ERROR;
   * `onEnd` is called once when the stream ends or fails to start (with the error, if any).
   */
  async watch(
    resource: ResourceRef,
    name: string,
    namespace: string,
    resourceVersion: string | undefined,
    onEvent: (event: WatchEvent) => void,
    onEnd: (error?: unknown) => void,
  ): Promise<WatchHandle> {
    const prefix = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
    const path = `${prefix}/namespaces/${namespace}/${resource.plural}`;
    const query: Record<string, string | boolean> = { fieldSelector: `metadata.name=${name}`, allowWatchBookmarks: true };
    if (resourceVersion) query.resourceVersion = resourceVersion;
    const controller = await new Watch(this.config).watch(
      path,
      query,
      (type: string, object: KubeObject) => onEvent({ type, object }),
      (error: unknown) => onEnd(error ?? undefined),
    );
    return { stop: () => controller.abort() };
  }

  private readCore(resource: ResourceRef, name: string, namespace: string): Promise<unknown> {
    switch (resource.kind) {
      case 'Namespace':
        return this.core.readNamespace({ name });
      case 'Secret':
        return this.core.readNamespacedSecret({ name, namespace });
      case 'ConfigMap':
        return this.core.readNamespacedConfigMap({ name, namespace });
    }
    throw new Error(`reading ${resource.kind} is not supported`);
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof DeployError && error.notFound;
}

/** CoreV1Api returns class instances with Date fields: make them plain JSON like the custom objects. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
