// Bundles the production entry into one minified file, dist/server.js, with a
// source map. A cold start is mostly resolving and compiling ~150 small
// CommonJS modules of express and twilio; one file compiles several times
// faster, and Twilio waits at most 15 s for a service that scales from zero.
// Measured by bench/twilio.bench.mjs.
import { build } from 'esbuild';

// express loads body-parser eagerly, and body-parser loads iconv-lite (about
// half of the bundle). This app never calls express.json()/urlencoded(): the
// function runtime parses bodies. So body-parser stays out of the bundle and is
// required from node_modules only if one of its parsers is ever created.
const lazyBodyParser = {
  name: 'lazy-body-parser',
  setup(b) {
    b.onResolve({ filter: /^body-parser$/ }, () => ({ path: 'body-parser', namespace: 'lazy' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      loader: 'js',
      contents: `
const { createRequire } = require('node:module');
let real;
const load = () => (real ??= createRequire(require.resolve('express'))('body-parser'));
module.exports = {
  json: (options) => load().json(options),
  raw: (options) => load().raw(options),
  text: (options) => load().text(options),
  urlencoded: (options) => load().urlencoded(options),
};`,
    }));
  },
};

const report = process.argv.includes('--report');
const result = await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/server.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  metafile: report,
  plugins: [lazyBodyParser],
  // The CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});

if (report) {
  const sizes = {};
  for (const [file, input] of Object.entries(result.metafile.outputs['dist/server.js'].inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(file)?.[1] ?? file;
    sizes[pkg] = (sizes[pkg] ?? 0) + input.bytesInOutput;
  }
  for (const [pkg, bytes] of Object.entries(sizes).sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(String(bytes).padStart(8), pkg);
}
