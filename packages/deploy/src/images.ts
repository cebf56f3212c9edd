// Image placeholders: manifests say `hands-on-knative/<app>` so that no one edits
// them by hand. Before a request, each placeholder becomes a real reference:
//
//   1. --image <app>=<ref>                 exactly that reference
//   2. --registry <repo>                   <repo>/<app> (a tag: mutable, see below)
//   3. against the local serving           unchanged: it runs apps/<app> for it
//   4. a digest recorded by pnpm ship --repo: <repo>/<app>@sha256:... (images.json in the state folder)
//   5. otherwise                           an error that says how to get one
//
// Digests are what Knative runs reliably (it resolves tags itself, once, per
// revision); `--registry` is for registries you push tags to yourself.
import type { AnyObject } from '@hands-on-knative/knative';

export const PLACEHOLDER_REPOSITORY = 'hands-on-knative';
const PLACEHOLDER = /^hands-on-knative\/([a-z0-9][a-z0-9._-]*)$/;

export type ImageTarget = 'cluster' | 'local-serving' | 'dry-run';

export interface ImageResolutionOptions {
  /** --image app=ref */
  overrides?: Readonly<Record<string, string>>;
  /** --registry <registry>/<namespace> */
  registry?: string;
  /** app -> digest reference, from images.json */
  records?: Readonly<Record<string, string>>;
  target: ImageTarget;
}

export interface ResolvedImage {
  field: string;
  app: string;
  from: string;
  to: string;
  how: 'override' | 'registry' | 'local-serving' | 'recorded' | 'placeholder';
}

export interface ImageResolution {
  object: AnyObject;
  resolved: ResolvedImage[];
  /** Placeholders nothing resolved: field + message. */
  errors: { field: string; message: string }[];
}

/** The app a placeholder names, or undefined for a real reference. */
export function placeholderApp(image: unknown): string | undefined {
  return typeof image === 'string' ? PLACEHOLDER.exec(image)?.[1] : undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where containers live in each kind we apply. */
function podSpecs(object: AnyObject): { path: string; spec: Obj }[] {
  const spec = isObj(object.spec) ? object.spec : undefined;
  if (!spec) return [];
  if (object.kind === 'Service' || object.kind === 'Configuration') {
    const template = isObj(spec.template) ? spec.template : undefined;
    return template && isObj(template.spec) ? [{ path: 'spec.template.spec', spec: template.spec }] : [];
  }
  if (object.kind === 'Revision') return [{ path: 'spec', spec }];
  return [];
}

export function resolveImages(input: AnyObject, options: ImageResolutionOptions): ImageResolution {
  const object = structuredClone(input);
  const resolved: ResolvedImage[] = [];
  const errors: ImageResolution['errors'] = [];
  for (const { path, spec } of podSpecs(object)) {
    for (const list of ['initContainers', 'containers'] as const) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      containers.forEach((container: unknown, i) => {
        if (!isObj(container)) return;
        const app = placeholderApp(container.image);
        if (app === undefined) return;
        const field = `${path}.${list}[${i}].image`;
        const from = container.image as string;
        const choice = choose(app, options);
        if (!choice) {
          errors.push({
            field,
            message:
              `"${from}" is a placeholder and nothing says which image to run. Push the app first ` +
              `(pnpm ship ${app} --repo <registry>/<namespace>, which records the digest), ` +
              `or pass --image ${app}=<reference> or --registry <registry>/<namespace>`,
          });
          return;
        }
        container.image = choice.to;
        resolved.push({ field, app, from, ...choice });
      });
    }
  }
  return { object, resolved, errors };
}

function choose(app: string, options: ImageResolutionOptions): Pick<ResolvedImage, 'to' | 'how'> | undefined {
  const override = options.overrides?.[app];
  if (override) return { to: override, how: 'override' };
  if (options.registry) return { to: `${options.registry.replace(/\/+$/, '')}/${app}`, how: 'registry' };
  if (options.target === 'local-serving') return { to: `${PLACEHOLDER_REPOSITORY}/${app}`, how: 'local-serving' };
  const recorded = options.records?.[app];
  if (recorded) return { to: recorded, how: 'recorded' };
  if (options.target === 'dry-run') return { to: `${PLACEHOLDER_REPOSITORY}/${app}`, how: 'placeholder' };
  return undefined;
}

/** One line per resolution, for progress output. */
export function describeResolution(r: ResolvedImage): string {
  switch (r.how) {
    case 'override':
      return `image ${r.app}: ${r.to} (--image)`;
    case 'registry':
      return `image ${r.app}: ${r.to} (--registry; a tag, resolved to a digest by Knative when the revision is created)`;
    case 'local-serving':
      return `image ${r.app}: ${r.from} (the local serving runs apps/${r.app})`;
    case 'recorded':
      return `image ${r.app}: ${r.to} (pushed earlier by pnpm ship)`;
    case 'placeholder':
      return `image ${r.app}: ${r.from} stays a placeholder (no --registry, --image or recorded push)`;
  }
}

/** --image app=ref values, checked. */
export function parseImageOverrides(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const app = value.slice(0, eq);
    const ref = value.slice(eq + 1);
    if (eq <= 0 || !ref || /\s/.test(value)) {
      throw new Error(`invalid --image "${value}": expected <app>=<image reference>, e.g. helloworld=ghcr.io/me/helloworld@sha256:...`);
    }
    out[app] = ref;
  }
  return out;
}
