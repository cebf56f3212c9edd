// The structural part of the CRDs' OpenAPI schemas (knative/serving config/core/300-resources/*.yaml):
// types of the fields this project reads, checked before the webhook rules as the API server does,
// with the API server's wording ("<path> in body must be of type integer").
import { fieldError } from './field-errors.js';
import type { AnyObject, FieldError } from './types.js';

type Type = 'object' | 'array' | 'string' | 'integer' | 'boolean' | 'map' | 'any';
interface Schema {
  type: Type;
  properties?: Record<string, Schema>;
  items?: Schema;
  /** For objects: report fields outside `properties` (only where Knative's schema is closed and small). */
  closed?: boolean;
  required?: string[];
}

const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const stringMap: Schema = { type: 'map' };

const metadata: Schema = {
  type: 'object',
  properties: { name: str, generateName: str, namespace: str, labels: stringMap, annotations: stringMap },
};

const envVar: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: str,
    value: str,
    valueFrom: {
      type: 'object',
      properties: {
        secretKeyRef: { type: 'object', required: ['key'], properties: { name: str, key: str, optional: bool } },
        configMapKeyRef: { type: 'object', required: ['key'], properties: { name: str, key: str, optional: bool } },
      },
    },
  },
};

const probe: Schema = {
  type: 'object',
  properties: {
    httpGet: { type: 'object', properties: { path: str } },
    tcpSocket: { type: 'object' },
    periodSeconds: int,
    timeoutSeconds: int,
    failureThreshold: int,
    successThreshold: int,
    initialDelaySeconds: int,
  },
};

const container: Schema = {
  type: 'object',
  properties: {
    name: str,
    image: str,
    args: { type: 'array', items: str },
    command: { type: 'array', items: str },
    env: { type: 'array', items: envVar },
    ports: {
      type: 'array',
      items: { type: 'object', properties: { containerPort: int, name: str, protocol: str } },
    },
    readinessProbe: probe,
    livenessProbe: probe,
  },
};

const revisionSpec: Schema = {
  type: 'object',
  properties: {
    containers: { type: 'array', items: container },
    containerConcurrency: int,
    timeoutSeconds: int,
    serviceAccountName: str,
  },
};

const template: Schema = { type: 'object', closed: true, properties: { metadata, spec: revisionSpec } };

const trafficTarget: Schema = {
  type: 'object',
  closed: true,
  properties: { tag: str, revisionName: str, configurationName: str, latestRevision: bool, percent: int, url: str },
};
const traffic: Schema = { type: 'array', items: trafficTarget };

const root = (spec: Schema): Schema => ({
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata'],
  properties: { apiVersion: str, kind: str, metadata, spec, status: { type: 'object' } },
});

export const schemas: Record<string, Schema> = {
  Service: root({ type: 'object', closed: true, properties: { template, traffic } }),
  Configuration: root({ type: 'object', closed: true, properties: { template } }),
  Route: root({ type: 'object', closed: true, properties: { traffic } }),
  Revision: root(revisionSpec),
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function check(path: string, value: unknown, schema: Schema, out: FieldError[]): void {
  if (value === undefined || schema.type === 'any') return;
  const actual = typeOf(value);
  const wrongType = (expected: string): void => {
    out.push(
      fieldError(path, `Invalid value: ${JSON.stringify(actual)}: ${path} in body must be of type ${expected}: ${JSON.stringify(actual)}`),
    );
  };
  switch (schema.type) {
    case 'string':
    case 'integer':
    case 'boolean':
      if (actual !== schema.type) wrongType(schema.type);
      return;
    case 'map':
      if (actual !== 'object') return wrongType('object');
      for (const [k, v] of Object.entries(value as object)) {
        if (typeof v !== 'string') {
          const at = `${path}[${k}]`;
          out.push(fieldError(at, `Invalid value: ${JSON.stringify(typeOf(v))}: ${at} in body must be of type string: ${JSON.stringify(typeOf(v))}`));
        }
      }
      return;
    case 'array':
      if (actual !== 'array') return wrongType('array');
      (value as unknown[]).forEach((item, i) => schema.items && check(`${path}[${i}]`, item, schema.items, out));
      return;
    case 'object': {
      if (actual !== 'object') return wrongType('object');
      const obj = value as Record<string, unknown>;
      for (const key of schema.required ?? []) {
        if (obj[key] === undefined) out.push(fieldError(path ? `${path}.${key}` : key, 'Required value'));
      }
      for (const [key, v] of Object.entries(obj)) {
        const sub = schema.properties?.[key];
        const at = path ? `${path}.${key}` : key;
        if (sub) check(at, v, sub, out);
        else if (schema.closed) out.push(fieldError(at, `unknown field ${JSON.stringify(at)}`));
      }
    }
  }
}

/** Type errors of the fields Knative's CRD schema declares; [] when the shape is right. */
export function validateSchema(object: AnyObject): FieldError[] {
  const out: FieldError[] = [];
  const kind = typeof object.kind === 'string' ? object.kind : '';
  check('', object, schemas[kind] ?? root({ type: 'any' }), out);
  return out;
}
