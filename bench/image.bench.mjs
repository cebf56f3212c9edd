#!/usr/bin/env node
// Images without a daemon, against the naive image (COPY of the app folder +
// its production node_modules, pnpm symlinks dereferenced), side by side:
//   - app layer size (gzip) of helloworld (target <= 200 KB) and twilio-sms (<= 2 MB)
//   - build + push of helloworld with the base already in the registry (median, target <= 3 s)
//   - re-push of an unchanged image (target: 0 bytes uploaded)
// It starts its own docker-registry on 127.0.0.1 and a locally made Node base.
// Run after `pnpm build`: node bench/image.bench.mjs
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  appImageConfig,
  appIndex,
  appManifest,
  buildImage,
  collectNodeModules,
  createLayer,
  findApp,
  jsonBlob,
  packageFiles,
  pushImage,
  RegistryClient,
} from '@hands-on-knative/image';
import { hasBinary, pushLayout, startRegistry, writeTestBase } from '@hands-on-knative/image/testing';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const RUNS = 5;
const KB = 1024;
const MB = 1024 * 1024;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const size = (bytes) => (bytes >= MB ? `${(bytes / MB).toFixed(2)} MB` : `${(bytes / KB).toFixed(1)} KB`);
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** The naive image's app layer: `COPY . /app` (minus node_modules) plus the production node_modules, gzip level 6 like docker push. */
function naiveLayer(appName) {
  const app = findApp(appName, root);
  const own = packageFiles(app.dir, 'app').filter((file) => !file.path.split('/').some((part) => part === '.turbo'));
  const modules = collectNodeModules(app.dir, Object.keys(app.packageJson.dependencies ?? {}), app.name);
  const entries = [...own, ...modules.files.map((file) => ({ ...file, path: `app/${file.path}` }))];
  return { layer: createLayer(entries, { mtime: 0, level: 6 }), files: entries.length };
}

/** The same image with the naive layer instead of the bundle (config and manifests re-made on the same base). */
function withLayer(image, layer) {
  const images = image.images.map((platformImage) => {
    const built = platformImage.config.value;
    const baseConfig = { ...built, rootfs: { type: 'layers', diff_ids: built.rootfs.diff_ids.slice(0, -1) }, history: built.history.slice(0, -1) };
    const config = jsonBlob(appImageConfig(baseConfig, layer, { appName: image.app.name, created: 0 }), platformImage.config.descriptor.mediaType);
    return { ...platformImage, config, manifest: appManifest(platformImage.baseManifest, config, layer) };
  });
  const index = image.index ? appIndex(images, false) : undefined;
  const top = index ?? images[0].manifest;
  return { ...image, appLayer: layer, images, index, digest: top.descriptor.digest, mediaType: top.descriptor.mediaType };
}

if (!hasBinary('docker-registry')) {
  process.stdout.write('FAIL docker-registry not installed (apt-get install -y docker-registry): the benchmark needs a real registry\n');
  process.exit(1);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'hok-image-bench-'));
const registry = await startRegistry();
const rows = [];
const verdicts = [];
const check = (what, value, ok, target) => verdicts.push(`${ok ? 'PASS' : 'FAIL'} ${what} ${value} (target ${target})`);
try {
  const base = writeTestBase(path.join(work, 'base'));
  const baseDigest = await pushLayout(base.dir, new RegistryClient({ registry: registry.host }), 'base/node', 'bench');
  const baseRef = `${registry.host}/base/node@${baseDigest}`;
  const amd64 = [{ os: 'linux', architecture: 'amd64' }];

  // 1. App layer sizes.
  const targets = { helloworld: 200 * KB, 'twilio-sms': 2 * MB };
  for (const [appName, target] of Object.entries(targets)) {
    if (!existsSync(path.join(root, 'apps', appName, 'package.json'))) {
      process.stdout.write(`note: apps/${appName} does not exist yet: its layer-size row is skipped\n`);
      continue;
    }
    const image = await buildImage({ app: appName, base: baseRef, workspaceRoot: root, platforms: amd64, created: 0 });
    const naive = naiveLayer(appName);
    rows.push([`${appName} app layer (gzip)`, size(image.appLayer.size), size(naive.layer.size), `${(naive.layer.size / image.appLayer.size).toFixed(1)}x`]);
    check(`${appName} app layer`, size(image.appLayer.size), image.appLayer.size <= target, `<= ${size(target)}`);
  }

  // 2. Build + push of helloworld, base already in the registry: each run is a
  //    new repository (base layers mounted, app layer, configs and manifests
  //    uploaded). Baseline: the naive image (tar+gzip of the folder and
  //    node_modules instead of the bundle), pushed the same way; its "build"
  //    is only tar+gzip (no esbuild, and no `docker build`, which cannot run
  //    without a daemon), so it is the lower bound of the naive path.
  const buildPush = [];
  const naivePush = [];
  for (let run = 0; run < RUNS; run++) {
    let started = performance.now();
    const image = await buildImage({ app: 'helloworld', base: baseRef, workspaceRoot: root, created: run });
    await pushImage(image, { repo: `${registry.host}/bench${run}` });
    buildPush.push(performance.now() - started);
    started = performance.now();
    await pushImage(withLayer(image, naiveLayer('helloworld').layer), { repo: `${registry.host}/naive${run}` });
    naivePush.push(performance.now() - started);
  }
  const buildPushMs = median(buildPush);
  const naiveMs = median(naivePush);
  rows.push([`helloworld build+push (median of ${RUNS})`, seconds(buildPushMs), seconds(naiveMs), `${(naiveMs / buildPushMs).toFixed(2)}x`]);
  check('helloworld build+push', seconds(buildPushMs), buildPushMs <= 3000, '<= 3.00 s');

  // 3. Re-push of an unchanged image.
  const image = await buildImage({ app: 'helloworld', base: baseRef, workspaceRoot: root, created: 0 });
  const first = await pushImage(image, { repo: `${registry.host}/again` });
  const again = await pushImage(await buildImage({ app: 'helloworld', base: baseRef, workspaceRoot: root, created: 0 }), { repo: `${registry.host}/again` });
  const reBytes = again.stats.uploadedBytes + again.stats.manifestBytes;
  rows.push([`helloworld re-push bytes (first push: ${first.stats.uploadedBytes + first.stats.manifestBytes} B)`, `${reBytes} B`, '-', '-']);
  check('re-push of an unchanged image uploads', `${reBytes} bytes`, reBytes === 0 && again.digest === first.digest, '0 bytes');
} finally {
  await registry.stop();
  rmSync(work, { recursive: true, force: true });
}

const header = ['measure', 'daemonless image', 'naive COPY + node_modules', 'naive / daemonless'];
const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => String(row[i]).length)));
const line = (row) => row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n\n`);
process.stdout.write(`${verdicts.join('\n')}\n`);
process.exit(verdicts.every((verdict) => verdict.startsWith('PASS')) ? 0 : 1);
