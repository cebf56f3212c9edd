// Which names `pnpm new` accepts. Pure: the caller lists what the workspace has.
import { isDNS1035Label } from '@hands-on-knative/knative/dns';

export interface Workspace {
  /** Folder names under apps/. */
  apps: readonly string[];
  /** Folder names under manifests/. */
  manifests: readonly string[];
  /** package.json names of every workspace package, e.g. @hands-on-knative/knative. */
  packageNames: readonly string[];
}

/**
 * Names that would clash with something that is not an app: the workspace's own
 * folders, and `kubernetes`, the API server's Service in the default namespace
 * (a Knative Service's Route makes a Kubernetes Service of the same name).
 */
export const RESERVED_NAMES = ['kubernetes', 'apps', 'packages', 'scripts', 'bench', 'docs', 'manifests', 'templates', 'node-modules', 'dist', 'test'];

/** A name close to what was typed that is a valid label, for the error message. */
export function suggestName(input: string): string | undefined {
  const candidate = input
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+/g, '-')
    .replace(/-+$/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return candidate !== '' && candidate !== input ? candidate : undefined;
}

/** Undefined when `name` can be a new app, else why not and what to do instead. */
export function checkAppName(name: string, workspace: Workspace): string | undefined {
  if (name === '') return 'the name is empty: pnpm new <name>, e.g. pnpm new my-service';
  const problems = isDNS1035Label(name);
  if (problems.length > 0) {
    const suggestion = suggestName(name);
    return (
      `"${name}" cannot name a Knative Service (it becomes the Service, its host name and its image): ${problems.join('; ')}` +
      (suggestion ? `. Try: pnpm new ${suggestion}` : '')
    );
  }
  if (RESERVED_NAMES.includes(name)) return `"${name}" is reserved (${RESERVED_NAMES.join(', ')}): pick another name`;
  if (workspace.apps.includes(name)) return `apps/${name} already exists: pick another name, or edit that app`;
  if (workspace.manifests.includes(name)) return `manifests/${name} already exists: pick another name, or remove that folder first`;
  if (workspace.packageNames.includes(`@hands-on-knative/${name}`)) {
    return `a workspace package is already called @hands-on-knative/${name}: pick another name`;
  }
  return undefined;
}
