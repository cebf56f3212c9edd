// Every `pnpm <command>` on the pages, run or not, names a command of the repo and
// only flags its --help mentions (read from the real commands).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flagsMissingFromHelp, pnpmUses } from '../src/commands.js';
import { readPages } from '../src/pages.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('pnpmUses', () => {
  it('finds each pnpm command of a script with its flags', () => {
    expect(
      pnpmUses(
        [
          'ref=$(pnpm image greeter --repo ghcr.io/me --tag v1 | tail -n 1)',
          'TWILIO_AUTH_TOKEN=x pnpm sms "a -b c" --token t && pnpm apply manifests/a --image a=$ref -n prod',
          'pnpm --filter @x/y test',
        ].join('\n'),
      ),
    ).toEqual([
      { command: 'image', flags: ['--repo', '--tag'] },
      { command: 'sms', flags: ['--token'] },
      { command: 'apply', flags: ['--image', '-n'] },
    ]);
  });
});

describe('flagsMissingFromHelp', () => {
  it('names the flags a help text does not list', () => {
    const help = 'options:\n  --repo <registry>/<ns>  where\n  -n, --namespace <ns>\n  --tag <tag>, repeatable';
    expect(flagsMissingFromHelp({ command: 'x', flags: ['--repo', '-n', '--tag', '--re', '--registry'] }, help)).toEqual(['--re', '--registry']);
  });
});

describe('the pnpm commands on the pages', () => {
  it('exist, and every flag used is in their --help', () => {
    const scripts = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const helps = new Map<string, string>();
    const help = (command: string) => {
      if (!helps.has(command)) {
        const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'run.mjs'), command, '--help'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
        helps.set(command, result.status === 0 ? result.stdout : '');
      }
      return helps.get(command)!;
    };
    const problems: string[] = [];
    let checked = 0;
    const pages = [...readPages(path.join(repoRoot, 'docs', 'tutorial')), ...readPages(path.join(repoRoot, 'docs'))];
    for (const page of pages) {
      for (const block of page.blocks) {
        for (const use of pnpmUses(block.script)) {
          const where = `${block.page}:${block.line} pnpm ${use.command}`;
          if (['install', 'test', 'build', 'bench', 'dlx', 'exec', 'run'].includes(use.command)) continue;
          if (!(use.command in scripts)) {
            problems.push(`${where}: no such command in package.json`);
            continue;
          }
          const text = help(use.command);
          if (text === '') problems.push(`${where}: --help failed`);
          for (const flag of flagsMissingFromHelp(use, text)) problems.push(`${where}: ${flag} is not in its --help`);
          checked++;
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(5);
  }, 180_000);
});
