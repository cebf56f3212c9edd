// Relative links of a page ([text](../../apps/helloworld), [next](02-….md#part)),
// so a test can check they still point at something: files move, pages must follow.

export interface PageLink {
  line: number;
  target: string;
}

/** Relative link targets outside code blocks, without their #fragment. */
export function relativeLinks(text: string): PageLink[] {
  const links: PageLink[] = [];
  let fence: string | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker))) {
      fence = fence === undefined ? marker : undefined;
      return;
    }
    if (fence !== undefined) return;
    for (const match of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!.split('#')[0]!;
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // same-page anchors, http:, mailto:
      links.push({ line: index + 1, target });
    }
  });
  return links;
}
