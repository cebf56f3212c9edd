// Builds the production form of the app (`node apps/twilio-sms`):
// 1. esbuild bundles src/index.ts into one minified CommonJS file,
//    dist/app.cjs, with a source map: resolving and compiling ~150 small
//    modules of express and twilio is most of a cold start;
// 2. src/launcher.cjs becomes dist/server.cjs, the package's "main";
// 3. the app is started once, serves one signed webhook, and V8's code cache
//    of everything compiled by then is written to dist/app.cjs.cache.
// Twilio waits 15 s in total for a service that may scale from zero; the
// start-up is measured by bench/twilio.bench.mjs.
import { spawn } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * Stand-ins for modules that express loads eagerly but this webhook does not
 * use on its way to the first reply. Each loads the real module on first use.
 */
const STAND_INS = {
  // body-parser loads iconv-lite (about half of the bundle); the function
  // runtime parses bodies, so express.json()/urlencoded() are not called. It is
  // left out of the bundle and required from node_modules if ever used.
  'body-parser': `
let real;
const { createRequire } = require('node:module');
const load = () => (real ??= createRequire(createRequire(__filename).resolve('express'))('body-parser'));
module.exports = {
  json: (options) => load().json(options),
  raw: (options) => load().raw(options),
  text: (options) => load().text(options),
  urlencoded: (options) => load().urlencoded(options),
};`,
  // depd captures a stack trace when a namespace is created, which makes V8
  // index the lines of the whole bundle (~3 ms). Deprecation warnings still
  // work; they name this stand-in as their call site.
  depd: `
let real;
const load = () => (real ??= require('depd'));
module.exports = function depd(namespace) {
  let deprecate;
  const get = () => (deprecate ??= load()(namespace));
  const lazy = (message) => get()(message);
  lazy.function = (fn, message) => get().function(fn, message);
  lazy.property = (object, property, message) => get().property(object, property, message);
  return lazy;
};`,
  // mime-types builds lookup tables from mime-db (~2,500 types) when loaded
  // (the webhook writes its Content-Type in full); qs pulls in side-channel and
  // get-intrinsic (express 5 parses queries with node:querystring by default).
  // Neither is bundled: compiling their code (mime-db alone is ~150 KB) is most
  // of what a bigger bundle costs at start-up. They load from express's own
  // dependencies on first use.
  'mime-types': deferred('mime-types'),
  qs: deferred('qs'),
};

function deferred(name) {
  return `
let real;
const { createRequire } = require('node:module');
const load = () => (real ??= createRequire(createRequire(__filename).resolve('express'))(${JSON.stringify(name)}));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => ({ ...Reflect.getOwnPropertyDescriptor(load(), key), configurable: true }),
});`;
}

const standIns = {
  name: 'stand-ins',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(STAND_INS).join('|')})$`);
    // The stand-in's own require() of the real module resolves normally.
    b.onResolve({ filter }, (args) => (args.pluginData === 'real' ? undefined : { path: `${args.path}:${args.resolveDir}`, namespace: 'stand-in' }));
    b.onLoad({ filter: /.*/, namespace: 'stand-in' }, (args) => {
      const colon = args.path.indexOf(':');
      return { loader: 'js', contents: STAND_INS[args.path.slice(0, colon)], resolveDir: args.path.slice(colon + 1), pluginData: 'real' };
    });
  },
};

const report = process.argv.includes('--report');
rmSync('dist/app.cjs.cache', { force: true });
const result = await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/app.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  metafile: report,
  plugins: [standIns],
  logLevel: 'warning',
});
copyFileSync('src/launcher.cjs', 'dist/server.cjs');

if (report) {
  const sizes = {};
  for (const [file, input] of Object.entries(result.metafile.outputs['dist/app.cjs'].inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(file)?.[1] ?? file;
    sizes[pkg] = (sizes[pkg] ?? 0) + input.bytesInOutput;
  }
  for (const [pkg, bytes] of Object.entries(sizes).sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(String(bytes).padStart(8), pkg);
}

// Warm-up run for the code cache: validation on, one signed POST through the
// whole request path, then write the cache and exit.
const warmUp = `
const http = require('node:http');
const { createHmac } = require('node:crypto');
const server = http.createServer().listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  server.close(() => {
    process.env.PORT = String(port);
    process.env.PUBLIC_BASE_URL = 'http://127.0.0.1:' + port;
    const launcher = require('./dist/server.cjs');
    const body = 'Body=warm+up&From=%2B15005550006&MessageSid=SMwarmup&NumMedia=0';
    const signature = createHmac('sha1', process.env.TWILIO_AUTH_TOKEN)
      .update('http://127.0.0.1:' + port + '/smsBodywarm upFrom+15005550006MessageSidSMwarmupNumMedia0')
      .digest('base64');
    const send = (attempt) => {
      const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/sms', headers: {
        'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) { console.error('warm-up request answered ' + res.statusCode); process.exit(1); }
          launcher.writeCodeCache();
          process.exit(0);
        });
      });
      req.on('error', (error) => (attempt < 500 ? setTimeout(send, 10, attempt + 1) : (console.error(error), process.exit(1))));
      req.end(body);
    };
    send(0);
  });
});`;
const child = spawn(process.execPath, ['-e', warmUp], {
  env: { PATH: process.env.PATH, TWILIO_AUTH_TOKEN: 'build-time-warm-up-token', LOG_LEVEL: 'error' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const [code] = await new Promise((resolve) => child.on('exit', (...args) => resolve(args)));
if (code !== 0) {
  console.error('the code-cache warm-up failed');
  process.exit(1);
}
