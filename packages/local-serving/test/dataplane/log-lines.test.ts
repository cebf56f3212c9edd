import { describe, expect, it } from 'vitest';
import { LineSplitter, RingBuffer } from '../../src/dataplane/log-lines.js';
import { formatLogLine, writeLogsTo } from '../../src/dataplane/options.js';

describe('LineSplitter', () => {
  it('joins partial chunks into lines and flushes the last one', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('hel');
    splitter.push('lo\r\nwor');
    splitter.push('ld\nlast');
    expect(lines).toEqual(['hello', 'world']);
    splitter.flush();
    expect(lines).toEqual(['hello', 'world', 'last']);
  });
});

describe('RingBuffer', () => {
  it('keeps only the most recent items, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
  });
});

describe('formatLogLine', () => {
  it('prefixes lines with the revision, and the process number when there are several', () => {
    const base = { namespace: 'default', revision: 'helloworld-00001', stream: 'stdout' as const, line: 'hi' };
    expect(formatLogLine({ ...base, replica: 1 })).toBe('helloworld-00001 | hi');
    expect(formatLogLine({ ...base, replica: 2 })).toBe('helloworld-00001#2 | hi');
  });
});

describe('writeLogsTo', () => {
  it('writes each line, prefixed, to a stream', () => {
    const written: string[] = [];
    const onLog = writeLogsTo({ write: (text: string) => written.push(text) });
    onLog({ namespace: 'default', revision: 'echo-00002', replica: 1, stream: 'stderr', line: 'boom' });
    expect(written).toEqual(['echo-00002 | boom\n']);
  });
});
