// Watches: one JSON event per line on a chunked 200 answer, headers flushed at
// once (kubectl waits for them), synthetic ADDED events for resourceVersion
// "" or "0", replay from the change log otherwise (410 Gone when it is too old),
// open until timeoutSeconds or the client leaves.
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../contracts.js';
import { RESOURCES, type ChangeEvent } from '../store/index.js';
import { includeObjectOf, selectObjects, type ApiContext } from './handlers.js';
import { wantsTable, type ApiRequest } from './request.js';
import { objectMatches, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { ApiError } from './status.js';
import { tableOf } from './table.js';

export interface WatchOptions {
  /** Upper bound for timeoutSeconds, and the default when the client gives none. */
  maxTimeoutSeconds?: number;
  bookmarkIntervalMs?: number;
}

export interface OpenWatch {
  close(): void;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** How often a pod watch looks at the data plane's processes. */
const POD_POLL_MS = 250;

export function startWatch(context: ApiContext, request: ApiRequest, response: ServerResponse, options: WatchOptions = {}): OpenWatch {
  const { resource, namespace, name } = request.target;
  const query = new URLSearchParams(request.query);
  // The old per-object form (/…/services/x?watch=true) is a watch with a name selector.
  if (name !== undefined) query.set('fieldSelector', [query.get('fieldSelector'), `metadata.name=${name}`].filter(Boolean).join(','));
  const listRequest = { ...request, query, target: { ...request.target, name: undefined } };
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  const table = wantsTable(request);
  const includeObject = includeObjectOf(request);
  const bookmarks = query.get('allowWatchBookmarks') === 'true' && !table;
  const maxTimeout = options.maxTimeoutSeconds ?? 1800;
  const requested = Number(query.get('timeoutSeconds'));
  const timeoutSeconds = requested > 0 ? Math.min(requested, maxTimeout) : maxTimeout;
  let sentColumns = false;
  const since = query.get('resourceVersion') ?? '';
  if (since !== '' && !/^\d+$/.test(since)) throw new ApiError('BadRequest', `resourceVersion: Invalid value: "${since}": must be a number`);

  response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  response.flushHeaders();

  const send = (type: EventType, object: unknown): void => {
    let body = object;
    if (table && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      const kubeObject = object as KubeObject;
      body = tableOf(resource, [kubeObject], kubeObject.metadata.resourceVersion ?? '', {
        now: context.now(),
        includeObject,
        withColumns: !sentColumns,
      });
      sentColumns = true;
    }
    response.write(`${JSON.stringify({ type, object: body })}\n`);
  };

  const inScope = (change: ChangeEvent): boolean =>
    change.resource === resource && (namespace === undefined || change.object.metadata.namespace === namespace);
  const deliver = (change: ChangeEvent): void => {
    if (!inScope(change)) return;
    const matchesNow = objectMatches(change.object, labels, fields);
    if (change.type !== 'MODIFIED' || !change.previous) {
      if (matchesNow) send(change.type, change.object);
      return;
    }
    // A change that moves an object into or out of the selection is an ADDED or DELETED for this watcher.
    const matchedBefore = objectMatches(change.previous, labels, fields);
    if (matchesNow) send(matchedBefore ? 'MODIFIED' : 'ADDED', change.object);
    else if (matchedBefore) send('DELETED', change.object);
  };

  let unsubscribe: () => void = () => {};
  const timers: NodeJS.Timeout[] = [];
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const timer of timers) clearTimeout(timer);
    if (!response.writableEnded) response.end();
  };

  if (resource === 'pods') {
    // Pods come from the data plane, which has no change log: send the current
    // ones, then what changes between looks (a scale-down is a DELETED, which
    // `kubectl wait --for=delete` and `get pod -w` wait for).
    const look = (): Map<string, { pod: KubeObject; state: string }> =>
      new Map(
        selectObjects(context, listRequest).map((pod) => [
          `${pod.metadata.namespace}/${pod.metadata.name}`,
          { pod, state: JSON.stringify(pod.status ?? null) },
        ]),
      );
    let known = look();
    for (const { pod } of known.values()) send('ADDED', pod);
    const poll = setInterval(() => {
      const current = look();
      for (const [key, { pod, state }] of current) {
        const before = known.get(key);
        if (!before) send('ADDED', pod);
        else if (before.state !== state) send('MODIFIED', pod);
      }
      for (const [key, { pod }] of known) if (!current.has(key)) send('DELETED', pod);
      known = current;
    }, POD_POLL_MS);
    timers.push(poll);
  } else if (since === '' || since === '0') {
    for (const object of selectObjects(context, listRequest)) send('ADDED', object);
    unsubscribe = context.store.subscribeChanges(deliver);
  } else {
    const backlog = context.store.changesSince(Number(since));
    if (!backlog) {
      const gone = new ApiError('Gone', `too old resource version: ${since} (${context.store.resourceVersion()})`);
      send('ERROR', gone.toStatus());
      close();
      return { close };
    }
    for (const change of backlog) deliver(change);
    unsubscribe = context.store.subscribeChanges(deliver);
  }

  timers.push(setTimeout(close, timeoutSeconds * 1000));
  if (bookmarks) {
    const interval = setInterval(() => {
      const info = resource === 'pods' ? { kind: 'Pod', apiVersion: 'v1' } : RESOURCES[resource];
      send('BOOKMARK', { kind: info.kind, apiVersion: info.apiVersion, metadata: { resourceVersion: String(context.store.resourceVersion()) } });
    }, options.bookmarkIntervalMs ?? 30_000);
    timers.push(interval);
  }
  response.on('close', close);
  return { close };
}
