export { SqliteObjectStore, qualifiedName, byNamespaceAndName } from './object-store.js';
export type { ChangeEvent, WriteOptions, DeleteOptions, SqliteObjectStoreOptions } from './object-store.js';
export { StoreError, isStoreError } from './errors.js';
export type { StoreErrorReason, StoreErrorDetails } from './errors.js';
export { RESOURCES, RESOURCE_NAMES, resourceForKind } from './resources.js';
export type { ResourceInfo } from './resources.js';
export * from './managed-fields.js';
export { deepEqual, clone, isPlainObject } from './values.js';
export type { JsonObject } from './values.js';
