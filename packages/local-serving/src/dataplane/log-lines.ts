// Turning process output into lines, and keeping the recent ones.

const MAX_LINE = 8 * 1024;

/** Splits chunks into lines; a partial line waits for its end (or flush()). Over-long lines are cut. */
export class LineSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const text = this.pending + chunk;
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    if (this.pending.length > MAX_LINE) {
      this.onLine(this.pending.slice(0, MAX_LINE));
      this.pending = '';
    }
    for (const line of lines) this.onLine(stripCr(line).slice(0, MAX_LINE));
  }

  flush(): void {
    if (this.pending !== '') this.onLine(stripCr(this.pending));
    this.pending = '';
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** A bounded buffer of the most recent items: old ones fall off. */
export class RingBuffer<T> {
  private readonly items: T[] = [];
  private start = 0;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.capacity <= 0) return;
    if (this.items.length < this.capacity) {
      this.items.push(item);
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
}
