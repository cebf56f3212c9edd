// What may differ between the output a page shows and the output of a real run.
// Applied to both sides before they are compared, so a page keeps real-looking
// output (aligned kubectl columns, real ages) and still matches.
//
//   1. sha256 digests             sha256:<64 hex>               -> sha256:<digest>
//   2. timestamps                 2026-01-02T03:04:05(.678)Z    -> <time>
//   3. UUIDs                                                   -> <uuid>
//   4. generated pod suffixes     helloworld-00001-deployment-51f71c1870-c683e
//                                                              -> helloworld-00001-deployment-<hash>
//   5. the reader's checkout        /home/you/hands-on-knative/.knative-local -> .knative-local
//      ports of 127.0.0.1         127.0.0.1:41234               -> 127.0.0.1:<port>
//      (the API port is a free one; the ingress port is rewritten before this, see rewrite.ts)
//   6. ages and durations         6s, 2m10s, 1h, 3d, 0.4s, 120ms -> <age>
//   7. spacing                    runs of spaces/tabs -> one space; lines trimmed
//                                 (kubectl pads columns to the longest value)
//   8. counts (blocks marked `counts` only): a number opening a line -> <n>
//   9. the launcher's notice `Building the workspace (first run or sources changed)...`
//      is dropped: whether it shows depends on what was built before, not on the page.
// Blank lines at the start and end of an output are dropped.

const RULES: [RegExp, string][] = [
  [/sha256:[0-9a-f]{64}/g, 'sha256:<digest>'],
  [/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g, '<time>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/-deployment-[0-9a-z]+-[0-9a-z]+\b/g, '-deployment-<hash>'],
  [/(?:\/[^\s/'"]+)+\/\.knative-local(?![\w-])/g, '.knative-local'],
  [/\b127\.0\.0\.1:\d+/g, '127.0.0.1:<port>'],
  [/(?<![\w.<])\d+(?:\.\d+)?(?:ms|s|m|h|d)(?:\d+(?:s|m|h))?(?![\w])/g, '<age>'],
];

const DROPPED_LINES = ['Building the workspace (first run or sources changed)...'];

export interface NormaliseOptions {
  counts?: boolean;
}

/** The lines of an output as they are compared. */
export function normalise(output: string, options: NormaliseOptions = {}): string[] {
  const lines = output
    .split(/\r?\n/)
    .filter((line) => !DROPPED_LINES.includes(line.trim()))
    .map((line) => {
    let result = line;
    for (const [pattern, replacement] of RULES) result = result.replace(pattern, replacement);
    result = result.replace(/[ \t]+/g, ' ').trim();
    if (options.counts) result = result.replace(/^\d+(?= |$)/, '<n>');
    return result;
  });
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
