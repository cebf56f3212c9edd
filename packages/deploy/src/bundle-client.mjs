// Build step after tsc: replace dist/kube.js (a re-export of @kubernetes/client-node)
// with a single-file bundle of it, so commands start faster (see src/kube.ts).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
await build({
  entryPoints: [path.join(dist, 'kube.js')],
  outfile: path.join(dist, 'kube.js'),
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // client-node's CommonJS dependencies (node-fetch, ...) call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'eof',
  logLevel: 'warning',
});
