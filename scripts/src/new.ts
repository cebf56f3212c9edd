// pnpm new <name>: a new app (handler, test, README) and its Knative Service manifest.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkAppName } from './new/name.js';
import { scaffoldApp } from './new/scaffold.js';
import { readWorkspace } from './new/workspace.js';

const HELP = `usage: pnpm new <name> [options]

Makes a new app from the starter template:
  apps/<name>/                    handler (src/handler.ts), entry (src/index.ts), a supertest
                                  test, README, package.json (build, typecheck, test, dev)
  manifests/<name>/service.yaml   its Knative Service, image hands-on-knative/<name>
then runs pnpm install (to link it) and its first build, so the local serving can run it.

<name> becomes the Service, its host name (<name>.default.localhost) and its image: a
DNS-1035 label (lower case letters, digits and '-', starting with a letter, at most 63),
not an existing app, manifest folder or package, and not a reserved name.

options:
  --no-install   only write the files (run pnpm install and the build yourself)
  --root <dir>   the workspace to write into (default: this repository)
  -h, --help     this help

exit codes: 0 done, 1 install or build failed (the files stay), 2 invalid name or usage`;

function fail(code: number, message: string): never {
  process.stderr.write(`new: ${message}\n`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      'no-install': { type: 'boolean' },
      root: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  fail(2, `${(error as Error).message}\n\n${HELP}`);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
if (positionals.length !== 1) fail(2, `give exactly one name, e.g. pnpm new my-service (got ${positionals.length})\n\n${HELP}`);
const name = positionals[0]!;
const root = path.resolve(values.root ?? fileURLToPath(new URL('../../', import.meta.url)));

const problem = checkAppName(name, readWorkspace(root));
if (problem) fail(2, problem);

let written: string[];
try {
  written = scaffoldApp(root, name);
} catch (error) {
  fail(1, (error as Error).message);
}
for (const file of written) process.stderr.write(`created ${file}\n`);

const packageName = `@hands-on-knative/${name}`;
if (!values['no-install']) {
  for (const args of [['install'], ['--filter', packageName, 'build']]) {
    process.stderr.write(`running pnpm ${args.join(' ')}...\n`);
    const result = spawnSync('pnpm', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) {
      fail(1, `pnpm ${args.join(' ')} failed (exit ${result.status ?? result.signal}); apps/${name} is written: fix the cause and run it again`);
    }
  }
}

process.stdout.write(
  [
    `apps/${name} and manifests/${name}/service.yaml are ready.`,
    '',
    'Next:',
    ...(values['no-install'] ? ['  pnpm install'] : []),
    `  pnpm --filter ${packageName} test`,
    `  pnpm ship ${name}                       # build and deploy it to a running pnpm start`,
    `  curl http://${name}.default.localhost:8080/?name=Knative`,
    `  pnpm ship ${name} --repo <registry>/<ns>  # a real cluster: push, deploy by digest`,
    '',
  ].join('\n'),
);
