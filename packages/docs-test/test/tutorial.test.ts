// The walkthrough as a test: every marked command block of docs/tutorial, in page
// order, against a local Knative Serving this test starts (see docs/tutorial/README.md
// for the markers and what may differ). A command that stops working fails CI.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKIP_REASONS } from '../src/markdown.js';
import { blockTitle, readPages } from '../src/pages.js';
import { Session, type BlockOutcome } from '../src/session.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const pages = readPages(path.join(repoRoot, 'docs', 'tutorial'));
const outcomes: BlockOutcome[] = [];
let session: Session;

beforeAll(async () => {
  session = await Session.create({ cwd: repoRoot });
});

afterAll(async () => {
  await session?.close();
  const skipped = outcomes.filter((o) => o.status === 'skip');
  const ran = outcomes.length - skipped.length;
  const lines = [`docs test: ${ran} block(s) run, ${skipped.length} not run:`];
  for (const o of skipped) if (o.status === 'skip') lines.push(`  SKIP ${blockTitle(o.block)} (${o.reason})`);
  process.stderr.write(`${lines.join('\n')}\n`);
});

describe('docs/tutorial', () => {
  it('has the pages of the walkthrough, in order, each with commands that run', () => {
    expect(pages.map((p) => p.name)).toEqual([
      '01-hello-world.md',
      '02-change-configuration.md',
      '03-traffic-splitting.md',
      '04-twilio.md',
      '05-autoscaling-and-scale-to-zero.md',
      '06-migrating-v1alpha1.md',
    ]);
    for (const page of pages) expect(page.blocks.filter((b) => b.mode !== 'skip').length, page.name).toBeGreaterThan(0);
  });
});

for (const page of pages) {
  describe(page.name, () => {
    for (const block of page.blocks) {
      const title = blockTitle(block);
      if (block.mode === 'skip') {
        // Reported as skipped, with the reason, by vitest and by the summary above.
        it.skip(`${title} (not run: ${block.skip})`, () => {});
        outcomes.push({ status: 'skip', block, reason: SKIP_REASONS[block.skip!] });
        continue;
      }
      it(title, async () => {
        const outcome = await session.run(block);
        outcomes.push(outcome);
        if (outcome.status === 'fail') {
          throw new Error(`${title}\n${outcome.message}\n--- output (as the reader would see it) ---\n${outcome.output}`);
        }
        expect(outcome.status).toBe('pass');
      }, 150_000);
    }
  });
}
