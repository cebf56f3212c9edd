// The Kubernetes-shaped API of the local Knative Serving: start it over a store.
export { startApiServer } from './server.js';
export type { ApiServer, ApiServerOptions } from './server.js';
export { knativeValidate } from './validation.js';
export type { Validate } from './validation.js';
export type { FieldError } from './status.js';
export { emptyPodSource, podName } from './pods.js';
export type { PodInfo, PodSource } from './pods.js';
export { credentialFiles, KUBECONFIG_NAME } from './credentials.js';
export { SqliteObjectStore, StoreError, isStoreError } from '../store/index.js';
export type { ChangeEvent, SqliteObjectStoreOptions, WriteOptions } from '../store/index.js';
