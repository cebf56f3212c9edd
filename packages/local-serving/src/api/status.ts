// Every error the API answers is a meta/v1 Status, so kubectl and client-node
// print it the way they print a real API server's.
import { isStoreError, type StoreErrorDetails } from '../store/index.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'InternalError';

const CODES: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  InternalError: 500,
};

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason | '';
  details?: StoreErrorDetails;
  code: number;
}

/** An error that becomes a Status answer. */
export class ApiError extends Error {
  readonly code: number;
  constructor(
    readonly reason: StatusReason,
    message: string,
    readonly details?: StoreErrorDetails,
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = CODES[reason];
  }

  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isStoreError(error)) return new ApiError(error.reason, error.message, error.details);
  // Internal details stay in the server's log, not in the answer.
  return new ApiError('InternalError', 'Internal error occurred: the local API failed to handle the request');
}

export interface FieldError {
  field: string;
  message: string;
  reason?: string;
}

/** A 422 Invalid that kubectl prints as `The Service "x" is invalid:` and one `* field: message` line per cause. */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): ApiError {
  const qualified = group ? `${kind}.${group}` : kind;
  const summary = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join(', ');
  return new ApiError('Invalid', `${qualified} "${name}" is invalid: ${summary}`, {
    name,
    group,
    kind,
    causes: errors.map((e) => ({ reason: e.reason ?? 'FieldValueInvalid', message: e.message, field: e.field })),
  });
}
