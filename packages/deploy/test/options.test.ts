import { describe, expect, it } from 'vitest';
import { parseApplyArgs, parseDeleteArgs, parseShipArgs, parseStatusArgs, parseTrafficArgs, UsageError } from '../src/index.js';

const d = { stateDir: '/state' };
const usage = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('flags', () => {
  it('apply: files, cluster flags, wait and images', () => {
    const parsed = parseApplyArgs(['a.yaml', '-f', 'b.yaml', '-n', 'demo', '--context', 'prod', '--timeout', '30', '--image', 'helloworld=r/h@sha256:1', '--registry', 'r.io/me/'], d);
    expect(parsed).toEqual({
      help: false,
      options: { stateDir: '/state', namespace: 'demo', context: 'prod', wait: true, timeoutSeconds: 30, files: ['b.yaml', 'a.yaml'], dryRun: false, images: { helloworld: 'r/h@sha256:1' }, force: false, registry: 'r.io/me' },
    });
    expect(parseApplyArgs(['a.yaml', '--no-wait'], d)).toMatchObject({ options: { wait: false, timeoutSeconds: 600 } });
    expect(parseApplyArgs(['--help'], d)).toEqual({ help: true });
  });

  it('apply: refuses what makes no sense, saying what to do', () => {
    expect(usage(() => parseApplyArgs([], d))).toContain('name a file or folder');
    expect(usage(() => parseApplyArgs(['a.yaml', '-o', 'json'], d))).toContain('-o goes with --dry-run');
    expect(usage(() => parseApplyArgs(['a.yaml', '--timeout', '0'], d))).toContain('--timeout 0');
    expect(usage(() => parseApplyArgs(['a.yaml', '--image', 'helloworld'], d))).toContain('expected <app>=<image reference>');
    expect(usage(() => parseApplyArgs(['a.yaml', '-n', 'Bad_NS'], d))).toContain('DNS-1123');
    expect(usage(() => parseApplyArgs(['a.yaml', '--bogus'], d))).toContain("Unknown option '--bogus'");
  });

  it('traffic: repeatable kn flags, one service, something to change', () => {
    expect(parseTrafficArgs(['helloworld', '--traffic', 'current=80', '--traffic', 'candidate=20', '--tag', 'helloworld-00003=candidate', '--untag', 'old'], d)).toMatchObject({
      options: { service: 'helloworld', traffic: ['current=80', 'candidate=20'], tag: ['helloworld-00003=candidate'], untag: ['old'], wait: true },
    });
    expect(usage(() => parseTrafficArgs(['helloworld'], d))).toContain('nothing to change');
    expect(usage(() => parseTrafficArgs(['--traffic', 'a=1'], d))).toContain('name the service');
  });

  it('status, delete and ship', () => {
    expect(parseStatusArgs(['-o', 'yaml'], d)).toEqual({ help: false, options: { stateDir: '/state', output: 'yaml' } });
    expect(usage(() => parseStatusArgs(['-o', 'wide'], d))).toContain('expected json or yaml');
    expect(parseDeleteArgs(['a', 'b', '--wait'], d)).toMatchObject({ options: { services: ['a', 'b'], wait: true } });
    expect(parseDeleteArgs(['a'], d)).toMatchObject({ options: { wait: false } });
    expect(parseShipArgs(['helloworld', '--repo', 'r.io/me'], d)).toMatchObject({ options: { app: 'helloworld', repo: 'r.io/me', wait: true } });
    expect(usage(() => parseShipArgs(['helloworld', '--base', 'x'], d))).toContain('--base goes with --repo');
  });
});
