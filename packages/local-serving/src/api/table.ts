// meta.k8s.io/v1 Table answers for `kubectl get`, with Knative's printer
// columns (its CRDs' additionalPrinterColumns) and the core kinds' usual ones.
import type { KubeObject } from '../contracts.js';
import { isPlainObject } from '../store/index.js';

export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'date';
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion: string };
  columnDefinitions: ColumnDefinition[];
  rows: TableRow[];
}

type Cell = (object: KubeObject, now: Date) => unknown;

const column = (name: string, description: string, cell: Cell, extra: Partial<ColumnDefinition> = {}): [ColumnDefinition, Cell] => [
  { name, type: 'string', format: '', description, priority: 0, ...extra },
  cell,
];

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

function status(object: KubeObject): Record<string, unknown> {
  return isPlainObject(object.status) ? object.status : {};
}

function readyCondition(object: KubeObject): Record<string, unknown> {
  const conditions = status(object).conditions;
  const ready = Array.isArray(conditions) ? conditions.find((c) => isPlainObject(c) && c.type === 'Ready') : undefined;
  return isPlainObject(ready) ? ready : {};
}

/** Kubernetes' HumanDuration: 45s, 5m30s, 3h, 2d5h, 400d, 3y20d. */
export function humanDuration(seconds: number): string {
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  const s = Math.floor(seconds);
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  const y = Math.floor(h / (24 * 365));
  const d = Math.floor(h / 24) - y * 365;
  if (y < 8) return d === 0 ? `${y}y` : `${y}y${d}d`;
  return `${y}y`;
}

const age = (object: KubeObject, now: Date): string => {
  const created = Date.parse(String(object.metadata.creationTimestamp ?? ''));
  return Number.isNaN(created) ? '<unknown>' : humanDuration((now.getTime() - created) / 1000);
};

const name = column('Name', 'Name must be unique within a namespace.', (o) => o.metadata.name, { format: 'name' });
const ready = column('Ready', 'The Ready condition status.', (o) => str(readyCondition(o).status));
const reason = column('Reason', 'The Ready condition reason.', (o) => str(readyCondition(o).reason));
const url = column('URL', 'The URL where the service is reachable.', (o) => str(status(o).url));
const latestCreated = column('LatestCreated', 'The latest revision created.', (o) => str(status(o).latestCreatedRevisionName));
const latestReady = column('LatestReady', 'The latest revision that is ready.', (o) => str(status(o).latestReadyRevisionName));
const ageColumn = column('Age', 'Time since the object was created.', age, { type: 'date' });

const COLUMNS: Record<string, [ColumnDefinition, Cell][]> = {
  services: [name, url, latestCreated, latestReady, ready, reason],
  configurations: [name, latestCreated, latestReady, ready, reason],
  revisions: [
    name,
    column('Config Name', 'The configuration of the revision.', (o) => str(o.metadata.labels?.['serving.knative.dev/configuration'])),
    column('Generation', 'The configuration generation the revision was made from.', (o) =>
      str(o.metadata.labels?.['serving.knative.dev/configurationGeneration']),
    ),
    ready,
    reason,
    column('Actual Replicas', 'Processes running.', (o) => str(status(o).actualReplicas), { type: 'integer' }),
    column('Desired Replicas', 'Processes wanted.', (o) => str(status(o).desiredReplicas), { type: 'integer' }),
  ],
  routes: [name, url, ready, reason],
  secrets: [
    name,
    column('Type', 'The type of secret.', (o) => str(o.type)),
    column('Data', 'The number of keys in the secret.', (o) => Object.keys(o.data ?? {}).length, { type: 'integer' }),
    ageColumn,
  ],
  namespaces: [name, column('Status', 'The namespace phase.', (o) => str(status(o).phase)), ageColumn],
  pods: [
    name,
    column('Ready', 'Ready containers.', (o) => {
      const statuses = (status(o).containerStatuses as { ready?: boolean }[] | undefined) ?? [];
      return `${statuses.filter((c) => c.ready).length}/${statuses.length}`;
    }),
    column('Status', 'The pod phase.', (o) => str(status(o).phase)),
    column('Restarts', 'Container restarts.', (o) =>
      ((status(o).containerStatuses as { restartCount?: number }[] | undefined) ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
    { type: 'integer' }),
    ageColumn,
    column('IP', 'The pod address.', (o) => str(status(o).podIP), { priority: 1 }),
    column('Node', 'Where the pod runs.', (o) => str((o.spec as { nodeName?: string } | undefined)?.nodeName), { priority: 1 }),
  ],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function tableOf(
  resource: string,
  objects: KubeObject[],
  resourceVersion: string,
  options: { now?: Date; includeObject?: IncludeObject; withColumns?: boolean } = {},
): Table {
  const columns = COLUMNS[resource] ?? [name, ageColumn];
  const now = options.now ?? new Date();
  const include = options.includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: options.withColumns === false ? [] : columns.map(([definition]) => definition),
    rows: objects.map((object) => ({
      cells: columns.map(([, cell]) => cell(object, now)),
      ...(include === 'None'
        ? {}
        : {
            object:
              include === 'Object'
                ? object
                : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata },
          }),
    })),
  };
}
