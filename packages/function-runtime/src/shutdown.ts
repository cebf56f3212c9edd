// Graceful drain: what the peers get wrong (see the README). Stop accepting,
// close idle keep-alive sockets, let every in-flight request finish within the
// grace period, then run the user's hooks.
import type { Server } from 'node:http';
import type { Logger } from './logger.js';
import type { ShutdownHook } from './options.js';
import type { ServerState } from './server.js';

export interface DrainResult {
  /** Requests still running when the grace period ended (they were cut). */
  abandoned: number;
  /** Hooks that threw or rejected. */
  failedHooks: number;
}

export async function drain(
  server: Server,
  state: ServerState,
  graceMs: number,
  hooks: readonly ShutdownHook[],
  logger: Logger,
): Promise<DrainResult> {
  const deadline = Date.now() + graceMs;
  state.draining = true;
  state.onRequestEndWhileDraining = () => server.closeIdleConnections();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  logger.info('draining: no new connections; waiting for in-flight requests', {
    inflight: state.inflight,
    graceMs,
  });

  let abandoned = 0;
  const idle = await raceDeadline(state.idle(), deadline);
  if (!idle) {
    abandoned = state.inflight;
    logger.error(`grace period of ${graceMs} ms over: cutting ${abandoned} request(s) still in flight`);
    server.closeAllConnections();
  }
  await raceDeadline(closed, Math.max(deadline, Date.now() + 100));

  let failedHooks = 0;
  for (const hook of hooks) {
    try {
      const done = await raceDeadline(Promise.resolve().then(hook), Math.max(deadline, Date.now() + 1000));
      if (!done) {
        failedHooks++;
        logger.error('a shutdown hook did not finish within the grace period');
      }
    } catch (error) {
      failedHooks++;
      logger.error('a shutdown hook failed', error instanceof Error ? error : { error });
    }
  }
  return { abandoned, failedHooks };
}

/** Resolves true when `work` settles before `deadline`, false otherwise. */
async function raceDeadline(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), false);
  });
  try {
    return await Promise.race([work.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}
