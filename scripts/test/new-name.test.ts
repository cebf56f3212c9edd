import { describe, expect, it } from 'vitest';
import { checkAppName, RESERVED_NAMES, suggestName, type Workspace } from '../src/new/name.js';

const workspace: Workspace = {
  apps: ['helloworld', 'twilio-sms'],
  manifests: ['helloworld', 'twilio-sms', 'legacy'],
  packageNames: ['@hands-on-knative/knative', '@hands-on-knative/helloworld', '@hands-on-knative/scripts'],
};

describe('checkAppName', () => {
  it('accepts DNS-1035 labels that are new', () => {
    for (const name of ['greeter', 'my-service', 'a', 'app2', 'x'.repeat(63)]) expect(checkAppName(name, workspace), name).toBeUndefined();
  });

  it('refuses what cannot be a Knative Service name, with the rule and a suggestion', () => {
    expect(checkAppName('My_App', workspace)).toMatch(/^"My_App" cannot name a Knative Service .*a DNS-1035 label must consist of lower case alphanumeric characters.*Try: pnpm new my-app$/);
    expect(checkAppName('2fast', workspace)).toMatch(/start with an alphabetic character.*Try: pnpm new fast$/);
    expect(checkAppName('trailing-', workspace)).toMatch(/Try: pnpm new trailing$/);
    expect(checkAppName('dots.in.name', workspace)).toMatch(/Try: pnpm new dots-in-name$/);
    expect(checkAppName('x'.repeat(64), workspace)).toMatch(/must be no more than 63 characters/);
    expect(checkAppName('', workspace)).toBe('the name is empty: pnpm new <name>, e.g. pnpm new my-service');
  });

  it('refuses existing apps, manifest folders and package names', () => {
    expect(checkAppName('helloworld', workspace)).toBe('apps/helloworld already exists: pick another name, or edit that app');
    expect(checkAppName('legacy', workspace)).toBe('manifests/legacy already exists: pick another name, or remove that folder first');
    expect(checkAppName('knative', workspace)).toBe('a workspace package is already called @hands-on-knative/knative: pick another name');
  });

  it('refuses reserved names', () => {
    expect(checkAppName('kubernetes', workspace)).toMatch(/^"kubernetes" is reserved \(kubernetes, apps, /);
    for (const name of RESERVED_NAMES) expect(checkAppName(name, workspace), name).toMatch(/is reserved/);
  });
});

describe('suggestName', () => {
  it('offers a valid label close to the input, or nothing', () => {
    expect(suggestName('Hello World!')).toBe('hello-world');
    expect(suggestName('__')).toBeUndefined();
    expect(suggestName('ok')).toBeUndefined();
  });
});
