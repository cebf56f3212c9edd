// The local serving's controller: Knative's reconcilers over the ObjectStore, driving the DataPlane.
export { createController, type Controller, type ControllerOptions } from './controller.js';
export { resolveEnv, CREATE_CONTAINER_CONFIG_ERROR, type EnvResolution } from './env.js';
export { runtimeSpecFor, servingContainer, DEFAULT_CONTAINER_PORT, type RuntimeSpecResult } from './runtime-spec.js';
export { RoutingTable } from './routing-table.js';
