// Field ownership as the Kubernetes API server tracks it in metadata.managedFields,
// simplified where this project allows: every list is atomic (Knative declares
// spec.traffic and spec.template.spec.containers atomic, and the other lists
// it has live inside those), so a field path ends at a scalar, a list, or an
// empty map. Paths are kept as JSON-encoded key arrays so they fit in a Set.
import { deepEqual, isPlainObject, type JsonObject } from './values.js';

export type FieldPath = string[];

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

/** Metadata fields users own; the rest (uid, resourceVersion, ...) belong to the server. */
const OWNED_METADATA = ['labels', 'annotations', 'ownerReferences', 'finalizers'];
const SKIPPED_TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata', 'status']);

export const pathKey = (path: FieldPath): string => JSON.stringify(path);
export const keyPath = (key: string): FieldPath => JSON.parse(key) as FieldPath;

/** Every owned leaf of an object with its value, keyed by pathKey. Status is excluded. */
export function leafFields(object: JsonObject): Map<string, unknown> {
  const leaves = new Map<string, unknown>();
  const walk = (value: unknown, path: FieldPath): void => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) {
        if (child !== undefined) walk(child, [...path, key]);
      }
    } else {
      leaves.set(pathKey(path), value);
    }
  };
  for (const [key, value] of Object.entries(object)) {
    if (SKIPPED_TOP_LEVEL.has(key) || value === undefined) continue;
    walk(value, [key]);
  }
  const metadata = object.metadata;
  if (isPlainObject(metadata)) {
    for (const key of OWNED_METADATA) {
      if (metadata[key] !== undefined) walk(metadata[key], ['metadata', key]);
    }
  }
  return leaves;
}

export function valueAt(object: unknown, path: FieldPath): unknown {
  let current: unknown = object;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Two paths overlap when one is a prefix of the other (or they are equal). */
export function overlaps(a: FieldPath, b: FieldPath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Encodes a set of paths as the API's FieldsV1 trie (`f:` keys, `{}` leaves, `.` for an owned inner node). */
export function toFieldsV1(paths: Iterable<string>): JsonObject {
  const root: JsonObject = {};
  for (const key of paths) {
    let node = root;
    for (const segment of keyPath(key)) {
      const name = `f:${segment}`;
      if (!isPlainObject(node[name])) node[name] = {};
      node = node[name] as JsonObject;
    }
  }
  // An inner node that is itself owned keeps a "." marker.
  const all = new Set(paths);
  const mark = (node: JsonObject, path: FieldPath): void => {
    for (const [name, child] of Object.entries(node)) {
      if (!name.startsWith('f:') || !isPlainObject(child)) continue;
      const childPath = [...path, name.slice(2)];
      if (Object.keys(child).length > 0) {
        if (all.has(pathKey(childPath))) child['.'] = {};
        mark(child, childPath);
      }
    }
  };
  mark(root, []);
  return root;
}

export function fromFieldsV1(fields: unknown): Set<string> {
  const paths = new Set<string>();
  const walk = (node: unknown, path: FieldPath): void => {
    if (!isPlainObject(node)) return;
    const children = Object.keys(node).filter((k) => k.startsWith('f:'));
    if (path.length > 0 && (children.length === 0 || '.' in node)) paths.add(pathKey(path));
    for (const name of children) walk(node[name], [...path, name.slice(2)]);
  };
  walk(fields, []);
  return paths;
}

/** The managed-fields entries as path sets, for computation. */
export interface Ownership {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  paths: Set<string>;
}

export function readOwnership(managedFields: unknown): Ownership[] {
  if (!Array.isArray(managedFields)) return [];
  return managedFields.filter(isPlainObject).map((entry) => ({
    manager: String(entry.manager ?? ''),
    operation: entry.operation === 'Apply' ? 'Apply' : 'Update',
    apiVersion: String(entry.apiVersion ?? ''),
    time: String(entry.time ?? ''),
    ...(typeof entry.subresource === 'string' ? { subresource: entry.subresource } : {}),
    paths: fromFieldsV1(entry.fieldsV1),
  }));
}

export function writeOwnership(owners: Ownership[]): ManagedFieldsEntry[] {
  return owners
    .filter((o) => o.paths.size > 0)
    .map((o) => ({
      manager: o.manager,
      operation: o.operation,
      apiVersion: o.apiVersion,
      time: o.time,
      fieldsType: 'FieldsV1' as const,
      fieldsV1: toFieldsV1([...o.paths].sort()),
      ...(o.subresource ? { subresource: o.subresource } : {}),
    }));
}

/** Keeps only paths that are still leaves of the object (fields removed by a write lose their owners). */
function pruneToLeaves(owners: Ownership[], leaves: Map<string, unknown>): void {
  for (const owner of owners) {
    for (const path of owner.paths) if (!leaves.has(path)) owner.paths.delete(path);
  }
}

/**
 * managedFields after a non-apply write (create, update, patch) by `manager`:
 * the fields it changed move to its Update entry and leave every other
 * manager, as the API server does for operation Update.
 */
export function managedFieldsAfterUpdate(
  previous: JsonObject | undefined,
  next: JsonObject,
  manager: string,
  apiVersion: string,
  now: string,
): ManagedFieldsEntry[] {
  const owners = readOwnership(previous ? (previous.metadata as JsonObject | undefined)?.managedFields : undefined);
  const before = previous ? leafFields(previous) : new Map<string, unknown>();
  const after = leafFields(next);
  const changed = [...after].filter(([path, value]) => !before.has(path) || !deepEqual(before.get(path), value));
  if (changed.length === 0 && previous) {
    pruneToLeaves(owners, after);
    return writeOwnership(owners);
  }
  let mine = owners.find((o) => o.manager === manager && o.operation === 'Update' && !o.subresource);
  if (!mine) {
    mine = { manager, operation: 'Update', apiVersion, time: now, paths: new Set() };
    owners.push(mine);
  }
  for (const [path] of changed) {
    for (const owner of owners) if (owner !== mine) owner.paths.delete(path);
    mine.paths.add(path);
  }
  mine.time = now;
  mine.apiVersion = apiVersion;
  pruneToLeaves(owners, after);
  return writeOwnership(owners);
}
