// A deterministic tar writer (POSIX ustar + pax for long names). Written here
// rather than taken from a library because every byte must be under control
// for reproducible digests: sorted entries, fixed owner, modes and mtime.

export type TarEntry =
  | { type: 'file'; path: string; content: Uint8Array; mode?: number }
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'symlink'; path: string; target: string };

export interface TarOptions {
  /** Seconds since the epoch written as every entry's mtime (SOURCE_DATE_EPOCH or 0). */
  mtime: number;
}

const BLOCK = 512;

/** Normalizes to `a/b/c` (no leading `/` or `./`, no trailing `/`), rejecting `..`. */
export function normalizeTarPath(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.length === 0 || parts.includes('..')) throw new Error(`invalid path in layer: ${path}`);
  return parts.join('/');
}

/**
 * Adds the missing parent directories, drops duplicates (last one wins) and
 * sorts by path, so the order of the input never changes the output.
 */
export function completeEntries(entries: readonly TarEntry[]): TarEntry[] {
  const byPath = new Map<string, TarEntry>();
  for (const entry of entries) {
    const path = normalizeTarPath(entry.path);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!byPath.has(parent)) byPath.set(parent, { type: 'dir', path: parent });
    }
    byPath.set(path, { ...entry, path });
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The bytes of a tar archive holding `entries` (completed and sorted first). */
export function createTar(entries: readonly TarEntry[], options: TarOptions): Buffer {
  const chunks: Buffer[] = [];
  for (const entry of completeEntries(entries)) {
    const name = entry.type === 'dir' ? `${entry.path}/` : entry.path;
    const content = entry.type === 'file' ? Buffer.from(entry.content) : Buffer.alloc(0);
    const split = splitUstarName(name);
    if (!split || (entry.type === 'symlink' && Buffer.byteLength(entry.target) > 100)) {
      const records = [paxRecord('path', name)];
      if (entry.type === 'symlink') records.push(paxRecord('linkpath', entry.target));
      const pax = Buffer.concat(records);
      chunks.push(header({ name: 'PaxHeaders/entry', prefix: '', size: pax.length, type: 'x', mode: 0o644, mtime: options.mtime, linkname: '' }));
      chunks.push(pad(pax));
    }
    const { prefix, base } = split ?? { prefix: '', base: name.slice(-99) };
    const mode = entry.type === 'file' ? (entry.mode ?? 0o644) : entry.type === 'dir' ? (entry.mode ?? 0o755) : 0o777;
    const type = entry.type === 'file' ? '0' : entry.type === 'dir' ? '5' : '2';
    const linkname = entry.type === 'symlink' ? entry.target.slice(0, 100) : '';
    chunks.push(header({ name: base, prefix, size: content.length, type, mode, mtime: options.mtime, linkname }));
    if (content.length > 0) chunks.push(pad(content));
  }
  chunks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(chunks);
}

function splitUstarName(name: string): { prefix: string; base: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', base: name };
  // ustar can hold up to 155 + 1 + 100 bytes split at a `/`.
  for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const base = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100 && base !== '') return { prefix, base };
  }
  return undefined;
}

function paxRecord(key: string, value: string): Buffer {
  // A record is `<length> <key>=<value>\n` where the length counts its own digits.
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let length = bodyLength + 1;
  while (String(length).length + bodyLength !== length) length = String(length).length + bodyLength;
  return Buffer.from(`${length}${body}`);
}

function pad(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rest)]);
}

interface Header {
  name: string;
  prefix: string;
  size: number;
  type: string;
  mode: number;
  mtime: number;
  linkname: string;
}

function header(h: Header): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(h.name, 0, 100, 'utf8');
  writeOctal(block, h.mode, 100, 8);
  writeOctal(block, 0, 108, 8); // uid root: the app files are read-only for the non-root user
  writeOctal(block, 0, 116, 8); // gid
  writeOctal(block, h.size, 124, 12);
  writeOctal(block, h.mtime, 136, 12);
  block.fill(' ', 148, 156);
  block.write(h.type, 156, 1, 'ascii');
  block.write(h.linkname, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 8, 'ascii');
  block.write(h.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  const text = value.toString(8).padStart(length - 1, '0');
  if (text.length > length - 1) throw new Error(`tar field too large: ${value}`);
  block.write(`${text}\u0000`, offset, length, 'ascii');
}
