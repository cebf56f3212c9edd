// The whole `pnpm image` job as one call, for the command and for other
// commands (`pnpm ship`) that build and push in-process.
import path from 'node:path';
import { buildImage, type BuildOptions, type BuiltImage } from './build.js';
import { writeDockerContext } from './dockerfile.js';
import type { ImageCommandOptions } from './options.js';
import { writeOciLayout, writeTarball } from './output.js';
import { pushImage, targetReference, type PushResult } from './push.js';
import type { ProgressListener } from './progress.js';

export interface ImageResult {
  /** `<repo>/<app>@sha256:…` after a push; `<output>@sha256:…` for local outputs. */
  reference: string;
  digest: string;
  image: BuiltImage;
  push?: PushResult;
}

export async function runImage(
  options: ImageCommandOptions,
  extra: Pick<BuildOptions, 'workspaceRoot' | 'created' | 'env' | 'revision' | 'source' | 'labels' | 'user'> & { progress?: ProgressListener } = {},
): Promise<ImageResult> {
  // Check --repo before minutes of work, not after.
  if (options.output.kind === 'registry') targetReference(options.repo ?? '', path.basename(options.app));
  const image = await buildImage({
    ...extra,
    app: options.app,
    ...(options.base ? { base: options.base } : {}),
    ...(options.platforms ? { platforms: options.platforms } : {}),
    insecure: options.insecure,
  });
  const output = options.output;
  const tag = options.tags[0] ?? 'latest';
  const progress = extra.progress;
  switch (output.kind) {
    case 'registry': {
      const push = await pushImage(image, {
        repo: options.repo!,
        tags: options.tags,
        insecure: options.insecure,
        ...(progress ? { progress } : {}),
        ...(extra.env ? { env: extra.env } : {}),
      });
      return { reference: push.reference, digest: image.digest, image, push };
    }
    case 'oci-layout':
      await writeOciLayout(image, output.path, { tag, ...(progress ? { progress } : {}) });
      return { reference: `oci-layout:${output.path}@${image.digest}`, digest: image.digest, image };
    case 'tarball': {
      const repoTag = options.repo ? `${targetReference(options.repo, image.app.name).display}:${tag}` : `${image.app.name}:${tag}`;
      await writeTarball(image, output.path, { tag, repoTag, ...(progress ? { progress } : {}) });
      return { reference: `tarball:${output.path}@${image.digest}`, digest: image.digest, image };
    }
    case 'docker-context':
      writeDockerContext(image, output.path);
      progress?.({ type: 'step', message: `wrote ${path.join(output.path, 'Dockerfile')}: docker build ${output.path}` });
      return { reference: `docker-context:${output.path}@${image.digest}`, digest: image.digest, image };
  }
}
