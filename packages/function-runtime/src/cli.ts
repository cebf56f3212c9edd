#!/usr/bin/env node
// fn-runtime dev <entry>: run a function's entry file and restart it on change.
import { startDev } from './dev.js';

const USAGE = `Usage: fn-runtime dev <entry.ts|entry.js>

Runs the entry (TypeScript or JavaScript) and rebuilds + restarts it whenever a
file it imports changes. Environment variables (PORT, TARGET, ...) pass through.

Example: PORT=8080 fn-runtime dev src/index.ts`;

async function main(argv: string[]): Promise<number> {
  const [command, entry, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) {
    process.stdout.write(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  if (command !== 'dev' || entry === undefined || rest.length > 0) {
    process.stderr.write(`fn-runtime: unknown arguments: ${argv.join(' ')}\n\n${USAGE}\n`);
    return 2;
  }
  const session = await startDev({ entry, cwd: process.cwd() });
  const stop = (): void => {
    session.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`fn-runtime: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
