import { describe, expect, it } from 'vitest';
import { PageError, parsePage } from '../src/markdown.js';

const page = (...lines: string[]) => lines.join('\n');

describe('parsePage', () => {
  it('finds marked blocks in order, with the text block right after each as its expected output', () => {
    const blocks = parsePage(
      page(
        '# Title',
        '```sh test',
        'curl http://x.localhost:8080',
        '```',
        '',
        '```text',
        'Hello v1!',
        '```',
        'Some prose.',
        '```bash test exit=3 counts',
        'false',
        '```',
        '```yaml',
        'kind: Service',
        '```',
      ),
      'p.md',
    );
    expect(blocks).toEqual([
      { page: 'p.md', line: 2, script: 'curl http://x.localhost:8080', mode: 'run', exitCode: 0, counts: false, expected: 'Hello v1!' },
      { page: 'p.md', line: 10, script: 'false', mode: 'run', exitCode: 3, counts: true },
    ]);
  });

  it('takes no expected output across prose: the text block must follow directly', () => {
    const [block] = parsePage(page('```sh test', 'ls', '```', 'the output:', '```text', 'x', '```'), 'p.md');
    expect(block!.expected).toBeUndefined();
  });

  it('reads background and skip markers, and tilde and longer fences', () => {
    const blocks = parsePage(
      page('~~~sh test background', 'pnpm start', '~~~', '````sh skip=cluster', 'kubectl get ksvc', '```', 'still inside', '````'),
      'p.md',
    );
    expect(blocks.map((b) => [b.mode, b.skip, b.script])).toEqual([
      ['background', undefined, 'pnpm start'],
      ['skip', 'cluster', 'kubectl get ksvc\n```\nstill inside'],
    ]);
  });

  it('finds indented blocks (inside list items) and removes their indent', () => {
    const blocks = parsePage(page('1. Create it:', '', '   ```sh skip=twilio', '   kubectl create secret generic twilio \\', '     --from-literal=a=b', '   ```'), 'p.md');
    expect(blocks.map((b) => [b.line, b.skip, b.script])).toEqual([[3, 'twilio', 'kubectl create secret generic twilio \\\n  --from-literal=a=b']]);
    expect(() => parsePage(page('- step', '  ```bash', '  ls', '  ```'), 'p.md')).toThrow(/p\.md:2: a bash block must say/);
  });

  it('refuses a sh block that says neither test nor skip, naming the line', () => {
    expect(() => parsePage(page('text', '', '```sh', 'rm -rf build', '```'), 'p.md')).toThrow(
      new PageError('p.md', 3, 'a sh block must say `sh test` (run by the docs test) or `sh skip=<reason>`'),
    );
  });

  it('refuses unknown markers and skip reasons, and a block that is both', () => {
    expect(() => parsePage(page('```sh test fast', 'x', '```'), 'p.md')).toThrow(/p\.md:1: unknown marker "fast"/);
    expect(() => parsePage(page('```sh skip=later', 'x', '```'), 'p.md')).toThrow(/unknown skip reason "later": use one of cluster, registry, twilio, setup, writes/);
    expect(() => parsePage(page('```sh test skip=cluster', 'x', '```'), 'p.md')).toThrow(/either `test` or `skip=<reason>`/);
  });

  it('refuses a block that is never closed', () => {
    expect(() => parsePage(page('```sh test', 'x'), 'p.md')).toThrow(/p\.md:1: code block is never closed/);
  });
});
