// The patch formats the API accepts besides server-side apply.
import { clone, isPlainObject, type JsonObject } from '../store/index.js';
import { ApiError } from './status.js';

/** RFC 7386 JSON merge patch: maps merge, null deletes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const result: JsonObject = isPlainObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new ApiError('Invalid', `json patch: invalid path "${path}"`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, tokens: string[], path: string): { parent: JsonObject | unknown[]; key: string } {
  let node: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(token)] : isPlainObject(node) ? node[token] : undefined;
    if (node === undefined) throw new ApiError('Invalid', `json patch: path "${path}" does not exist`);
  }
  if (!Array.isArray(node) && !isPlainObject(node)) throw new ApiError('Invalid', `json patch: path "${path}" does not exist`);
  return { parent: node, key: tokens[tokens.length - 1]! };
}

function indexIn(list: unknown[], key: string, path: string, forInsert: boolean): number {
  if (forInsert && key === '-') return list.length;
  const index = Number(key);
  if (!/^\d+$/.test(key) || index > list.length || (!forInsert && index === list.length)) {
    throw new ApiError('Invalid', `json patch: index out of range in "${path}"`);
  }
  return index;
}

function read(doc: unknown, path: string): unknown {
  let node = doc;
  for (const token of pointer(path)) {
    node = Array.isArray(node) ? node[Number(token)] : isPlainObject(node) ? node[token] : undefined;
    if (node === undefined) throw new ApiError('Invalid', `json patch: path "${path}" does not exist`);
  }
  return node;
}

function remove(doc: unknown, path: string): unknown {
  const { parent, key } = parentOf(doc, pointer(path), path);
  if (Array.isArray(parent)) return parent.splice(indexIn(parent, key, path, false), 1)[0];
  if (!(key in parent)) throw new ApiError('Invalid', `json patch: path "${path}" does not exist`);
  const old = parent[key];
  delete parent[key];
  return old;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) return clone(value);
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(indexIn(parent, key, path, true), 0, clone(value));
  else parent[key] = clone(value);
  return doc;
}

/** RFC 6902 JSON patch: add, remove, replace, move, copy, test. */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new ApiError('BadRequest', 'json patch: the body must be a list of operations');
  let doc = clone(target);
  for (const raw of operations as Operation[]) {
    if (!isPlainObject(raw) || typeof raw.path !== 'string') throw new ApiError('BadRequest', 'json patch: every operation needs "op" and "path"');
    switch (raw.op) {
      case 'add':
        doc = add(doc, raw.path, raw.value);
        break;
      case 'remove':
        remove(doc, raw.path);
        break;
      case 'replace':
        read(doc, raw.path);
        if (raw.path === '') doc = clone(raw.value);
        else {
          remove(doc, raw.path);
          doc = add(doc, raw.path, raw.value);
        }
        break;
      case 'move': {
        const value = remove(doc, raw.from ?? '');
        doc = add(doc, raw.path, value);
        break;
      }
      case 'copy':
        doc = add(doc, raw.path, read(doc, raw.from ?? ''));
        break;
      case 'test':
        if (JSON.stringify(read(doc, raw.path)) !== JSON.stringify(raw.value)) {
          throw new ApiError('Invalid', `json patch: test operation for path "${raw.path}" failed`);
        }
        break;
      default:
        throw new ApiError('BadRequest', `json patch: unknown operation "${String(raw.op)}"`);
    }
  }
  return doc;
}

/**
 * Strategic merge patch for the core kinds served here (Secret, Namespace),
 * whose fields are maps and scalars: it is a merge patch once the
 * list-ordering hints kubectl adds (`$setElementOrder/...`) are dropped.
 * Other directives ($patch, $retainKeys, ...) are refused rather than guessed.
 */
export function strategicMergePatchForMaps(target: unknown, patch: unknown): unknown {
  const strip = (value: unknown): unknown => {
    if (!isPlainObject(value)) return value;
    const result: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (key.startsWith('$setElementOrder/')) continue;
      if (key.startsWith('$')) {
        throw new ApiError(
          'UnsupportedMediaType',
          `strategic merge patch directive "${key}" is not supported by this server; use --type merge or --type json`,
        );
      }
      result[key] = strip(child);
    }
    return result;
  };
  return mergePatch(target, strip(patch));
}
