// The local Knative Serving: start everything with startLocalServing, or use the parts.
export { startLocalServing, type LocalServing, type LocalServingOptions } from './local-serving.js';
export type * from './contracts.js';
export { startApiServer, type ApiServer, type ApiServerOptions } from './api/index.js';
export { SqliteObjectStore } from './store/index.js';
export { createController, type Controller, type ControllerOptions } from './controller/index.js';
export { createDataPlane, formatLogLine, type LocalDataPlane, type DataPlaneOptions, type RevisionLogLine } from './dataplane/index.js';
