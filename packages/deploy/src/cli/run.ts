// The shared shell of the five commands: parse flags, answer --help without
// loading anything heavy, import the command only when it runs, print every line
// through the redactor, and turn failures into one clear message and an exit code.
import path from 'node:path';
import { APPLY_HELP, DELETE_HELP, SHIP_HELP, STATUS_HELP, TRAFFIC_HELP } from './help.js';
import { parseApplyArgs, parseDeleteArgs, parseShipArgs, parseStatusArgs, parseTrafficArgs, UsageError, type Parsed } from './options.js';

export type CommandName = 'apply' | 'traffic' | 'status' | 'delete' | 'ship';

export interface CliContext {
  /** The repository root (the state folder default and ship's manifests are relative to it). */
  workspaceRoot: string;
  argv: readonly string[];
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

const HELP: Record<CommandName, string> = { apply: APPLY_HELP, traffic: TRAFFIC_HELP, status: STATUS_HELP, delete: DELETE_HELP, ship: SHIP_HELP };

/** Runs one command and returns its exit code (the caller sets process.exitCode). */
export async function runCli(command: CommandName, context: CliContext): Promise<number> {
  const stdout = context.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = context.stderr ?? ((t: string) => void process.stderr.write(t));
  const defaults = { stateDir: path.join(context.workspaceRoot, '.knative-local') };
  let parsed: Parsed<unknown>;
  try {
    const parsers = { apply: parseApplyArgs, traffic: parseTrafficArgs, status: parseStatusArgs, delete: parseDeleteArgs, ship: parseShipArgs };
    parsed = parsers[command](context.argv, defaults);
  } catch (error) {
    if (error instanceof UsageError) {
      stderr(`${command}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (parsed.help) {
    stdout(`${HELP[command]}\n`);
    return 0;
  }
  // client-node's dependencies (node-fetch 2) use punycode and url.parse, which Node 22+
  // flags as deprecated on stderr: nothing a user of these commands can act on.
  process.noDeprecation = true;
  const { execute } = await import('./execute.js');
  return execute(command, parsed.options, { workspaceRoot: context.workspaceRoot, stdout, stderr });
}
