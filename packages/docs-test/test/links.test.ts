import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relativeLinks } from '../src/links.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('relativeLinks', () => {
  it('finds relative targets outside code, without fragments, skipping URLs and anchors', () => {
    const text = [
      'See [the app](../../apps/helloworld) and [next](02-x.md#part), [web](https://knative.dev/docs/), [here](#top).',
      '```md',
      '[in code](not/a/link.md)',
      '```',
      'Inline `[code](nope.md)` too, then [last](../x.yaml).',
    ].join('\n');
    expect(relativeLinks(text)).toEqual([
      { line: 1, target: '../../apps/helloworld' },
      { line: 1, target: '02-x.md' },
      { line: 5, target: '../x.yaml' },
    ]);
  });
});

describe('the links of docs/', () => {
  it('point at files and folders that exist', () => {
    const broken: string[] = [];
    const pages = [
      ...readdirSync(path.join(repoRoot, 'docs', 'tutorial')).map((f) => path.join('docs', 'tutorial', f)),
      ...readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f)),
    ].filter((f) => f.endsWith('.md'));
    expect(pages.length).toBeGreaterThan(6);
    for (const page of pages) {
      for (const link of relativeLinks(readFileSync(path.join(repoRoot, page), 'utf8'))) {
        if (!existsSync(path.resolve(repoRoot, path.dirname(page), link.target))) broken.push(`${page}:${link.line} ${link.target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
