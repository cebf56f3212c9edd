// pnpm ship <app>: build (and push, with --repo) the app's image, deploy it, wait, print the URL.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ParsedManifest } from '@hands-on-knative/knative';
import { applyPrepared, type AppliedObject } from './apply.js';
import type { ShipOptions } from './cli/options.js';
import { clusterFailure, invalidInput } from './errors.js';
import { recordImage } from '@hands-on-knative/image/records';
import { describeResolution, PLACEHOLDER_REPOSITORY } from './images.js';
import type { CommandIO } from './io.js';
import { loadManifests } from './load.js';
import { prepareManifests } from './prepare.js';
import { connect } from './session.js';

export interface ShipContext {
  workspaceRoot: string;
}

/** kn service create <app> --image <placeholder>: what ship deploys when the app has no manifest. */
export function minimalService(app: string): ParsedManifest {
  return {
    object: {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: app },
      spec: { template: { spec: { containers: [{ image: `${PLACEHOLDER_REPOSITORY}/${app}` }] } } },
    },
    file: `(a Service for apps/${app})`,
    index: 0,
    line: 1,
  };
}

export async function runShip(options: ShipOptions, io: CommandIO, context: ShipContext): Promise<AppliedObject[]> {
  const appDir = path.join(context.workspaceRoot, 'apps', options.app);
  if (!existsSync(path.join(appDir, 'package.json'))) throw invalidInput(`no app "${options.app}" in apps/ (ship deploys a folder of apps/)`);
  const cluster = connect(options, io);
  const defaultManifest = path.join(context.workspaceRoot, 'manifests', options.app, 'service.yaml');
  const manifestFile = options.file ?? (existsSync(defaultManifest) ? defaultManifest : undefined);
  // Read and check the manifest before minutes of building.
  const manifests = manifestFile ? loadManifests([manifestFile]) : [minimalService(options.app)];
  if (!manifestFile) io.err(`No manifests/${options.app}/service.yaml: deploying a Service named ${options.app} with only its image.`);

  const overrides: Record<string, string> = {};
  if (options.repo) {
    io.err(`Building ${options.app} and pushing it to ${options.repo}:`);
    const image = await import('@hands-on-knative/image');
    let result;
    try {
      result = await image.runImage(
        { app: options.app, repo: options.repo, ...(options.base ? { base: options.base } : {}), tags: [], output: { kind: 'registry' }, insecure: options.insecure },
        { workspaceRoot: context.workspaceRoot, progress: (event) => event.type === 'step' && io.err(`  ${event.message}`) },
      );
    } catch (error) {
      // Bad --repo/--base or app: invalid input; the registry refusing or failing: "the cluster said no" (3).
      const message = `building or pushing ${options.app} failed: ${error instanceof Error ? error.message : String(error)}`;
      if (error instanceof image.UsageError) throw invalidInput(message);
      if (error instanceof image.RegistryError) throw clusterFailure(message);
      throw error;
    }
    recordImage(options.stateDir, options.app, result.reference);
    overrides[options.app] = result.reference;
    io.err(`Pushed ${result.reference}`);
  } else if (cluster.isLocalServing) {
    io.err(`Building ${options.app} (the local serving runs apps/${options.app}; no image or registry involved):`);
    await build(context.workspaceRoot, options.app, io);
  } else {
    throw invalidInput(`--repo <registry>/<namespace> is needed to ship to ${cluster.server}: the cluster pulls images from a registry (only the local serving runs apps/ directly)`);
  }

  const prepared = prepareManifests(manifests, {
    namespace: cluster.namespace,
    namespaceFlag: options.namespace !== undefined,
    images: { target: cluster.isLocalServing && !options.repo ? 'local-serving' : 'cluster', overrides },
  });
  for (const warning of prepared.warnings) io.err(`warning: ${warning}`);
  for (const p of prepared.objects) for (const image of p.images) io.err(describeResolution(image));
  return applyPrepared(cluster, prepared.objects, options, io);
}

function build(workspaceRoot: string, app: string, io: CommandIO): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['--filter', `./apps/${app}`, 'run', 'build'], { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach((line) => io.err(`  ${line}`));
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (error) => reject(clusterFailure(`could not run pnpm to build apps/${app}: ${error.message}`)));
    // The app does not build: the user's input to fix (exit 2), with the build's output above.
    child.on('close', (code) => (code === 0 ? resolve() : reject(invalidInput(`pnpm --filter ./apps/${app} build failed (exit ${code}): fix the build (its output is above), then ship again`))));
  });
}
