// Remembers the MessageSids answered recently, so a retry or a replayed request
// gets an empty reply instead of a second echo. Memory is bounded: entries
// expire after the window, and the oldest go first when the cap is reached.

export class RecentMessages {
  // Map iteration follows insertion order, and every entry lives for the same
  // window, so the first entry is always the one to expire or evict next.
  readonly #seenAt = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records `sid`; true if it was already seen within the window. */
  checkAndRecord(sid: string): boolean {
    const now = this.now();
    this.#expire(now);
    if (this.#seenAt.has(sid)) return true;
    if (this.windowMs === 0) return false;
    if (this.#seenAt.size >= this.maxEntries) {
      const oldest = this.#seenAt.keys().next().value;
      if (oldest !== undefined) this.#seenAt.delete(oldest);
    }
    this.#seenAt.set(sid, now);
    return false;
  }

  get size(): number {
    return this.#seenAt.size;
  }

  #expire(now: number): void {
    for (const [sid, seenAt] of this.#seenAt) {
      if (now - seenAt < this.windowMs) return;
      this.#seenAt.delete(sid);
    }
  }
}
