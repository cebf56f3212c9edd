#!/usr/bin/env node
// docs-test [page.md ...]: runs the tutorial pages (default docs/tutorial) against a
// local serving of its own and prints PASS / SKIP (why) / FAIL (the difference) per block.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPages, blockTitle } from './pages.js';
import { Session } from './session.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const show = process.argv.includes('--show');
const args = process.argv.slice(2).filter((arg) => arg !== '--show');
if (args.includes('-h') || args.includes('--help')) {
  process.stdout.write(`usage: pnpm --filter @hands-on-knative/docs-test docs [--show] [page-name-prefix ...]

Runs the marked command blocks of docs/tutorial/*.md in order against a local
Knative Serving it starts (temp state folder, free port) and compares each
output with the page. Prefixes pick pages (e.g. 01 03); the pages before them
still run, as a reader would have done them. --show prints every block's
output as the reader would see it (to write a page's expected output).
See docs/tutorial/README.md.
`);
  process.exit(0);
}

const pages = readPages(path.join(repoRoot, 'docs', 'tutorial'));
const last = args.length === 0 ? pages.length : Math.max(...args.map((prefix) => pages.findIndex((p) => p.name.startsWith(prefix)))) + 1;
if (last === 0) {
  process.stderr.write(`docs-test: no page starts with ${args.join(' or ')}\n`);
  process.exit(2);
}
const session = await Session.create({ cwd: repoRoot });
let failed = 0;
try {
  for (const page of pages.slice(0, last)) {
    for (const block of page.blocks) {
      const outcome = await session.run(block);
      if (show && outcome.status !== 'skip') process.stdout.write(`---- ${blockTitle(block)}\n${outcome.output}\n----\n`);
      if (outcome.status === 'skip') process.stdout.write(`SKIP ${blockTitle(block)} (${outcome.reason})\n`);
      else if (outcome.status === 'pass') process.stdout.write(`PASS ${blockTitle(block)}\n`);
      else {
        failed++;
        process.stdout.write(`FAIL ${blockTitle(block)}: ${outcome.message}\n`);
      }
    }
  }
} finally {
  await session.close();
}
process.exit(failed > 0 ? 1 : 0);
