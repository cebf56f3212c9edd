// The verbs on resources: get, list, create, update, patch (merge, JSON,
// strategic for core map-only kinds, server-side apply), delete.
import { SERVING_GROUP } from '@hands-on-knative/knative';
import type { KubeObject, ResourceName } from '../contracts.js';
import {
  RESOURCES,
  clone,
  deepEqual,
  isPlainObject,
  qualifiedName,
  readOwnership,
  writeOwnership,
  type ManagedFieldsEntry,
  type ResourceInfo,
  type SqliteObjectStore,
} from '../store/index.js';
import { serverSideApply } from './apply.js';
import { jsonPatch, mergePatch, strategicMergePatchForMaps } from './patch.js';
import { podObject, type PodSource } from './pods.js';
import {
  APPLY_PATCH,
  JSON_PATCH,
  MERGE_PATCH,
  STRATEGIC_PATCH,
  contentType,
  fieldManagerOf,
  isDryRun,
  parseBody,
  wantsTable,
  type ApiRequest,
} from './request.js';
import { objectMatches, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { ApiError, invalid } from './status.js';
import { tableOf, type IncludeObject } from './table.js';
import type { Validate } from './validation.js';

export interface ApiContext {
  store: SqliteObjectStore;
  validate: Validate;
  pods: PodSource;
  now: () => Date;
}

export interface ApiResponse {
  status: number;
  /** Sent as JSON, or as it is when it is a string (pod logs). */
  body: unknown;
}

const POD_INFO = { resource: 'pods', kind: 'Pod', listKind: 'PodList', group: '', apiVersion: 'v1' } as const;

const timestamp = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

function notFound(info: { resource: string; group: string }, name: string): ApiError {
  const qualified = info.group ? `${info.resource}.${info.group}` : info.resource;
  return new ApiError('NotFound', `${qualified} "${name}" not found`, { name, group: info.group, kind: info.resource });
}

/** Objects of a collection (stored, or pods from the PodSource), filtered by the request's selectors. */
export function selectObjects(context: ApiContext, request: ApiRequest): KubeObject[] {
  const { resource, namespace } = request.target;
  const labels = parseLabelSelector(request.query.get('labelSelector'));
  const fields = parseFieldSelector(request.query.get('fieldSelector'));
  const objects =
    resource === 'pods'
      ? context.pods
          .list(namespace)
          .filter((pod) => namespace === undefined || pod.namespace === namespace)
          .map((pod) => podObject(pod, String(context.store.resourceVersion())))
          .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`))
      : context.store.list(resource, namespace);
  return objects.filter((object) => objectMatches(object, labels, fields));
}

export function includeObjectOf(request: ApiRequest): IncludeObject {
  const value = request.query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function list(context: ApiContext, request: ApiRequest): ApiResponse {
  const { resource } = request.target;
  const items = selectObjects(context, request);
  const resourceVersion = String(context.store.resourceVersion());
  if (wantsTable(request)) {
    return { status: 200, body: tableOf(resource, items, resourceVersion, { now: context.now(), includeObject: includeObjectOf(request) }) };
  }
  const info = resource === 'pods' ? POD_INFO : RESOURCES[resource];
  return { status: 200, body: { kind: info.listKind, apiVersion: info.apiVersion, metadata: { resourceVersion }, items } };
}

function getOne(context: ApiContext, request: ApiRequest): ApiResponse {
  const { resource, namespace, name } = request.target;
  const object =
    resource === 'pods'
      ? selectObjects(context, { ...request, query: new URLSearchParams() }).find((pod) => pod.metadata.name === name)
      : context.store.get(resource, namespace, name!);
  if (!object) throw notFound(resource === 'pods' ? POD_INFO : RESOURCES[resource], name!);
  if (wantsTable(request)) {
    return { status: 200, body: tableOf(resource, [object], object.metadata.resourceVersion ?? '', { now: context.now(), includeObject: includeObjectOf(request) }) };
  }
  return { status: 200, body: object };
}

/** The object in a body, checked against the URL (kind, name, namespace) as the API server does. */
function bodyObject(info: ResourceInfo, request: ApiRequest, body: unknown): KubeObject {
  if (!isPlainObject(body)) throw new ApiError('BadRequest', `the request body must be a ${info.kind} object`);
  const object = clone(body) as KubeObject;
  if (object.apiVersion !== undefined && object.apiVersion !== info.apiVersion) {
    throw new ApiError('BadRequest', `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${info.apiVersion})`);
  }
  if (object.kind !== undefined && object.kind !== info.kind) {
    throw new ApiError('BadRequest', `the kind in the data (${String(object.kind)}) does not match the expected kind (${info.kind})`);
  }
  object.apiVersion = info.apiVersion;
  object.kind = info.kind;
  object.metadata = isPlainObject(object.metadata) ? object.metadata : { name: '' };
  const { namespace, name } = request.target;
  if (info.namespaced) {
    if (object.metadata.namespace && namespace && object.metadata.namespace !== namespace) {
      throw new ApiError('BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
    object.metadata.namespace = namespace ?? object.metadata.namespace;
  }
  if (name !== undefined) {
    if (!object.metadata.name) object.metadata.name = name;
    if (object.metadata.name !== name) {
      throw new ApiError('BadRequest', `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
    }
  }
  return object;
}

