// Finds the command blocks of a tutorial page and the output each one promises.
//
// A command block is a fenced block whose language is `sh` or `bash`. Its info
// string says what the docs test does with it:
//
//   ```sh test                 run it; it must exit 0
//   ```sh test exit=1          run it; it must exit 1 (a page showing an error)
//   ```sh test counts          the leading number of each output line may differ (uniq -c)
//   ```sh test background      start it and keep it running (`pnpm start`); a later
//                              background block stops it first, as Ctrl-C would
//   ```sh skip=cluster         not run; the reason is printed (see SKIP_REASONS)
//
// A ```text block right after a command block (nothing but blank lines between)
// is the output the reader should see. Every sh/bash block must say `test` or
// `skip=<reason>`, so a new command cannot slip into a page untested by accident.

export const SKIP_REASONS = {
  cluster: 'needs a real Kubernetes cluster with Knative Serving',
  registry: 'needs a real container registry and its credentials',
  twilio: 'needs a Twilio account, a phone number and a public URL',
  setup: "installs tools on the reader's machine (the test machine has them)",
  writes: "writes files into the reader's checkout",
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

export interface CommandBlock {
  /** Page file name, for messages. */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  script: string;
  mode: 'run' | 'background' | 'skip';
  skip?: SkipReason;
  /** Exit code the command must end with (run mode). */
  exitCode: number;
  /** Leading counts of output lines are not compared (`sort | uniq -c` over random picks). */
  counts: boolean;
  /** The output the page shows, when it shows one. */
  expected?: string;
}

export class PageError extends Error {
  constructor(page: string, line: number, message: string) {
    super(`${page}:${line}: ${message}`);
    this.name = 'PageError';
  }
}

interface Fence {
  line: number;
  lang: string;
  words: string[];
  body: string;
  /** Index of the first line after the closing fence. */
  end: number;
}

// Indented fences count too: a block inside a numbered list item is still a command.
const OPEN = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;

function readFences(text: string, page: string): Fence[] {
  const lines = text.split(/\r?\n/);
  const fences: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!;
    const marker = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !closes(lines[j]!, marker)) {
      const line = lines[j]!;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
      j++;
    }
    if (j >= lines.length) throw new PageError(page, i + 1, 'code block is never closed');
    fences.push({ line: i + 1, lang: open[3]!.toLowerCase(), words: open[4]!.split(/\s+/).filter(Boolean), body: body.join('\n'), end: j + 1 });
    i = j;
  }
  return fences;
}

/** A closing fence: only the fence character, at least as many as the opening one. */
function closes(line: string, marker: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= marker.length && trimmed === marker[0]!.repeat(trimmed.length);
}

function onlyBlankBetween(text: string, fromLine: number, toLine: number): boolean {
  const lines = text.split(/\r?\n/);
  for (let i = fromLine; i < toLine - 1; i++) if (lines[i]!.trim() !== '') return false;
  return true;
}

/** The command blocks of one page, in page order. Throws PageError for a malformed marker. */
export function parsePage(text: string, page: string): CommandBlock[] {
  const fences = readFences(text, page);
  const blocks: CommandBlock[] = [];
  for (let k = 0; k < fences.length; k++) {
    const fence = fences[k]!;
    if (fence.lang !== 'sh' && fence.lang !== 'bash') continue;
    const block: CommandBlock = { page, line: fence.line, script: fence.body, mode: 'run', exitCode: 0, counts: false };
    let marked = false;
    for (const word of fence.words) {
      const [key, value] = word.split('=', 2) as [string, string | undefined];
      if (key === 'test' && value === undefined) marked = true;
      else if (key === 'background' && value === undefined) block.mode = 'background';
      else if (key === 'counts' && value === undefined) block.counts = true;
      else if (key === 'exit' && value !== undefined && /^\d+$/.test(value)) block.exitCode = Number(value);
      else if (key === 'skip' && value !== undefined && value in SKIP_REASONS) {
        block.mode = 'skip';
        block.skip = value as SkipReason;
        marked = true;
      } else if (key === 'skip') {
        throw new PageError(page, fence.line, `unknown skip reason "${value ?? ''}": use one of ${Object.keys(SKIP_REASONS).join(', ')}`);
      } else {
        throw new PageError(page, fence.line, `unknown marker "${word}" (known: test, background, counts, exit=<n>, skip=<reason>)`);
      }
    }
    if (!marked) {
      throw new PageError(page, fence.line, `a ${fence.lang} block must say \`${fence.lang} test\` (run by the docs test) or \`${fence.lang} skip=<reason>\``);
    }
    if (block.skip && fence.words.includes('test')) throw new PageError(page, fence.line, 'a block is either `test` or `skip=<reason>`, not both');
    const next = fences[k + 1];
    if (next && next.lang === 'text' && onlyBlankBetween(text, fence.end, next.line)) block.expected = next.body;
    blocks.push(block);
  }
  return blocks;
}
