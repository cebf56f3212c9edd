// The activator's hold and the concurrency limit, without processes or sockets.
import { describe, expect, it } from 'vitest';
import { RequestQueue, RevisionUnavailable, type SlotHolder } from '../../src/dataplane/request-queue.js';
import { pickLeastBusy } from '../../src/dataplane/scaling.js';

class FakeProcess implements SlotHolder {
  inflight = 0;
  constructor(readonly port: number) {}
  acquire(): void {
    this.inflight++;
  }
  release(): void {
    this.inflight--;
  }
}

function queueOver(processes: FakeProcess[], containerConcurrency: number) {
  const changes: number[] = [];
  const queue: RequestQueue = new RequestQueue(
    () => pickLeastBusy(processes, containerConcurrency),
    () => changes.push(queue.waiting),
  );
  return { queue, changes };
}

describe('RequestQueue', () => {
  it('gives a free slot at once and holds requests beyond containerConcurrency, oldest first', async () => {
    const process1 = new FakeProcess(1001);
    const { queue } = queueOver([process1], 1);
    const first = await queue.take(1000, 'timeout');
    expect(process1.inflight).toBe(1);
    const order: string[] = [];
    const second = queue.take(1000, 'timeout').then((lease) => (order.push('second'), lease));
    const third = queue.take(1000, 'timeout').then((lease) => (order.push('third'), lease));
    expect(queue.waiting).toBe(2);
    first.release();
    first.release(); // a second release changes nothing
    const secondLease = await second;
    expect(process1.inflight).toBe(1);
    secondLease.release();
    (await third).release();
    expect(order).toEqual(['second', 'third']);
    expect(process1.inflight).toBe(0);
  });

  it('holds requests while there is no process, and pump() serves them when one is ready', async () => {
    const processes: FakeProcess[] = [];
    const { queue, changes } = queueOver(processes, 0);
    const held = queue.take(1000, 'timeout');
    expect(changes).toEqual([1]);
    processes.push(new FakeProcess(1002));
    queue.pump();
    const lease = await held;
    expect(lease.port).toBe(1002);
    expect(queue.waiting).toBe(0);
  });

  it('rejects a held request after the hold timeout or when its client leaves', async () => {
    const { queue } = queueOver([], 0);
    await expect(queue.take(20, 'no process in time')).rejects.toThrow('no process in time');
    const controller = new AbortController();
    const held = queue.take(10_000, 'timeout', controller.signal);
    controller.abort();
    await expect(held).rejects.toThrow('The client went away');
    expect(queue.waiting).toBe(0);
  });

  it('answers every held request on rejectAll', async () => {
    const { queue } = queueOver([], 0);
    const held = [queue.take(10_000, 'x'), queue.take(10_000, 'x')];
    queue.rejectAll(new RevisionUnavailable(503, 'shutting down'));
    for (const one of held) await expect(one).rejects.toMatchObject({ status: 503, message: 'shutting down' });
  });
});
