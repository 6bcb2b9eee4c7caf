import type { EntraContext } from './entra-context.js';
import type { AadstsError } from './entra-error.js';
import type { TenantPath } from './tenant-path.js';
import type { TokenResponseBody } from './token-response.js';

/** One parsed `POST /{tenant}/oauth2/v2.0/token`, as handed to the grant handlers. */
export interface TokenRequest {
  readonly context: EntraContext;
  readonly tenant: TenantPath;
  /** The form-encoded body (Entra reads parameters only from the body, never the query string). */
  readonly form: URLSearchParams;
  readonly authorizationHeader: string | undefined;
  /** Epoch milliseconds, read once per request. */
  readonly now: number;
  /** Accepted `aud` values of a client assertion sent with this request. */
  readonly assertionAudiences: readonly string[];
}

export type GrantResult =
  | { readonly ok: true; readonly body: TokenResponseBody }
  | { readonly ok: false; readonly error: AadstsError };

export function grantFailure(error: AadstsError): GrantResult {
  return { ok: false, error };
}

export function formValue(form: URLSearchParams, name: string): string | undefined {
  const value = form.get(name);
  return value === null || value === '' ? undefined : value;
}
