import { describe, expect, it } from 'vitest';
import { imageRepositoryName, resolveImage, type WorkspaceApp } from '../../src/dataplane/image-to-app.js';
import { listWorkspaceApps } from '../../src/dataplane/workspace-apps.js';
import { FIXTURE_ROOT } from './helpers.js';

const apps: WorkspaceApp[] = [
  { name: 'helloworld', dir: '/ws/apps/helloworld', main: '/ws/apps/helloworld/dist/index.js', mainField: './dist/index.js', packageName: '@hands-on-knative/helloworld' },
  { name: 'twilio-sms', dir: '/ws/apps/twilio-sms', main: undefined, mainField: './dist/index.js', packageName: '@hands-on-knative/twilio-sms' },
];

describe('imageRepositoryName', () => {
  it.each([
    ['hands-on-knative/helloworld', 'helloworld'],
    ['registry.example.com/team/hands-on-knative/helloworld@sha256:0123abcd', 'helloworld'],
    ['localhost:5000/helloworld:v2', 'helloworld'],
    ['localhost:5000/hands-on-knative/helloworld:v2@sha256:ff', 'helloworld'],
    ['helloworld', 'helloworld'],
    ['ko://github.com/x/hands-on-knative/apps/helloworld', 'helloworld'],
    ['gcr.io/knative-samples/helloworld-go', 'helloworld-go'],
  ])('%s -> %s', (image, name) => {
    expect(imageRepositoryName(image)).toBe(name);
  });
});

describe('resolveImage', () => {
  it('maps any registry, tag or digest of hands-on-knative/<app> to apps/<app>', () => {
    for (const image of ['hands-on-knative/helloworld', 'localhost:5000/helloworld:v2', 'r.example.com/a/b/helloworld@sha256:00']) {
      const resolution = resolveImage(image, apps);
      expect(resolution).toMatchObject({ ok: true, app: { name: 'helloworld', main: '/ws/apps/helloworld/dist/index.js' } });
    }
  });

  it('fails with ContainerMissing and lists the apps for any other image', () => {
    expect(resolveImage('gcr.io/knative-samples/helloworld-go', apps)).toEqual({
      ok: false,
      reason: 'ContainerMissing',
      message: expect.stringContaining(
        'Unable to fetch image "gcr.io/knative-samples/helloworld-go": no workspace app named "helloworld-go" (apps/ has: helloworld, twilio-sms)',
      ) as string,
    });
  });

  it('says how to build an app whose main does not exist yet', () => {
    const resolution = resolveImage('hands-on-knative/twilio-sms', apps);
    expect(resolution.ok).toBe(false);
    if (!resolution.ok) {
      expect(resolution.message).toContain('workspace app "twilio-sms" is not built (apps/twilio-sms/dist/index.js is missing)');
      expect(resolution.message).toContain('pnpm --filter @hands-on-knative/twilio-sms build');
    }
  });
});

describe('listWorkspaceApps', () => {
  it('lists the folders of apps/ with a package.json, with main only when it exists', () => {
    const found = listWorkspaceApps(FIXTURE_ROOT);
    const byName = new Map(found.map((app) => [app.name, app]));
    expect([...byName.keys()].sort()).toEqual(['crash', 'echo', 'flaky', 'never-ready', 'port-race', 'slow', 'unbuilt']);
    expect(byName.get('echo')?.main).toMatch(/apps[\\/]echo[\\/]index\.js$/);
    expect(byName.get('unbuilt')?.main).toBeUndefined();
  });

  it('finds nothing where there is no apps/ folder', () => {
    expect(listWorkspaceApps(`${FIXTURE_ROOT}/apps/echo`)).toEqual([]);
  });
});
