// `pnpm image` flags to a typed options object, in one place.
import { parseArgs } from 'node:util';
import type { Platform } from './oci.js';
import { UsageError } from './errors.js';
import { parsePlatforms } from './platform.js';

export type Output =
  | { kind: 'registry' }
  | { kind: 'oci-layout'; path: string }
  | { kind: 'tarball'; path: string }
  | { kind: 'docker-context'; path: string };

export interface ImageCommandOptions {
  app: string;
  repo?: string;
  base?: string;
  tags: string[];
  platforms?: Platform[] | 'all';
  output: Output;
  insecure: boolean;
  /** Where the pushed reference is recorded for `pnpm apply`; the command's default when unset. */
  stateDir?: string;
}

export { UsageError };

export const USAGE = `usage: pnpm image <app> --repo <registry>/<namespace> [options]

Bundles apps/<app> with esbuild, stacks it as one layer on a Node base image
and pushes it without a Docker daemon. The last line of standard output is the
digest-pinned reference <repo>/<app>@sha256:<digest>; progress goes to stderr.

options:
  --repo <registry>/<ns>   where to push (the image is <repo>/<app>)
  --base <image>           base image (default docker.io/library/node:24-slim),
                           or oci-layout:<dir>[:tag] for a local OCI layout
  --tag <tag>              tag to set, repeatable (default latest)
  --platform <list>        e.g. linux/amd64,linux/arm64 or all (default: all the base offers)
  --output <kind>:<path>   write locally instead of pushing:
                             oci-layout:<dir>      an OCI image layout
                             tarball:<file>        a tar of it (also loads with docker load)
                             docker-context:<dir>  Dockerfile + bundle for docker build
  --insecure               plain http to a non-loopback registry (loopback is always http)
  --state <dir>            record the pushed reference in <dir>/images.json, where
                           pnpm apply resolves hands-on-knative/<app> (default .knative-local)
  -h, --help               this text

environment: SOURCE_DATE_EPOCH (timestamps, default 0), REGISTRY_USERNAME and
REGISTRY_PASSWORD (else ~/.docker/config.json auths), DOCKER_CONFIG.

examples:
  pnpm image helloworld --repo 127.0.0.1:5000/demo
  pnpm image helloworld --repo ghcr.io/me --tag v1 --platform linux/amd64,linux/arm64
  pnpm image helloworld --base oci-layout:./base --output tarball:helloworld.tar`;

export function parseImageArgs(argv: string[]): ImageCommandOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        repo: { type: 'string' },
        base: { type: 'string' },
        tag: { type: 'string', multiple: true },
        platform: { type: 'string' },
        output: { type: 'string' },
        insecure: { type: 'boolean', default: false },
        state: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see pnpm image --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'name the app to build: pnpm image <app> --repo <registry>/<namespace>' : `one app at a time, got ${positionals.join(', ')}`);
  }
  const output = parseOutput(values.output);
  if (output.kind === 'registry' && !values.repo) {
    throw new UsageError('--repo <registry>/<namespace> is needed to push (or write locally with --output oci-layout:<dir>)');
  }
  const tags = values.tag ?? [];
  for (const tag of tags) {
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new UsageError(`invalid --tag "${tag}": letters, digits, _ . - (up to 128)`);
  }
  let platforms: Platform[] | 'all' | undefined;
  try {
    platforms = values.platform === undefined ? undefined : parsePlatforms(values.platform);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    app: positionals[0]!,
    ...(values.repo ? { repo: values.repo } : {}),
    ...(values.base ? { base: values.base } : {}),
    tags,
    ...(platforms ? { platforms } : {}),
    output,
    insecure: values.insecure ?? false,
    ...(values.state ? { stateDir: values.state } : {}),
  };
}

function parseOutput(text: string | undefined): Output {
  if (text === undefined) return { kind: 'registry' };
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const target = text.slice(colon + 1);
  if (colon <= 0 || !target || !['oci-layout', 'tarball', 'docker-context'].includes(kind)) {
    throw new UsageError(`invalid --output "${text}": use oci-layout:<dir>, tarball:<file> or docker-context:<dir>`);
  }
  return { kind: kind as 'oci-layout' | 'tarball' | 'docker-context', path: target };
}
