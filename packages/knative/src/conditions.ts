// Knative's "living" condition sets (knative.dev/pkg apis/condition_set.go): a top-level
// Ready condition derived from its dependents. Time is passed in; lastTransitionTime only
// moves when a condition's status changes.
import type { Condition, ConditionStatus } from './types.js';

export const READY = 'Ready';

export const ServiceConditions = { ready: READY, configurationsReady: 'ConfigurationsReady', routesReady: 'RoutesReady' } as const;
export const RouteConditions = {
  ready: READY,
  allTrafficAssigned: 'AllTrafficAssigned',
  ingressReady: 'IngressReady',
  certificateProvisioned: 'CertificateProvisioned',
} as const;
export const RevisionConditions = {
  ready: READY,
  resourcesAvailable: 'ResourcesAvailable',
  containerHealthy: 'ContainerHealthy',
  active: 'Active',
} as const;

/** Dependents of Ready per kind (service_lifecycle.go, route_lifecycle.go, revision_lifecycle.go, configuration_lifecycle.go). */
export const CONDITION_SETS = {
  Service: [ServiceConditions.configurationsReady, ServiceConditions.routesReady],
  Configuration: [],
  Route: [RouteConditions.allTrafficAssigned, RouteConditions.ingressReady, RouteConditions.certificateProvisioned],
  Revision: [RevisionConditions.resourcesAvailable, RevisionConditions.containerHealthy],
} as const satisfies Record<string, readonly string[]>;

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** A mutable view over a conditions list, like ConditionManager. */
export class ConditionManager {
  readonly conditions: Condition[];

  constructor(
    existing: readonly Condition[] | undefined,
    private readonly dependents: readonly string[],
    private readonly now: string,
  ) {
    this.conditions = (existing ?? []).map((c) => ({ ...c }));
  }

  get(type: string): Condition | undefined {
    return getCondition(this.conditions, type);
  }

  /** InitializeConditions: Ready and every dependent present, Unknown when absent. */
  initialize(): this {
    for (const type of [READY, ...this.dependents]) {
      if (!this.get(type)) this.set(type, 'Unknown');
    }
    return this;
  }

  private set(type: string, status: ConditionStatus, reason?: string, message?: string, severity?: Condition['severity']): void {
    const previous = this.get(type);
    const next: Condition = { type, status };
    if (severity) next.severity = severity;
    if (reason) next.reason = reason;
    if (message) next.message = message;
    next.lastTransitionTime = previous && previous.status === status ? previous.lastTransitionTime ?? this.now : this.now;
    if (previous) this.conditions.splice(this.conditions.indexOf(previous), 1, next);
    else this.conditions.push(next);
    this.conditions.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  }

  private isDependent(type: string): boolean {
    return this.dependents.includes(type);
  }

  /** Recompute Ready from the dependents: the first False wins, then the first Unknown. */
  private recomputeReady(): void {
    if (this.dependents.length === 0) return;
    const deps = this.dependents.map((t) => this.get(t));
    const failed = deps.find((c) => c?.status === 'False');
    if (failed) return this.set(READY, 'False', failed.reason, failed.message);
    const unknown = deps.find((c) => !c || c.status === 'Unknown');
    if (unknown) return this.set(READY, 'Unknown', unknown.reason, unknown.message);
    this.set(READY, 'True');
  }

  markTrue(type: string, reason?: string, message?: string): this {
    this.set(type, 'True', reason, message, type === READY || this.isDependent(type) ? undefined : 'Info');
    if (this.isDependent(type)) this.recomputeReady();
    return this;
  }

  markFalse(type: string, reason: string, message: string): this {
    this.set(type, 'False', reason, message, type === READY || this.isDependent(type) ? undefined : 'Info');
    if (this.isDependent(type)) this.recomputeReady();
    return this;
  }

  markUnknown(type: string, reason?: string, message?: string): this {
    this.set(type, 'Unknown', reason, message, type === READY || this.isDependent(type) ? undefined : 'Info');
    if (this.isDependent(type)) this.recomputeReady();
    return this;
  }
}
