// The `pnpm <command> --flag` uses of a block, so blocks that cannot run here
// (a real cluster, a registry, Twilio) are still checked against each command's
// --help: a renamed command or flag fails the docs test instead of a reader.

export interface PnpmUse {
  command: string;
  flags: string[];
}

/** pnpm commands of the repo (root scripts) used in a script, with the flags given to each. */
export function pnpmUses(script: string): PnpmUse[] {
  const uses: PnpmUse[] = [];
  for (const line of script.split('\n')) {
    // Each `pnpm <cmd> ...` up to the next pipe, `;`, `&&`, `||` or `)`.
    for (const match of line.matchAll(/(?:^|[\s;&|(])pnpm\s+([a-z][a-z-]*)((?:[^|;&)]|&(?!&))*)/g)) {
      const command = match[1]!;
      const args = match[2]!.replace(/"[^"]*"|'[^']*'/g, ''); // a quoted "-x" is an argument, not a flag
      const flags = [...args.matchAll(/(?:^|\s)(--?[a-zA-Z][\w-]*)/g)].map((m) => m[1]!);
      uses.push({ command, flags: [...new Set(flags)] });
    }
  }
  return uses;
}

/** The flags of a use that the command's --help text does not mention. */
export function flagsMissingFromHelp(use: PnpmUse, help: string): string[] {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return use.flags.filter((flag) => !new RegExp(`(^|[\\s,])${escape(flag)}([\\s,=]|$)`, 'm').test(help));
}