/**
 * managedFields a client wrote on purpose (kubectl rewrites them with a JSON
 * patch when it moves an object from client-side to server-side apply); a body
 * that just carries the stored ones back (get, edit, put) changes nothing.
 */
function clientManagedFields(object: KubeObject, current: KubeObject): { managedFields?: ManagedFieldsEntry[] } {
  const given = object.metadata.managedFields;
  if (!Array.isArray(given) || given.length === 0 || deepEqual(given, current.metadata.managedFields)) return {};
  const entries = given.filter(
    (entry): entry is ManagedFieldsEntry => isPlainObject(entry) && typeof entry.manager === 'string' && isPlainObject(entry.fieldsV1),
  );
  return { managedFields: writeOwnership(readOwnership(entries)) };
}

function validated(context: ApiContext, info: ResourceInfo, object: KubeObject, previous?: KubeObject): KubeObject {
  if (info.group !== SERVING_GROUP) return object;
  const errors = context.validate(object, previous);
  if (errors.length > 0) throw invalid(info.kind, info.group, object.metadata.name, errors);
  return object;
}

function writable(resource: ResourceName | 'pods'): ResourceInfo {
  if (resource === 'pods') {
    throw new ApiError('MethodNotAllowed', 'pods are read-only here: they show the running revision processes; change the Service instead');
  }
  return RESOURCES[resource];
}

function create(context: ApiContext, request: ApiRequest): ApiResponse {
  const info = writable(request.target.resource);
  const object = bodyObject(info, request, parseBody(request));
  if (info.hasStatusSubresource) delete object.status;
  validated(context, info, object);
  const created = context.store.create(info.resource, object, { fieldManager: fieldManagerOf(request), dryRun: isDryRun(request) });
  return { status: 201, body: created };
}

function update(context: ApiContext, request: ApiRequest): ApiResponse {
  const info = writable(request.target.resource);
  const object = bodyObject(info, request, parseBody(request));
  const previous = context.store.get(info.resource, request.target.namespace, request.target.name!);
  if (!previous) throw notFound(info, request.target.name!);
  const options = { fieldManager: fieldManagerOf(request), dryRun: isDryRun(request) };
  if (request.target.subresource === 'status') return { status: 200, body: context.store.updateStatus(info.resource, object, options) };
  validated(context, info, object, previous);
  return { status: 200, body: context.store.update(info.resource, object, { ...options, ...clientManagedFields(object, previous) }) };
}

