// pnpm delete: delete Services (Knative's owner references take the rest), optionally waiting until they are gone.
import type { DeleteOptions } from './cli/options.js';
import { timedOut } from './errors.js';
import type { CommandIO } from './io.js';
import { SERVICES } from './resources.js';
import { connect } from './session.js';

export async function runDelete(options: DeleteOptions, io: CommandIO): Promise<void> {
  const now = io.now ?? Date.now;
  const cluster = connect(options, io);
  const namespace = cluster.namespace;
  for (const name of options.services) {
    await cluster.delete(SERVICES, name, namespace);
    if (options.wait) {
      const deadline = now() + options.timeoutSeconds * 1000;
      while (await cluster.find(SERVICES, name, namespace)) {
        if (now() >= deadline) throw timedOut(`timeout: service '${name}' still exists after ${options.timeoutSeconds} seconds (its finalizers may be stuck); see pnpm status -n ${namespace}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    // kn's wording.
    io.out(`Service '${name}' successfully deleted in namespace '${namespace}'.`);
  }
}
