// The rule that maps a revision's image reference to a workspace app.
//
// A revision never runs a command taken from a manifest: it can only run an app
// of this workspace (a folder of apps/ with a package.json whose `main` exists
// after the build). The image's repository name picks the app: the last path
// segment of the reference, without registry, tag or digest.
//
//   hands-on-knative/helloworld                                 -> apps/helloworld
//   registry.example.com/team/hands-on-knative/helloworld@sha256:... -> apps/helloworld
//   localhost:5000/helloworld:v2                                -> apps/helloworld
//   gcr.io/knative-samples/helloworld-go                        -> ContainerMissing (no such app)
//
// Anything else fails the revision with Knative's reason ContainerMissing (or,
// when the data plane has a Docker daemon, runs the real image: see launch.ts).

/** A workspace app a revision can run. */
export interface WorkspaceApp {
  /** The folder name under apps/, e.g. helloworld. */
  name: string;
  /** Absolute folder of the app. */
  dir: string;
  /** Absolute path of its entry (package.json main), or undefined when it is not built. */
  main: string | undefined;
  /** package.json main as written, for messages. */
  mainField: string;
  /** package.json name, for the build hint. */
  packageName: string | undefined;
}

export type AppResolution =
  | { ok: true; app: WorkspaceApp & { main: string } }
  | { ok: false; reason: 'ContainerMissing'; message: string };

/** The repository name an image reference ends with: `a/b/helloworld:v2@sha256:x` -> `helloworld`. */
export function imageRepositoryName(image: string): string {
  let ref = image.trim();
  const scheme = ref.indexOf('://');
  if (scheme >= 0) ref = ref.slice(scheme + 3); // ko://... and friends
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at); // digest
  const lastSlash = ref.lastIndexOf('/');
  let last = ref.slice(lastSlash + 1);
  const colon = last.indexOf(':');
  if (colon >= 0) last = last.slice(0, colon); // tag (a registry port is never in the last segment)
  return last;
}

/** Applies the rule to the apps the workspace has. Pure: the caller lists the apps. */
export function resolveImage(image: string, apps: readonly WorkspaceApp[]): AppResolution {
  const name = imageRepositoryName(image);
  const app = apps.find((candidate) => candidate.name === name);
  const known = apps.map((candidate) => candidate.name).sort();
  if (!app) {
    const has = known.length > 0 ? known.join(', ') : 'no apps';
    return {
      ok: false,
      reason: 'ContainerMissing',
      message: `Unable to fetch image "${image}": no workspace app named "${name}" (apps/ has: ${has}); locally an image runs the app named by its last path segment, e.g. hands-on-knative/${known[0] ?? '<app>'}`,
    };
  }
  if (app.main === undefined) {
    const build = app.packageName ? `pnpm --filter ${app.packageName} build` : 'pnpm build';
    return {
      ok: false,
      reason: 'ContainerMissing',
      message: `Unable to fetch image "${image}": workspace app "${name}" is not built (apps/${name}/${stripDotSlash(app.mainField)} is missing); run ${build}`,
    };
  }
  return { ok: true, app: { ...app, main: app.main } };
}

function stripDotSlash(file: string): string {
  return file.startsWith('./') ? file.slice(2) : file;
}
