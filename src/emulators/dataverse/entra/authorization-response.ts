import { randomBytes } from 'node:crypto';
import type { RedirectTarget } from './authorization-request.js';
import { htmlResponse, redirectResponse, type EndpointResponse } from './endpoint-response.js';
import { aadstsText, entraTimestamp, type AadstsError, type RequestIds } from './entra-error.js';
import { renderFormPost } from './sign-in-page.js';

/**
 * Delivers the authorize result to the app as the request's `response_mode` asks: `query` (msal-node's
 * default) and `fragment` as a 302, `form_post` as an auto-submitting form.
 */
export function authorizationResponse(
  target: RedirectTarget,
  fields: Readonly<Record<string, string>>,
): EndpointResponse {
  const withState: Record<string, string> = {
    ...fields,
    ...(target.state === undefined ? {} : { state: target.state }),
  };
  if (target.responseMode === 'form_post') {
    const nonce = randomBytes(16).toString('base64');
    return htmlResponse(200, renderFormPost(target.redirectUri, withState, nonce), {
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; form-action ${formActionSource(target.redirectUri)}`,
    });
  }
  const encoded = new URLSearchParams(withState).toString();
  if (target.responseMode === 'fragment') {
    return redirectResponse(`${target.redirectUri.split('#')[0] ?? target.redirectUri}#${encoded}`);
  }
  const separator = target.redirectUri.includes('?') ? '&' : '?';
  return redirectResponse(`${target.redirectUri}${separator}${encoded}`);
}

/** Entra's redirect-borne error: error, error_description (with ids, like the JSON form), state. */
export function authorizationErrorResponse(
  target: RedirectTarget,
  error: AadstsError,
  ids: RequestIds,
): EndpointResponse {
  const timestamp = entraTimestamp(ids.now);
  return authorizationResponse(target, {
    error: error.error,
    error_description: `${aadstsText(error)}\r\nTrace ID: ${ids.traceId}\r\nCorrelation ID: ${ids.correlationId}\r\nTimestamp: ${timestamp}`,
    error_uri: `https://login.microsoftonline.com/error?code=${error.code}`,
  });
}

function formActionSource(redirectUri: string): string {
  try {
    return new URL(redirectUri).origin;
  } catch {
    return "'none'";
  }
}
