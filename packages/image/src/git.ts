// The git facts for the OCI labels: where the source lives and which commit.
import { execFileSync } from 'node:child_process';

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `https://host/owner/repo` from an ssh or https remote; credentials in the URL are dropped. */
export function publicSourceUrl(remote: string | undefined): string | undefined {
  if (!remote) return undefined;
  const ssh = /^(?:ssh:\/\/)?git@([^:/]+)[:/](.+?)(?:\.git)?$/.exec(remote);
  if (ssh) return `https://${ssh[1]}/${ssh[2]}`;
  try {
    const url = new URL(remote);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\.git$/, '');
  } catch {
    return undefined;
  }
}

export function gitRevision(dir: string): string | undefined {
  return git(['rev-parse', 'HEAD'], dir);
}

export function gitSourceUrl(dir: string): string | undefined {
  return publicSourceUrl(git(['config', '--get', 'remote.origin.url'], dir));
}
