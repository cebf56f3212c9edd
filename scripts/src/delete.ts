// pnpm delete: see `pnpm delete --help`. Flags, help and output live in @hands-on-knative/deploy;
// --help and bad flags are answered before the Kubernetes client is loaded.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '@hands-on-knative/deploy/cli';

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
process.exitCode = await runCli('delete', { workspaceRoot, argv: process.argv.slice(2) });
