import type { ApiClientError } from './api-client-error.js';

/**
 * Puts an API validation error under the form input it names; returns false when the error names no
 * input of this form, so the caller shows it above the form instead.
 */
export function applyFieldError(
  error: ApiClientError,
  fields: readonly string[],
  setFieldError: (field: string, message: string) => void,
  /** Where to show it when the form knows better than the API's `field`. */
  field: string | undefined = error.field,
): boolean {
  if (!field || !fields.includes(field)) return false;
  setFieldError(field, error.fieldMessage);
  return true;
}
