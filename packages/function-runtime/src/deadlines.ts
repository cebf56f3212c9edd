// Request deadlines with one timer for the whole server. Every request gets the
// same timeout, so arrival order is deadline order: a linked list with O(1)
// add/remove and a timer armed for the oldest request replaces a setTimeout +
// clearTimeout per request (which, on a quiet server, also re-creates Node's
// timer list each time the last timer of that duration is cleared).

export interface DeadlineEntry {
  deadline: number;
  prevDeadline: DeadlineEntry | undefined;
  nextDeadline: DeadlineEntry | undefined;
  inDeadlineQueue: boolean;
}

export class DeadlineQueue<T extends DeadlineEntry> {
  #head: T | undefined;
  #tail: T | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly onExpired: (entry: T) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  add(entry: T): void {
    entry.deadline = this.now() + this.timeoutMs;
    entry.prevDeadline = this.#tail;
    entry.nextDeadline = undefined;
    entry.inDeadlineQueue = true;
    if (this.#tail) this.#tail.nextDeadline = entry;
    else this.#head = entry;
    this.#tail = entry;
    if (this.#timer === undefined) this.#arm(entry.deadline);
  }

  remove(entry: T): void {
    if (!entry.inDeadlineQueue) return;
    entry.inDeadlineQueue = false;
    const { prevDeadline, nextDeadline } = entry;
    if (prevDeadline) prevDeadline.nextDeadline = nextDeadline;
    else this.#head = nextDeadline as T | undefined;
    if (nextDeadline) nextDeadline.prevDeadline = prevDeadline;
    else this.#tail = prevDeadline as T | undefined;
    entry.prevDeadline = entry.nextDeadline = undefined;
    // The timer stays armed: when it fires early it re-arms for the new oldest entry.
  }

  #arm(deadline: number): void {
    this.#timer = setTimeout(this.#fire, Math.max(0, deadline - this.now()));
    // The server's sockets keep the process alive, not a pending deadline.
    this.#timer.unref();
  }

  #fire = (): void => {
    this.#timer = undefined;
    const now = this.now();
    while (this.#head && this.#head.deadline <= now) {
      const expired = this.#head;
      this.remove(expired);
      this.onExpired(expired);
    }
    if (this.#head) this.#arm(this.#head.deadline);
  };
}
