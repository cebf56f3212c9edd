// The processes a local serving started, recorded in its state folder, so that
// the next start can stop those a `kill -9` (or a crash, or a lost terminal)
// left behind: revision processes run in their own process groups and are not
// taken down with their parent.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const PROCESSES_FILE = 'processes.json';

export interface RecordedProcess {
  pid: number;
  revision: string;
}

export function recordProcesses(stateDir: string, processes: readonly RecordedProcess[]): void {
  const file = path.join(stateDir, PROCESSES_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(processes)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

function readRecorded(stateDir: string): RecordedProcess[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path.join(stateDir, PROCESSES_FILE), 'utf8'));
    return Array.isArray(parsed)
      ? parsed.filter((p): p is RecordedProcess => Number.isInteger(p?.pid) && p.pid > 1 && typeof p?.revision === 'string')
      : [];
  } catch {
    return [];
  }
}

/**
 * True only when `pid` is still the revision process we recorded: the pid may
 * have been reused since (after a reboot, say), and an unrelated process must
 * never be signalled. Reads /proc; elsewhere nothing is confirmed.
 */
function isOurs(entry: RecordedProcess): boolean {
  try {
    const environ = readFileSync(`/proc/${entry.pid}/environ`, 'latin1').split('\0');
    return environ.includes(`K_REVISION=${entry.revision}`);
  } catch {
    return false;
  }
}

/** Stops the recorded processes that still run (SIGTERM to their group, SIGKILL after the grace). Returns how many. */
export async function stopLeftovers(stateDir: string, graceMs = 5000): Promise<number> {
  const alive = readRecorded(stateDir).filter(isOurs);
  for (const entry of alive) signalGroup(entry.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive.some(isOurs) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const entry of alive) if (isOurs(entry)) signalGroup(entry.pid, 'SIGKILL');
  recordProcesses(stateDir, []);
  return alive.length;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
