// A small workspace made in a temp dir: apps/cjs-app, whose TypeScript entry
// imports a CommonJS package (bundled: it calls require() and reads __dirname)
// and one package declared external (shipped as node_modules, with its own
// dependency), because it reads a data file next to itself at runtime.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function write(root: string, file: string, content: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), content);
}

/** Returns the workspace root; the app is `cjs-app`. */
export function makeFixtureWorkspace(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hok-image-fixture-'));
  write(root, 'pnpm-workspace.yaml', 'packages:\n  - apps/*\n');
  write(
    root,
    'apps/cjs-app/package.json',
    JSON.stringify({
      name: 'cjs-app',
      version: '1.0.0',
      type: 'module',
      dependencies: { 'cjs-greeter': '1.0.0', 'data-reader': '1.0.0' },
      image: { external: ['data-reader'] },
    }),
  );
  write(
    root,
    'apps/cjs-app/src/index.ts',
    [
      "import { createServer } from 'node:http';",
      "import greeter from 'cjs-greeter';",
      "import reader from 'data-reader';",
      'const port: number = Number(process.env.PORT ?? 8080);',
      "createServer((_req, res) => res.end(`${greeter.greet('World')} ${reader.read()}\\n`)).listen(port, '127.0.0.1');",
      '',
    ].join('\n'),
  );
  write(
    root,
    'apps/cjs-app/node_modules/cjs-greeter/package.json',
    JSON.stringify({ name: 'cjs-greeter', version: '1.0.0', main: 'index.js' }),
  );
  write(
    root,
    'apps/cjs-app/node_modules/cjs-greeter/index.js',
    [
      "'use strict';",
      "const path = require('path');",
      "const here = path.basename(__dirname);",
      'module.exports = { greet: (name) => `Hello ${name}! (cjs from ${here})` };',
      '',
    ].join('\n'),
  );
  write(
    root,
    'node_modules/data-reader/package.json',
    JSON.stringify({ name: 'data-reader', version: '2.1.0', main: 'index.js', dependencies: { 'data-format': '1.0.0' } }),
  );
  write(
    root,
    'node_modules/data-reader/index.js',
    [
      "'use strict';",
      "const fs = require('fs');",
      "const format = require('data-format');",
      "module.exports = { read: () => format(fs.readFileSync(require('path').join(__dirname, 'data.txt'), 'utf8')) };",
      '',
    ].join('\n'),
  );
  write(root, 'node_modules/data-reader/data.txt', 'external data');
  write(root, 'node_modules/data-format/package.json', JSON.stringify({ name: 'data-format', version: '1.0.0', main: 'index.js' }));
  write(root, 'node_modules/data-format/index.js', "module.exports = (text) => `[${text.trim()}]`;\n");
  // native-app bundles a package with a compiled addon (binding.gyp): refused with a hint.
  write(root, 'apps/native-app/package.json', JSON.stringify({ name: 'native-app', version: '1.0.0', type: 'module' }));
  write(root, 'apps/native-app/src/index.ts', "import native from 'native-thing';\nconsole.log(native);\n");
  write(root, 'node_modules/native-thing/package.json', JSON.stringify({ name: 'native-thing', version: '1.0.0', main: 'index.js' }));
  write(root, 'node_modules/native-thing/binding.gyp', '{ "targets": [] }\n');
  write(root, 'node_modules/native-thing/index.js', "module.exports = 'would load build/Release/native.node';\n");
  // broken-app imports a package that is not installed.
  write(root, 'apps/broken-app/package.json', JSON.stringify({ name: 'broken-app', version: '1.0.0', type: 'module' }));
  write(root, 'apps/broken-app/src/index.ts', "import 'missing-package';\n");
  return root;
}
