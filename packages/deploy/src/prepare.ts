// Everything that happens to manifests before the first request, pure: convert
// the blog's v1alpha1 (with warnings), check the kind, settle the namespace,
// resolve image placeholders, and validate as Knative's webhook would. Every
// problem of every document is reported at once, each naming its file, line,
// document and field, and nothing is sent when there is one.
import { convertLegacy, LegacyConversionError, validateObject, type AnyObject, type ParsedManifest } from '@hands-on-knative/knative';
import { invalidInput } from './errors.js';
import { metadataOf, type KubeObject } from './types.js';
import { resolveImages, type ImageResolutionOptions, type ResolvedImage } from './images.js';
import { applyOrder, APPLICABLE, resourceFor, type ResourceRef } from './resources.js';

export interface PrepareOptions {
  /** -n, or the context's namespace. */
  namespace: string;
  /** True when -n was given explicitly (then a manifest naming another namespace is an error, as in kubectl). */
  namespaceFlag?: boolean;
  images: ImageResolutionOptions;
}

export interface PreparedObject {
  object: KubeObject;
  resource: ResourceRef;
  /** e.g. manifests/helloworld/service-v1.yaml:5 (document 1) */
  source: string;
  images: ResolvedImage[];
}

export interface Prepared {
  objects: PreparedObject[];
  /** Legacy conversions, one line each. */
  warnings: string[];
}

const describeSource = (m: ParsedManifest) => `${m.file}:${m.line} (document ${m.index + 1})`;

export function prepareManifests(manifests: readonly ParsedManifest[], options: PrepareOptions): Prepared {
  const problems: string[] = [];
  const warnings: string[] = [];
  const objects: PreparedObject[] = [];
  const seen = new Map<string, string>();

  for (const manifest of manifests) {
    const source = describeSource(manifest);
    const raw = manifest.object;
    const label = `${String(raw.kind ?? 'object')} ${JSON.stringify(metadataOf(raw).name ?? '')}`;
    const problem = (field: string, message: string) => problems.push(`${source}: ${label}: ${field ? `${field}: ` : ''}${message}`);

    let object: AnyObject;
    try {
      const converted = convertLegacy(raw);
      object = converted.object;
      warnings.push(...converted.warnings.map((w) => `${source}: ${w}`));
    } catch (error) {
      if (error instanceof LegacyConversionError) {
        problem(error.field, error.message.slice(error.field.length + 2));
        continue;
      }
      throw error;
    }

    const resource = resourceFor(object.apiVersion, object.kind);
    if (!resource) {
      const known = APPLICABLE.map((r) => `${r.apiVersion} ${r.kind}`).join(', ');
      problem('kind', `${String(object.apiVersion)} ${String(object.kind)} is not something pnpm apply handles (it applies ${known}); use kubectl apply for it`);
      continue;
    }
    const meta = metadataOf(object);
    if (typeof meta.name !== 'string' || meta.name === '') {
      problem('metadata.name', 'missing field(s): every object needs a name (generateName is not supported by apply)');
      continue;
    }
    let metadata = { ...meta, name: meta.name };
    if (resource.namespaced) {
      const own = meta.namespace;
      if (own && options.namespaceFlag && own !== options.namespace) {
        problem('metadata.namespace', `the namespace from the provided object "${own}" does not match the namespace "${options.namespace}": pass -n ${own} or remove metadata.namespace`);
        continue;
      }
      metadata = { ...metadata, namespace: own || options.namespace };
    } else if (meta.namespace !== undefined) {
      const { namespace: _ignored, ...rest } = metadata;
      metadata = rest;
    }
    object = { ...object, metadata };

    const key = `${resource.kind}/${metadata.namespace ?? ''}/${metadata.name}`;
    const first = seen.get(key);
    if (first) {
      problem('', `also in ${first}: apply one version of an object at a time (e.g. one file of manifests/helloworld)`);
      continue;
    }
    seen.set(key, source);

    const images = resolveImages(object, options.images);
    for (const e of images.errors) problem(e.field, e.message);
    object = images.object;

    for (const e of validateObject(object)) {
      problem(e.field, e.details ? `${e.message}\n${e.details}` : e.message);
    }
    objects.push({ object: object as KubeObject, resource, source, images: images.resolved });
  }

  if (problems.length > 0) {
    const n = problems.length;
    throw invalidInput(`${n} problem${n === 1 ? '' : 's'} found before sending anything:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  objects.sort((a, b) => applyOrder(a.resource) - applyOrder(b.resource));
  return { objects, warnings };
}
