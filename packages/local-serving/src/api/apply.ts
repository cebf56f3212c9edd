// Server-side apply (application/apply-patch+yaml) over the ownership model in
// store/managed-fields.ts: a manager's applied configuration is the set of
// fields it owns; applying a value another manager owns is a conflict unless
// forced; fields it applied before and left out now are removed (unless
// someone else owns them). Lists are atomic: the last applier owns all of them.
import type { KubeObject } from '../contracts.js';
import {
  clone,
  deepEqual,
  isPlainObject,
  keyPath,
  leafFields,
  overlaps,
  readOwnership,
  valueAt,
  writeOwnership,
  type JsonObject,
  type ManagedFieldsEntry,
  type Ownership,
} from '../store/index.js';
import { ApiError } from './status.js';

export interface ApplyInput {
  live: KubeObject | undefined;
  config: KubeObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  now: string;
}

export interface ApplyResult {
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
}

export interface FieldConflict {
  manager: string;
  field: string;
}

const USER_METADATA = ['name', 'namespace', 'labels', 'annotations', 'ownerReferences', 'finalizers'];

const CLIENT_SIDE_APPLY = 'kubectl-client-side-apply';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function lastAppliedConfiguration(live: KubeObject | undefined): unknown {
  const text = live?.metadata.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `.spec.template.spec.containers`, the way the API server prints a field path. */
export const fieldPathString = (path: string[]): string => path.map((p) => `.${p}`).join('');

/** The configuration as applied: no status, no server-owned metadata. */
function appliedConfiguration(config: KubeObject): KubeObject {
  const { status: _status, ...rest } = clone(config);
  const metadata: JsonObject = {};
  for (const key of USER_METADATA) if (config.metadata?.[key] !== undefined) metadata[key] = clone(config.metadata[key]);
  return { ...rest, metadata: metadata as KubeObject['metadata'] };
}

function setAt(object: JsonObject, path: string[], value: unknown): void {
  let node = object;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as JsonObject;
  }
  const last = path[path.length - 1]!;
  // An applied empty map claims the map, not the fields others keep in it.
  if (isPlainObject(value) && Object.keys(value).length === 0 && isPlainObject(node[last])) return;
  node[last] = clone(value);
}

function deleteAt(object: JsonObject, path: string[]): void {
  const parents: JsonObject[] = [];
  let node: unknown = object;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(node)) return;
    parents.push(node);
    node = node[key];
  }
  if (!isPlainObject(node)) return;
  delete node[path[path.length - 1]!];
  // Drop maps the removal left empty (but never the top-level fields).
  for (let i = path.length - 2; i >= 1; i--) {
    const parent = parents[i]!;
    const child = parent[path[i]!];
    if (isPlainObject(child) && Object.keys(child).length === 0) delete parent[path[i]!];
    else break;
  }
}

export function conflictError(conflicts: FieldConflict[], apiVersion: string): ApiError {
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const parts = [...byManager].map(([manager, fields]) =>
    fields.length === 1
      ? `conflict with "${manager}" using ${apiVersion}: ${fields[0]}`
      : `conflicts with "${manager}" using ${apiVersion}:\n${fields.map((f) => `- ${f}`).join('\n')}`,
  );
  const count = conflicts.length;
  return new ApiError('Conflict', `Apply failed with ${count} conflict${count === 1 ? '' : 's'}: ${parts.join('\n')}`, {
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${apiVersion}`, field: c.field })),
  });
}

export function serverSideApply(input: ApplyInput): ApplyResult {
  const { live, manager, force, apiVersion, now } = input;
  const config = appliedConfiguration(input.config);
  const applied = new Map([...leafFields(config)].filter(([, value]) => value !== null));
  const removedByNull = [...leafFields(config)].filter(([, value]) => value === null).map(([key]) => keyPath(key));
  const owners: Ownership[] = readOwnership(live?.metadata.managedFields);

  const conflicts: FieldConflict[] = [];
  const conflicting = new Map<Ownership, string[][]>();
  const lastApplied = lastAppliedConfiguration(live);
  for (const owner of owners) {
    if (owner.manager === manager) continue;
    for (const [appliedKey, value] of applied) {
      const appliedPath = keyPath(appliedKey);
      // An empty map claims only that the map exists, never the fields inside it.
      if (isPlainObject(value) && Object.keys(value).length === 0 && isPlainObject(valueAt(live, appliedPath))) continue;
      const clash = [...owner.paths].some((owned) => overlaps(keyPath(owned), appliedPath));
      if (!clash || deepEqual(valueAt(live, appliedPath), value)) continue;
      conflicting.set(owner, [...(conflicting.get(owner) ?? []), appliedPath]);
      // Like the API server's last-applied handling: moving from `kubectl apply` to
      // `kubectl apply --server-side` takes over, without a conflict, the fields the
      // client-side apply set and nobody changed since.
      const takeover = owner.manager === CLIENT_SIDE_APPLY && lastApplied && deepEqual(valueAt(lastApplied, appliedPath), valueAt(live, appliedPath));
      if (!takeover) conflicts.push({ manager: owner.manager, field: fieldPathString(appliedPath) });
    }
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts, apiVersion);
  for (const [owner, paths] of conflicting) {
    for (const owned of [...owner.paths]) if (paths.some((p) => overlaps(keyPath(owned), p))) owner.paths.delete(owned);
  }

  const merged: JsonObject = live ? clone(live) : { apiVersion: config.apiVersion, kind: config.kind, metadata: {} };
  const previous = owners.find((o) => o.manager === manager && o.operation === 'Apply' && !o.subresource);
  const others = owners.filter((o) => o !== previous);
  for (const key of previous?.paths ?? []) {
    if (applied.has(key)) continue;
    const path = keyPath(key);
    const ownedElsewhere = others.some((o) => [...o.paths].some((p) => overlaps(keyPath(p), path)));
    if (!ownedElsewhere) deleteAt(merged, path);
  }
  for (const path of removedByNull) deleteAt(merged, path);
  for (const [key, value] of applied) setAt(merged, keyPath(key), value);
  const metadata = merged.metadata as JsonObject;
  metadata.name = config.metadata.name;
  if (config.metadata.namespace) metadata.namespace = config.metadata.namespace;

  const paths = new Set(applied.keys());
  const unchanged = previous && deepEqual([...previous.paths].sort(), [...paths].sort());
  const mine: Ownership = { manager, operation: 'Apply', apiVersion, time: unchanged ? previous.time : now, paths };
  const result = previous ? owners.map((o) => (o === previous ? mine : o)) : [...owners, mine];
  const leaves = leafFields(merged);
  for (const owner of result) for (const key of [...owner.paths]) if (!leaves.has(key)) owner.paths.delete(key);
  return { object: merged as KubeObject, managedFields: writeOwnership(result) };
}
