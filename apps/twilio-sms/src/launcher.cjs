'use strict';
// The production entry, `node apps/twilio-sms` (copied to dist/server.cjs by
// bundle.mjs). It runs the bundled app, dist/app.cjs, with the V8 code cache
// made at build time (dist/app.cjs.cache), so a cold start does not compile
// ~400 KB of JavaScript again: Twilio waits 15 s in total for a service that
// may scale from zero. Node 20 has no built-in compile cache
// (module.enableCompileCache is Node 22.1+). V8 rejects a cache made by another
// Node version or with other flags, and the code is then simply compiled.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { Script } = require('node:vm');

const file = path.join(__dirname, 'app.cjs');
const cacheFile = `${file}.cache`;
if (!existsSync(file)) {
  process.stderr.write(`${file} is missing: build the app first (pnpm --filter @hands-on-knative/twilio-sms build)\n`);
  process.exit(1);
}
const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
const app = new Module(file, module);
app.filename = file;
app.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext()(app.exports, Module.createRequire(file), app, file, __dirname);

/** Used by the build once the app has served a request: caches every function compiled so far. */
exports.writeCodeCache = () => writeFileSync(cacheFile, script.createCachedData());
exports.cacheRejected = () => script.cachedDataRejected === true;
