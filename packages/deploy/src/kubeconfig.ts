// Which kubeconfig a command uses, in kubectl's order: --kubeconfig, then
// KUBECONFIG (a list), then ~/.kube/config. When none of them exists and the
// local serving has written one in its state folder, that one is used (and the
// command says so), so `pnpm start` then `pnpm apply` works on a fresh machine.
// Pure: the caller passes the environment and a file test.
import path from 'node:path';
import { invalidInput } from './errors.js';

/** The cluster, user and context name the local serving writes into its kubeconfig. */
export const LOCAL_SERVING_CLUSTER = 'knative-local';

export interface KubeconfigInputs {
  flag?: string | undefined;
  /** $KUBECONFIG */
  env?: string | undefined;
  /** $HOME */
  home?: string | undefined;
  /** The local serving's state folder (its kubeconfig is `<state>/kubeconfig`). */
  localState?: string | undefined;
  exists: (file: string) => boolean;
  /** path.delimiter of the platform; ':' on Linux and macOS. */
  delimiter?: string;
}

export interface KubeconfigChoice {
  files: string[];
  source: '--kubeconfig' | 'KUBECONFIG' | '~/.kube/config' | 'local serving';
}

export function chooseKubeconfig(input: KubeconfigInputs): KubeconfigChoice {
  if (input.flag !== undefined && input.flag !== '') {
    if (!input.exists(input.flag)) throw invalidInput(`--kubeconfig ${input.flag}: no such file`);
    return { files: [input.flag], source: '--kubeconfig' };
  }
  if (input.env !== undefined && input.env !== '') {
    const files = input.env.split(input.delimiter ?? path.delimiter).filter((f) => f !== '');
    const present = files.filter((f) => input.exists(f));
    if (present.length === 0) throw invalidInput(`KUBECONFIG names ${files.join(', ')}, and none of them exists: fix KUBECONFIG or pass --kubeconfig <file>`);
    return { files: present, source: 'KUBECONFIG' };
  }
  if (input.home) {
    const file = path.join(input.home, '.kube', 'config');
    if (input.exists(file)) return { files: [file], source: '~/.kube/config' };
  }
  if (input.localState) {
    const file = path.join(input.localState, 'kubeconfig');
    if (input.exists(file)) return { files: [file], source: 'local serving' };
  }
  throw invalidInput(
    'no kubeconfig: --kubeconfig was not given, KUBECONFIG is not set and ~/.kube/config does not exist.\n' +
      'Point at a cluster with --kubeconfig <file> (or KUBECONFIG), or start the local serving with pnpm start, which writes one in its state folder.',
  );
}
