// kn's wait for readiness over a real connection: watch the object by name from
// the resourceVersion our write returned, fall back to polling every second when
// the watch cannot be (re)opened, and let the pure waiter of
// @hands-on-knative/knative decide (only events with observedGeneration ==
// generation count, Ready=False must persist for the 2 s error window, timeout).
import type { KubeObject } from './types.js';
import { createReadinessWaiter, readinessOf } from '@hands-on-knative/knative/readiness';
import type { WaitOutcome, WaiterStep } from '@hands-on-knative/knative';
import type { Cluster, WatchHandle } from './cluster.js';
import { clusterFailure, DeployError, timedOut } from './errors.js';
import type { ResourceRef } from './resources.js';

export interface WaitOptions {
  resource: ResourceRef;
  /** What the write returned: its resourceVersion is where the watch starts, and it is the first observation. */
  written: KubeObject;
  /** When the write was sent (elapsed times count from here, as kn's do). */
  startMs: number;
  timeoutMs: number;
  /** One line per new Ready message, e.g. "  0.512s Configuration "x" is waiting for a Revision to become ready." */
  onProgress?: (line: string) => void;
  pollIntervalMs?: number;
  now?: () => number;
}

export interface WaitResult {
  elapsedMs: number;
  /** The last version of the object seen (Ready). */
  object: KubeObject;
  /** How the events arrived: a watch, or polling after the watch failed. */
  via: 'watch' | 'poll';
}

/** kn's progress format: seconds with milliseconds, right-aligned, then the message. */
export const formatProgress = (elapsedMs: number, message: string): string => `${(elapsedMs / 1000).toFixed(3).padStart(7)}s ${message}`;

export function waitForReady(cluster: Cluster, options: WaitOptions): Promise<WaitResult> {
  const now = options.now ?? Date.now;
  const { resource } = options;
  const name = options.written.metadata.name;
  const namespace = options.written.metadata.namespace ?? cluster.namespace;
  const label = `${resource.kind.toLowerCase()} '${name}'`;
  const waiter = createReadinessWaiter({ startMs: options.startMs, timeoutMs: options.timeoutMs, kind: resource.kind.toLowerCase(), name });
  const pollInterval = options.pollIntervalMs ?? 1_000;

  return new Promise<WaitResult>((resolve, reject) => {
    let last = options.written;
    let resourceVersion = last.metadata.resourceVersion;
    let via: WaitResult['via'] = 'watch';
    let finished = false;
    let deadlineTimer: NodeJS.Timeout | undefined;
    let pollTimer: NodeJS.Timeout | undefined;
    let watch: WatchHandle | undefined;
    let quickEnds = 0;

    const stopAll = () => {
      finished = true;
      clearTimeout(deadlineTimer);
      clearTimeout(pollTimer);
      watch?.stop();
    };
    const fail = (error: DeployError) => {
      if (finished) return;
      stopAll();
      reject(error);
    };
    const conclude = (outcome: WaitOutcome) => {
      if (outcome.ok) {
        stopAll();
        resolve({ elapsedMs: outcome.elapsedMs, object: last, via });
        return;
      }
      if (outcome.reason === 'timeout') {
        const state = readinessOf(last);
        const lastSeen = state.reason || state.message ? `\nLast status: ${[state.reason, state.message].filter(Boolean).join(': ')}` : '';
        fail(timedOut(`${outcome.error}${lastSeen}\nSee pnpm status ${name} -n ${namespace}; wait longer with --timeout <seconds>.`));
        return;
      }
      fail(clusterFailure(`${label} failed: ${outcome.error}\nSee pnpm status ${name} -n ${namespace} for each revision's reason and message.`));
    };
    const report = (step: WaiterStep) => {
      for (const m of step.messages) options.onProgress?.(formatProgress(m.elapsedMs, m.message));
      if (step.outcome) conclude(step.outcome);
      else scheduleDeadline();
    };
    const scheduleDeadline = () => {
      clearTimeout(deadlineTimer);
      const at = waiter.nextDeadline();
      if (at === undefined || finished) return;
      deadlineTimer = setTimeout(() => report(waiter.tick(now())), Math.max(0, at - now()));
    };
    const observe = (object: KubeObject) => {
      if (finished) return;
      last = object;
      resourceVersion = object.metadata.resourceVersion ?? resourceVersion;
      report(waiter.observe(object, now()));
    };

    const poll = () => {
      if (finished) return;
      via = 'poll';
      cluster.get(resource, name, namespace).then(
        (object) => {
          observe(object);
          if (!finished) pollTimer = setTimeout(poll, pollInterval);
        },
        (error: unknown) => fail(error instanceof DeployError ? error : clusterFailure(String(error))),
      );
    };

    const resync = () => {
      // The watch's resourceVersion is too old (410 Gone): read the object again, watch from there.
      cluster.get(resource, name, namespace).then(
        (object) => {
          observe(object);
          startWatch();
        },
        (error: unknown) => fail(error instanceof DeployError ? error : clusterFailure(String(error))),
      );
    };

    // Each watch gets a number; events and ends of a watch that was replaced or
    // stopped on purpose are ignored, so exactly one watch (or the polling) runs.
    let currentWatch = 0;
    const startWatch = () => {
      if (finished) return;
      const mine = ++currentWatch;
      const startedAt = now();
      cluster
        .watch(
          resource,
          name,
          namespace,
          resourceVersion,
          ({ type, object }) => {
            if (finished || mine !== currentWatch) return;
            switch (type) {
              case 'ADDED':
              case 'MODIFIED':
                observe(object);
                return;
              case 'BOOKMARK':
                resourceVersion = object.metadata?.resourceVersion ?? resourceVersion;
                return;
              case 'DELETED':
                fail(clusterFailure(`${label} was deleted while waiting for it to become ready`));
                return;
              case 'ERROR': {
                currentWatch++; // its end, caused by this stop, must not start another watch
                watch?.stop();
                const code = (object as { code?: number }).code;
                if (code === 410) resync();
                else poll();
                return;
              }
            }
          },
          (error) => {
            if (finished || mine !== currentWatch) return;
            // A stream the server closed after a while is normal: reopen it. One that
            // fails or keeps closing at once means watches do not work here: poll.
            if (error !== undefined || now() - startedAt < 1_000) quickEnds++;
            if (quickEnds >= 2 || (error !== undefined && !isAbort(error))) poll();
            else startWatch();
          },
        )
        .then(
          (handle) => {
            if (finished || mine !== currentWatch) {
              handle.stop();
              return;
            }
            watch = handle;
          },
          () => {
            if (mine === currentWatch) poll();
          },
        );
    };

    observe(options.written);
    startWatch();
  });
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: string }).name === 'AbortError';
}
