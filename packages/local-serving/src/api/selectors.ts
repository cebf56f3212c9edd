// Label and field selectors as kubectl sends them (verbatim query strings).
import type { KubeObject } from '../contracts.js';
import { ApiError } from './status.js';

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export type Selector = (labels: Record<string, string>) => boolean;

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

function parseTerm(term: string): Requirement {
  const bad = (): never => {
    throw new ApiError('BadRequest', `unable to parse requirement: invalid label selector term "${term}"`);
  };
  const checkKey = (key: string): string => (KEY.test(key) ? key : bad());
  const checkValue = (value: string): string => (VALUE.test(value) ? value : bad());
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (set) {
    const values = set[3]!.split(',').map((v) => checkValue(v.trim()));
    return { key: checkKey(set[1]!), op: set[2] as 'in' | 'notin', values };
  }
  const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (eq) {
    const op = eq[2] === '!=' ? 'notin' : 'in';
    return { key: checkKey(eq[1]!), op, values: [checkValue(eq[3]!)] };
  }
  if (term.startsWith('!')) return { key: checkKey(term.slice(1).trim()), op: '!exists' };
  return { key: checkKey(term), op: 'exists' };
}

export function parseLabelSelector(selector: string | undefined | null): Selector {
  const requirements = splitTerms(selector ?? '').map(parseTerm);
  return (labels) =>
    requirements.every((r) => {
      const has = Object.hasOwn(labels, r.key);
      switch (r.op) {
        case 'exists':
          return has;
        case '!exists':
          return !has;
        case 'in':
          return has && r.values.includes(labels[r.key]!);
        case 'notin':
          return !has || !r.values.includes(labels[r.key]!);
      }
    });
}

const FIELDS: Record<string, (object: KubeObject) => string | undefined> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

export type FieldSelector = (object: KubeObject) => boolean;

/** metadata.name and metadata.namespace, with =, == and !=, the fields every resource supports. */
export function parseFieldSelector(selector: string | undefined | null, extraFields: Record<string, (o: KubeObject) => string | undefined> = {}): FieldSelector {
  const fields = { ...FIELDS, ...extraFields };
  const checks = splitTerms(selector ?? '').map((term) => {
    const match = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match) throw new ApiError('BadRequest', `invalid field selector: "${term}"`);
    const [, field, op, value] = match as unknown as [string, string, string, string];
    const read = fields[field];
    if (!read) throw new ApiError('BadRequest', `field label not supported: ${field}`);
    return (object: KubeObject) => (read(object) === value) === (op !== '!=');
  });
  return (object) => checks.every((check) => check(object));
}

export function objectMatches(object: KubeObject, labels: Selector, fields: FieldSelector): boolean {
  return labels(object.metadata.labels ?? {}) && fields(object);
}
