import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { SecretRegistry } from '../src/secrets.js';

describe('loadConfig', () => {
  const spec = {
    TARGET: { default: 'World' },
    TOKEN: { required: true, secret: true },
    COUNT: { type: 'integer', min: 1, default: 3 },
    RATIO: { type: 'number' },
    ENABLED: { type: 'boolean' },
    PUBLIC_URL: { type: 'url', protocols: ['https:'] },
    MODE: { type: 'enum', values: ['a', 'b'], default: 'a' },
    HOSTS: { type: 'list' },
  } as const;

  it('parses typed values and applies defaults', () => {
    const secrets = new SecretRegistry();
    const config = loadConfig(spec, {
      env: { TOKEN: 'tok-123456', COUNT: '7', ENABLED: 'yes', PUBLIC_URL: 'https://x.example/sms', HOSTS: 'a, b,,c' },
      secrets,
    });
    expect(config).toEqual({
      TARGET: 'World',
      TOKEN: 'tok-123456',
      COUNT: 7,
      RATIO: undefined,
      ENABLED: true,
      PUBLIC_URL: 'https://x.example/sms',
      MODE: 'a',
      HOSTS: ['a', 'b', 'c'],
    });
    expectTypeOf(config.COUNT).toEqualTypeOf<number>();
    expectTypeOf(config.RATIO).toEqualTypeOf<number | undefined>();
    expectTypeOf(config.MODE).toEqualTypeOf<'a' | 'b'>();
    expectTypeOf(config.TOKEN).toEqualTypeOf<string>();
    expect(secrets.values).toContain('tok-123456');
  });

  it.each([
    [{}, 'Configuration error: TOKEN is required but not set'],
    [{ TOKEN: 'abcd', COUNT: 'many' }, 'Configuration error: COUNT must be a number, got "many"'],
    [{ TOKEN: 'abcd', COUNT: '0' }, 'Configuration error: COUNT must be at least 1, got 0'],
    [{ TOKEN: 'abcd', COUNT: '1.5' }, 'Configuration error: COUNT must be a whole number, got "1.5"'],
    [{ TOKEN: 'abcd', ENABLED: 'maybe' }, 'Configuration error: ENABLED must be true or false, got "maybe"'],
    [{ TOKEN: 'abcd', PUBLIC_URL: 'http://x.example' }, 'Configuration error: PUBLIC_URL must use https:, got "http:"'],
    [{ TOKEN: 'abcd', PUBLIC_URL: 'not a url' }, 'Configuration error: PUBLIC_URL must be an absolute URL, got "not a url"'],
    [{ TOKEN: 'abcd', MODE: 'c' }, 'Configuration error: MODE must be one of a, b, got "c"'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    let thrown: unknown;
    try {
      loadConfig(spec, { env, secrets: false });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toBe(message);
    expect((thrown as Error).message).not.toContain('\n');
  });

  it('treats an empty value as unset', () => {
    expect(() => loadConfig({ A: { required: true } }, { env: { A: '' }, secrets: false })).toThrow('A is required');
  });

  it('adds the description to the message', () => {
    expect(() => loadConfig({ A: { required: true, description: 'the API key' } }, { env: {}, secrets: false })).toThrow(
      'Configuration error: A is required but not set (the API key)',
    );
  });
});
