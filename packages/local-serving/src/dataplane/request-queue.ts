// Request slots on a revision's processes, and the requests waiting for one: the
// activator's hold (no process yet) and the queue-proxy's limit (containerConcurrency)
// in one place. Oldest waiting request first; no timers other than the hold timeout.

/** Why the ingress cannot give a request to the revision; the HTTP status to answer with. */
export class RevisionUnavailable extends Error {
  constructor(
    readonly status: 503 | 504,
    message: string,
  ) {
    super(message);
  }
}

/** Something that carries requests: a process with an in-flight count. */
export interface SlotHolder {
  readonly port: number;
  acquire(): void;
  release(): void;
}

/** One request slot on one process; release() exactly once when the response is over (extra calls are ignored). */
export interface Lease {
  readonly port: number;
  release(): void;
}

interface Waiter {
  resolve(lease: Lease): void;
  reject(error: RevisionUnavailable): void;
  timer: NodeJS.Timeout;
}

export class RequestQueue {
  private readonly waiters: Waiter[] = [];

  /**
   * @param pick the process with a free slot for the next request, if any
   * @param changed called whenever the demand (in flight + waiting) changed
   */
  constructor(
    private readonly pick: () => SlotHolder | undefined,
    private readonly changed: () => void,
  ) {}

  get waiting(): number {
    return this.waiters.length;
  }

  /** A slot now, or once one frees up; rejects after `holdMs` or when `signal` aborts. */
  take(holdMs: number, timeoutMessage: string, signal?: AbortSignal): Promise<Lease> {
    const holder = this.waiters.length === 0 ? this.pick() : undefined;
    if (holder) {
      const lease = this.lease(holder);
      this.changed();
      return Promise.resolve(lease);
    }
    return new Promise<Lease>((resolve, reject) => {
      const giveUp = (error: RevisionUnavailable): void => {
        const index = this.waiters.indexOf(waiter);
        if (index === -1) return;
        this.waiters.splice(index, 1);
        clearTimeout(waiter.timer);
        signal?.removeEventListener('abort', onAbort);
        this.changed();
        reject(error);
      };
      const onAbort = (): void => giveUp(new RevisionUnavailable(503, 'The client went away while its request was held.'));
      const waiter: Waiter = {
        resolve: (lease) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(lease);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
        timer: setTimeout(() => giveUp(new RevisionUnavailable(503, timeoutMessage)), holdMs),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.changed();
    });
  }

  /** Hands free slots to waiting requests, oldest first (after a process became ready or a slot freed up). */
  pump(): void {
    while (this.waiters.length > 0) {
      const holder = this.pick();
      if (!holder) return;
      const waiter = this.waiters.shift()!;
      clearTimeout(waiter.timer);
      waiter.resolve(this.lease(holder));
    }
  }

  /** Answers every waiting request with `error`. */
  rejectAll(error: RevisionUnavailable): void {
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  private lease(holder: SlotHolder): Lease {
    holder.acquire();
    let released = false;
    return {
      port: holder.port,
      release: () => {
        if (released) return;
        released = true;
        holder.release();
        this.pump();
        this.changed();
      },
    };
  }
}
