// The data plane of the local serving: revisions as local processes, one ingress, autoscaling.
export { createDataPlane, type LocalDataPlane } from './data-plane.js';
export { formatLogLine, writeLogsTo, type DataPlaneOptions, type RevisionLogLine } from './options.js';
export type { DockerOptions } from './launch.js';
export { imageRepositoryName, resolveImage, type AppResolution, type WorkspaceApp } from './image-to-app.js';
export { listWorkspaceApps } from './workspace-apps.js';
export type { RevisionProcess } from './revision.js';
