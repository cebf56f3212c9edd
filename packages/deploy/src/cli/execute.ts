// Runs a parsed command with redacted output and maps failures to exit codes.
// Each command module is imported on demand, so status never loads YAML or image code.
import { ExitCode, exitCodeOf } from '../errors.js';
import type { CommandIO } from '../io.js';
import { redact } from '../redact.js';
import type { CommandName } from './run.js';

export interface ExecuteContext {
  workspaceRoot: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function execute(command: CommandName, options: unknown, context: ExecuteContext): Promise<number> {
  // Secrets learned while running (the kubeconfig's token) are added as soon as known.
  const secrets: string[] = [process.env.REGISTRY_PASSWORD, process.env.TWILIO_AUTH_TOKEN].filter((v): v is string => Boolean(v));
  const io: CommandIO & { addSecrets(values: readonly string[]): void } = {
    out: (line) => context.stdout(`${redact(line, secrets)}\n`),
    err: (line) => context.stderr(`${redact(line, secrets)}\n`),
    addSecrets: (values) => secrets.push(...values),
  };
  try {
    switch (command) {
      case 'apply':
        await (await import('../apply.js')).runApply(options as never, io);
        break;
      case 'traffic':
        await (await import('../traffic.js')).runTraffic(options as never, io);
        break;
      case 'status':
        await (await import('../status.js')).runStatus(options as never, io);
        break;
      case 'delete':
        await (await import('../delete.js')).runDelete(options as never, io);
        break;
      case 'ship':
        await (await import('../ship.js')).runShip(options as never, io, { workspaceRoot: context.workspaceRoot });
        break;
    }
    return ExitCode.ok;
  } catch (error) {
    const code = exitCodeOf(error);
    const message = error instanceof Error ? (code === ExitCode.unexpected ? (error.stack ?? error.message) : error.message) : String(error);
    io.err(`${command}: ${code === ExitCode.unexpected ? 'unexpected error: ' : ''}${message}`);
    return code;
  }
}
