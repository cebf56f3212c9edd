import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { redactValues, secretValuesFromEnv } from '../src/redact.js';
import { SecretRegistry } from '../src/secrets.js';
import { parseTraceparent } from '../src/trace.js';

function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  const logger = createLogger({ now: () => new Date('2026-01-02T03:04:05.000Z'), ...options, sink: (l) => lines.push(l) });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('writes one JSON object per line with severity, time, message and base fields', () => {
    const { logger, records } = capture({ base: { service: 'hello', revision: 'hello-00001' } });
    logger.info('started', { port: 8080 });
    logger.warn('careful');
    expect(records()).toEqual([
      { severity: 'INFO', time: '2026-01-02T03:04:05.000Z', message: 'started', service: 'hello', revision: 'hello-00001', port: 8080 },
      { severity: 'WARNING', time: '2026-01-02T03:04:05.000Z', message: 'careful', service: 'hello', revision: 'hello-00001' },
    ]);
  });

  it('filters by level and serialises errors with their stack', () => {
    const { logger, records } = capture({ level: 'warn' });
    logger.info('hidden');
    logger.error('failed', new Error('boom'));
    const [record] = records();
    expect(records()).toHaveLength(1);
    expect(record).toMatchObject({ severity: 'ERROR', message: 'failed', error: { name: 'Error', message: 'boom' } });
    expect((record!.error as { stack: string }).stack).toContain('logger.test.ts');
  });

  it('child loggers add fields', () => {
    const { logger, records } = capture();
    logger.child({ requestId: 'r1' }).child({ traceId: 't1' }).info('x');
    expect(records()[0]).toMatchObject({ requestId: 'r1', traceId: 't1' });
  });

  it('never writes secret values, nor fields named like credentials', () => {
    const secrets = new SecretRegistry();
    secrets.addFromEnv({ TWILIO_AUTH_TOKEN: 'abc123secret', OTHER: 'visible', MY_VAR: 'hunter22' }, ['MY_VAR']);
    const { logger, lines } = capture({ secrets });
    logger.info('token is abc123secret and hunter22', { password: 'p4ss', nested: { apiKey: 'k-1', ok: 'visible' } });
    expect(lines[0]).not.toMatch(/abc123secret|hunter22|p4ss|k-1/);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      message: 'token is [REDACTED] and [REDACTED]',
      password: '[REDACTED]',
      nested: { apiKey: '[REDACTED]', ok: 'visible' },
    });
  });

  it('a secret registered after the logger was made is still hidden', () => {
    const secrets = new SecretRegistry();
    const { logger, lines } = capture({ secrets });
    secrets.addValues(['late-secret']);
    logger.info('late-secret');
    expect(lines[0]).not.toContain('late-secret');
  });

  it('survives circular fields', () => {
    const { logger, records } = capture();
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    logger.info('still here', { loop });
    expect(records()[0]).toMatchObject({ message: 'still here' });
  });
});

describe('redaction helpers', () => {
  it('picks env values by name pattern and ignores very short values', () => {
    expect(secretValuesFromEnv({ DB_PASSWORD: 'longpass', API_KEY: 'x', HOME: '/home/u' })).toEqual(['longpass']);
  });
  it('replaces JSON-escaped secrets too', () => {
    const secret = 'a"b\\c';
    const line = JSON.stringify({ message: `is ${secret}` });
    expect(redactValues(line, [secret])).toBe('{"message":"is [REDACTED]"}');
  });
});

describe('parseTraceparent', () => {
  it('reads a valid header', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
  });
  it.each([undefined, '', 'garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'])(
    'ignores %j',
    (header) => expect(parseTraceparent(header)).toBeUndefined(),
  );
});
