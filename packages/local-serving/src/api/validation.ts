// The validation hook: the API calls it on every create, update, patch and
// apply of a Knative kind and answers 422 Invalid with what it returns.
import { validateObject } from '@hands-on-knative/knative';
import type { KubeObject } from '../contracts.js';
import type { FieldError } from './status.js';

export type Validate = (object: KubeObject, previous?: KubeObject) => FieldError[];

/**
 * Knative's webhook rules (@hands-on-knative/knative), the default hook. Details
 * (the -old +new diff of "Saw the following changes without a name change")
 * follow the message, as Knative's webhook prints them.
 */
export const knativeValidate: Validate = (object, previous) =>
  validateObject(object, previous).map(({ field, message, reason, details }) => ({
    field,
    message: details ? `${message}\n${details}` : message,
    ...(reason ? { reason } : {}),
  }));
