// Reads the tutorial pages in walkthrough order (their file names start with the step number).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePage, type CommandBlock } from './markdown.js';

export interface Page {
  name: string;
  blocks: CommandBlock[];
}

export function readPages(dir: string): Page[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .sort()
    .map((name) => ({ name, blocks: parsePage(readFileSync(path.join(dir, name), 'utf8'), name) }));
}

/** One line naming a block in reports: where it is and its first command. */
export function blockTitle(block: CommandBlock): string {
  const first = block.script.split('\n').find((line) => line.trim() !== '' && !line.trim().startsWith('#')) ?? '';
  return `${block.page}:${block.line} ${first.trim()}`;
}
