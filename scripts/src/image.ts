// pnpm image <app> --repo <registry>/<namespace> [--base <image>] [--tag t]... [--platform ...] [--output ...] [--insecure]
// Builds the app's image without a Docker daemon and pushes it. The last line
// of stdout is the digest-pinned reference; progress goes to stderr.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseImageArgs, recordImage, runImage, stderrProgress, USAGE, UsageError, type ImageCommandOptions } from '@hands-on-knative/image';

// Where `pnpm apply` looks for the digest to put in place of `hands-on-knative/<app>`.
const defaultStateDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.knative-local');

function fail(code: number, message: string): never {
  process.stderr.write(`image: ${message}\n`);
  process.exit(code);
}

let options: ImageCommandOptions | 'help';
try {
  options = parseImageArgs(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) fail(2, `${error.message}\n\n${USAGE}`);
  throw error;
}
if (options === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

try {
  const result = await runImage(options, { progress: stderrProgress() });
  if (result.push) {
    const { uploadedBytes, uploaded, mounted, existing } = result.push.stats;
    process.stderr.write(`blobs: ${uploaded} uploaded (${uploadedBytes} bytes), ${mounted} mounted, ${existing} already there\n`);
    recordImage(options.stateDir ?? defaultStateDir, options.app, result.reference);
    process.stderr.write(`recorded for pnpm apply: hands-on-knative/${options.app} -> ${result.reference}\n`);
  }
  process.stdout.write(`${result.reference}\n`);
} catch (error) {
  // Every error message says what to do next; bad input (app, base, platform, repo) exits 2.
  fail(error instanceof UsageError ? 2 : 1, error instanceof Error ? error.message : String(error));
}
