import { describe, expect, it } from 'vitest';
import { DeadlineQueue, type DeadlineEntry } from '../src/deadlines.js';

interface Entry extends DeadlineEntry {
  name: string;
}
const entry = (name: string): Entry => ({ name, deadline: 0, prevDeadline: undefined, nextDeadline: undefined, inDeadlineQueue: false });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DeadlineQueue', () => {
  it('expires entries in arrival order, skipping removed ones', async () => {
    const expired: string[] = [];
    const queue = new DeadlineQueue<Entry>(30, (e) => expired.push(e.name));
    const [a, b, c] = [entry('a'), entry('b'), entry('c')];
    queue.add(a);
    queue.add(b);
    queue.add(c);
    queue.remove(b);
    queue.remove(b); // twice is harmless
    await sleep(120);
    expect(expired).toEqual(['a', 'c']);
    expect([a, b, c].map((e) => e.inDeadlineQueue)).toEqual([false, false, false]);
  });

  it('re-arms for later entries after the first was removed early', async () => {
    const expired: string[] = [];
    const queue = new DeadlineQueue<Entry>(40, (e) => expired.push(e.name));
    const first = entry('first');
    queue.add(first);
    await sleep(20);
    const second = entry('second');
    queue.add(second);
    queue.remove(first);
    await sleep(35); // first's deadline passed: the timer fired, found nothing, re-armed
    expect(expired).toEqual([]);
    await sleep(60);
    expect(expired).toEqual(['second']);
  });

  it('handles removal of the head, the tail and the only entry', () => {
    const queue = new DeadlineQueue<Entry>(10_000, () => {});
    const [a, b] = [entry('a'), entry('b')];
    queue.add(a);
    queue.add(b);
    queue.remove(a);
    expect(b.prevDeadline).toBeUndefined();
    queue.remove(b);
    const c = entry('c');
    queue.add(c);
    expect(c.prevDeadline).toBeUndefined();
    queue.remove(c);
  });
});
