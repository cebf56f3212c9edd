// Multi-document YAML in, Kubernetes-shaped objects out, each remembering where it came from.
import { parseAllDocuments } from 'yaml';
import type { AnyObject } from './types.js';

export interface ParsedManifest {
  object: AnyObject;
  file: string;
  /** 0-based index of the YAML document in the file (items of a `kind: List` share it). */
  index: number;
  /** 1-based line where the document starts, for messages. */
  line: number;
}

/** A YAML or shape problem, located as file:line:column. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = 'ManifestError';
  }
}

function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastNewline = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastNewline = i;
    }
  }
  return { line, column: offset - lastNewline };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses every document; empty documents are skipped, `kind: List` is expanded. Throws ManifestError. */
export function parseManifests(text: string, file: string): ParsedManifest[] {
  const documents = parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(documents)) return []; // an empty stream
  const manifests: ParsedManifest[] = [];
  documents.forEach((document, index) => {
    const start = document.range?.[0] ?? 0;
    const error = document.errors[0];
    if (error) {
      const { line, column } = lineColumnAt(text, error.pos[0]);
      throw new ManifestError(file, line, column, error.message.split('\n')[0] ?? error.message);
    }
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    const { line, column } = lineColumnAt(text, firstContentOffset(text, start));
    if (!isPlainObject(value)) {
      throw new ManifestError(file, line, column, `document ${index + 1} is not a Kubernetes object (a mapping with apiVersion, kind, metadata)`);
    }
    if (value.kind === 'List' && Array.isArray(value.items)) {
      for (const item of value.items) {
        if (!isPlainObject(item)) throw new ManifestError(file, line, column, `document ${index + 1}: a List item is not an object`);
        manifests.push({ object: item, file, index, line });
      }
      return;
    }
    manifests.push({ object: value, file, index, line });
  });
  return manifests;
}

// A document's range starts at its leading comments/markers; point at its first real line.
function firstContentOffset(text: string, from: number): number {
  let offset = from;
  for (;;) {
    const end = text.indexOf('\n', offset);
    const line = text.slice(offset, end === -1 ? text.length : end).trim();
    if (line !== '' && !line.startsWith('#') && line !== '---') return offset;
    if (end === -1) return from;
    offset = end + 1;
  }
}
