import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseKubeconfig, DeployError, redact } from '../src/index.js';

const existing = (...files: string[]) => (file: string) => files.includes(file);

describe('chooseKubeconfig (kubectl order, then the local serving)', () => {
  it('prefers --kubeconfig, then KUBECONFIG (a list), then ~/.kube/config, then <state>/kubeconfig', () => {
    const exists = existing('/flag', '/a', '/c', '/home/u/.kube/config', '/state/kubeconfig');
    expect(chooseKubeconfig({ flag: '/flag', env: '/a', home: '/home/u', exists })).toEqual({ files: ['/flag'], source: '--kubeconfig' });
    expect(chooseKubeconfig({ env: '/a:/b:/c', home: '/home/u', exists, delimiter: ':' })).toEqual({ files: ['/a', '/c'], source: 'KUBECONFIG' });
    expect(chooseKubeconfig({ home: '/home/u', localState: '/state', exists })).toEqual({ files: [path.join('/home/u', '.kube', 'config')], source: '~/.kube/config' });
    expect(chooseKubeconfig({ home: '/nobody', localState: '/state', exists })).toEqual({ files: ['/state/kubeconfig'], source: 'local serving' });
  });

  it('says what to do when there is none (invalid input)', () => {
    try {
      chooseKubeconfig({ home: '/nobody', exists: () => false });
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(DeployError);
      expect((error as DeployError).exitCode).toBe(2);
      expect((error as Error).message).toMatch(/^no kubeconfig: /);
    }
    expect(() => chooseKubeconfig({ flag: '/missing', exists: () => false })).toThrow('--kubeconfig /missing: no such file');
  });
});

describe('redact', () => {
  it('masks known secrets and anything shaped like a credential', () => {
    expect(redact('token abcdefgh1234 in a message', ['abcdefgh1234'])).toBe('token [redacted] in a message');
    expect(redact('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload')).toBe('Authorization: Bearer [redacted]');
    expect(redact('    token: 0123456789abcdef')).toBe('    token: [redacted]');
    expect(redact('password=hunter2hunter2')).toBe('password=[redacted]');
    expect(redact('Service "helloworld" is Ready')).toBe('Service "helloworld" is Ready');
  });
});
