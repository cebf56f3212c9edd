// Connecting as every command does: load the kubeconfig, say which one when it is
// the local serving's fallback, and mask its credentials in everything printed.
import { Cluster } from './cluster.js';
import type { ClusterFlags } from './cli/options.js';
import type { CommandIO } from './io.js';

export function connect(flags: ClusterFlags, io: CommandIO): Cluster {
  const cluster = Cluster.connect(flags);
  io.addSecrets?.(cluster.secrets);
  if (cluster.kubeconfig.source === 'local serving') {
    io.err(`Using the local serving's kubeconfig ${cluster.kubeconfig.files[0]} (no --kubeconfig, KUBECONFIG or ~/.kube/config).`);
  }
  return cluster;
}
