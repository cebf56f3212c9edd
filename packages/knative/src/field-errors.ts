// Constructors with the messages of knative.dev/pkg apis/field_error.go, so our
// validation reads like Knative's webhook. Paths are joined as FieldError.Error() does.
import type { FieldError } from './types.js';

export const fieldError = (field: string | string[], message: string, details?: string): FieldError => {
  const error: FieldError = { field: Array.isArray(field) ? field.join(', ') : field, message };
  if (details !== undefined) error.details = details;
  return error;
};

export const errMissingField = (...fields: string[]): FieldError =>
  fieldError(fields, 'missing field(s)');

export const errDisallowedFields = (...fields: string[]): FieldError =>
  fieldError(fields, 'must not set the field(s)');

export const errInvalidValue = (value: unknown, field: string, details?: string): FieldError =>
  fieldError(field, `invalid value: ${String(value)}`, details);

export const errMissingOneOf = (...fields: string[]): FieldError =>
  fieldError(fields, 'expected exactly one, got neither');

export const errMultipleOneOf = (...fields: string[]): FieldError =>
  fieldError(fields, 'expected exactly one, got both');

export const errInvalidKeyName = (key: string, field: string, details?: string): FieldError =>
  fieldError(field, `invalid key name ${JSON.stringify(key)}`, details);

export const errOutOfBoundsValue = (value: unknown, lower: unknown, upper: unknown, field: string): FieldError =>
  fieldError(field, `expected ${String(lower)} <= ${String(value)} <= ${String(upper)}`);

/** Prefix a path the way FieldError.ViaField does ("spec" + "traffic[0]" -> "spec.traffic[0]"). */
export function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

export function via(prefix: string, errors: readonly FieldError[]): FieldError[] {
  return errors.map((e) => ({
    ...e,
    field: e.field
      .split(', ')
      .map((p) => joinPath(prefix, p))
      .join(', '),
  }));
}

/** Knative's FieldError.Error(): one "message: paths" line per error, details below it. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors
    .map((e) => (e.details ? `${e.message}: ${e.field}\n${e.details}` : `${e.message}: ${e.field}`))
    .join('\n');
}

/** The text kubectl prints when Knative's validating webhook rejects an object. */
export function webhookDenialMessage(errors: readonly FieldError[]): string {
  return `admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed: ${formatFieldErrors(errors)}`;
}
