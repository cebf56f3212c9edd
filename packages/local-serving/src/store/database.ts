// The SQLite file behind the store. node-sqlite3-wasm is SQLite compiled to
// WebAssembly with a VFS on node:fs: real file I/O, fsync on commit, and no
// native addon to compile for each Node version.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'node-sqlite3-wasm';

export type Database = InstanceType<typeof sqlite3.Database>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS objects (
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (resource, namespace, name)
);
CREATE TABLE IF NOT EXISTS changes (
  rv INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  resource TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT OR IGNORE INTO counters (name, value) VALUES ('resourceVersion', 0);
INSERT OR IGNORE INTO counters (name, value) VALUES ('oldestChange', 1);
`;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Opens (or creates) `<stateDir>/store.db`. One process owns a state folder at
 * a time (store.pid). The WASM VFS locks with a `<db>.lock` directory, which a
 * `kill -9` in the middle of a transaction leaves behind: with the owner dead,
 * it is stale and removed here; SQLite then rolls back the hot journal itself.
 */
export function openDatabase(stateDir: string): { db: Database; release: () => void } {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, 'store.db');
  const pidFile = join(stateDir, 'store.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
      throw new Error(`state folder ${stateDir} is in use by process ${pid}; stop it first or use another state folder`);
    }
  }
  writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
  rmSync(`${file}.lock`, { recursive: true, force: true });
  rmSync(`${file}-journal.lock`, { recursive: true, force: true });
  const db = new sqlite3.Database(file);
  // Rollback journal + FULL sync: a commit is on disk when COMMIT returns.
  // (WAL needs shared memory, which this VFS does not offer.)
  db.exec('PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;');
  db.exec(SCHEMA);
  const release = (): void => {
    if (db.isOpen) db.close();
    rmSync(pidFile, { force: true });
  };
  return { db, release };
}