function patch(context: ApiContext, request: ApiRequest): ApiResponse {
  const info = writable(request.target.resource);
  const type = contentType(request);
  const { namespace, name, subresource } = request.target;
  const current = context.store.get(info.resource, namespace, name!);
  if (type === APPLY_PATCH) return apply(context, request, info, current);
  if (!current) throw notFound(info, name!);
  const body = parseBody(request);
  let patched: unknown;
  if (type === MERGE_PATCH) patched = mergePatch(current, body);
  else if (type === JSON_PATCH) patched = jsonPatch(current, body);
  else if (type === STRATEGIC_PATCH && info.group === '') patched = strategicMergePatchForMaps(current, body);
  else {
    throw new ApiError(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${JSON_PATCH}, ${MERGE_PATCH}, ${APPLY_PATCH}` +
        (type === STRATEGIC_PATCH ? ` (strategic merge patch is not supported for ${info.kind}; use --type merge)` : ''),
    );
  }
  const object = bodyObject(info, request, patched);
  const options = { fieldManager: fieldManagerOf(request), dryRun: isDryRun(request) };
  if (subresource === 'status') return { status: 200, body: context.store.updateStatus(info.resource, object, options) };
  validated(context, info, object, current);
  return { status: 200, body: context.store.update(info.resource, object, { ...options, ...clientManagedFields(object, current) }) };
}

function apply(context: ApiContext, request: ApiRequest, info: ResourceInfo, live: KubeObject | undefined): ApiResponse {
  if (request.target.subresource) throw new ApiError('MethodNotAllowed', 'server-side apply is served on the main resource only');
  const manager = request.query.get('fieldManager');
  if (!manager) {
    throw new ApiError('BadRequest', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  }
  const config = bodyObject(info, request, parseBody(request));
  const force = request.query.get('force') === 'true';
  const now = timestamp(context.now());
  const result = serverSideApply({ live, config, manager, force, apiVersion: info.apiVersion, now });
  const object = result.object;
  const options = { managedFields: result.managedFields, dryRun: isDryRun(request) };
  if (live) {
    object.metadata.resourceVersion = live.metadata.resourceVersion;
    validated(context, info, object, live);
    return { status: 200, body: context.store.update(info.resource, object, options) };
  }
  if (info.hasStatusSubresource) delete object.status;
  validated(context, info, object);
  return { status: 201, body: context.store.create(info.resource, object, options) };
}

function remove(context: ApiContext, request: ApiRequest): ApiResponse {
  const info = writable(request.target.resource);
  const body = parseBody(request) as { preconditions?: { uid?: string; resourceVersion?: string } } | undefined;
  const { namespace, name } = request.target;
  if (info.resource === 'namespaces' && name === 'default') {
    throw new ApiError('Forbidden', 'namespaces "default" is forbidden: this namespace may not be deleted', { name, kind: 'namespaces' });
  }
  const deleted = context.store.delete(info.resource, namespace, name!, {
    ...(body?.preconditions ? { preconditions: body.preconditions } : {}),
    dryRun: isDryRun(request, body),
  });
  if (!deleted) throw notFound(info, name!);
  return { status: 200, body: deleted };
}

/** `kubectl logs`: the revision's recent output, from the PodSource. */
function podLog(context: ApiContext, request: ApiRequest): ApiResponse {
  const { namespace, name } = request.target;
  const pod = selectObjects(context, { ...request, query: new URLSearchParams() }).find((p) => p.metadata.name === name);
  if (!pod) throw notFound(POD_INFO, name!);
  const revision = pod.metadata.labels?.['serving.knative.dev/revision'] ?? '';
  let lines = context.pods.logs?.(namespace ?? 'default', revision) ?? [];
  const tail = Number(request.query.get('tailLines'));
  if (request.query.has('tailLines') && Number.isInteger(tail) && tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
  return { status: 200, body: lines.map((line) => `${line}\n`).join('') };
}

/** Answers one non-watch request on a resource. */
export function handleResource(context: ApiContext, request: ApiRequest): ApiResponse {
  const { method, target } = request;
  if (target.resource === 'pods' && target.subresource === 'log' && method === 'GET') return podLog(context, request);
  if (target.subresource !== undefined && target.subresource !== 'status') throw new ApiError('NotFound', 'the server could not find the requested resource');
  if (target.subresource === 'status' && (target.resource === 'pods' || !RESOURCES[target.resource].hasStatusSubresource)) {
    throw new ApiError('NotFound', 'the server could not find the requested resource');
  }
  const isItem = target.name !== undefined;
  if (!isItem && target.namespace === undefined && target.resource !== 'namespaces' && method !== 'GET') {
    throw new ApiError('MethodNotAllowed', `${method} needs a namespace in the path: /…/namespaces/<namespace>/${target.resource}`);
  }
  switch (method) {
    case 'GET':
      return isItem ? getOne(context, request) : list(context, request);
    case 'POST':
      if (isItem) break;
      return create(context, request);
    case 'PUT':
      if (!isItem) break;
      return update(context, request);
    case 'PATCH':
      if (!isItem) break;
      return patch(context, request);
    case 'DELETE':
      if (!isItem) break;
      return remove(context, request);
  }
  const what = target.resource === 'pods' ? POD_INFO : RESOURCES[target.resource];
  throw new ApiError('MethodNotAllowed', `the server does not allow this method on the requested resource (${method} ${isItem ? qualifiedName(what as ResourceInfo, target.name!) : target.resource})`);
}
