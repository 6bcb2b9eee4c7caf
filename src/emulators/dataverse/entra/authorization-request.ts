import { aadsts } from './aadsts-catalog.js';
import { parseDelegatedScopes } from './dataverse-scopes.js';
import type { EntraContext } from './entra-context.js';
import type { PendingSignIn, RedirectTarget } from './authorization-grant.js';
import { findApplication } from './entra-directory.js';
import type { AadstsError } from './entra-error.js';
import { parseCodeChallenge } from './pkce.js';
import { isRegisteredRedirectUri } from './redirect-uris.js';

/**
 * Validation of `GET|POST /{tenant}/oauth2/v2.0/authorize` (learn.microsoft.com/entra/identity-platform/
 * v2-oauth2-auth-code-flow). As in Entra, problems found before the redirect URI is known to be
 * registered are shown on the page (never redirected — that would be an open redirector); later
 * problems go back to the app as `error` / `error_description` on the redirect URI.
 */
export type {
  AuthorizationGrant,
  PendingSignIn,
  RedirectTarget,
  ResponseMode,
} from './authorization-grant.js';

export type AuthorizationRequestResult =
  | { readonly kind: 'valid'; readonly request: PendingSignIn }
  | { readonly kind: 'page-error'; readonly error: AadstsError }
  | { readonly kind: 'redirect-error'; readonly error: AadstsError; readonly target: RedirectTarget };

export function validateAuthorizationRequest(
  context: EntraContext,
  tenantSegment: string,
  params: URLSearchParams,
): AuthorizationRequestResult {
  const value = (name: string): string | undefined => {
    const raw = params.get(name);
    return raw === null || raw === '' ? undefined : raw;
  };
  const pageError = (error: AadstsError): AuthorizationRequestResult => ({ kind: 'page-error', error });

  const clientId = value('client_id');
  if (clientId === undefined) return pageError(aadsts.missingParameter('client_id'));
  const app = findApplication(context.directory, clientId);
  if (app === undefined) {
    return pageError(aadsts.applicationNotFound(clientId, context.directory.tenantDisplayName));
  }
  if (!app.enabled) return pageError(aadsts.applicationDisabled(app.clientId));
  const redirectUri = value('redirect_uri');
  if (redirectUri === undefined) return pageError(aadsts.missingParameter('redirect_uri'));
  if (!isRegisteredRedirectUri(app, redirectUri)) {
    return pageError(aadsts.redirectUriNotRegistered(redirectUri, app.clientId));
  }
  const requestedMode = value('response_mode') ?? 'query';
  if (requestedMode !== 'query' && requestedMode !== 'fragment' && requestedMode !== 'form_post') {
    return pageError(aadsts.unsupportedResponseMode(requestedMode));
  }
  const target: RedirectTarget = { redirectUri, responseMode: requestedMode, state: value('state') };
  const redirectError = (error: AadstsError): AuthorizationRequestResult => ({
    kind: 'redirect-error',
    error,
    target,
  });

  const responseType = value('response_type');
  if (responseType === undefined) return redirectError(aadsts.missingParameter('response_type'));
  if (responseType !== 'code') return redirectError(aadsts.unsupportedResponseType(responseType));
  const scope = value('scope');
  if (scope === undefined) return redirectError(aadsts.missingParameter('scope'));
  const scopes = parseDelegatedScopes(scope, {
    environmentUrl: context.environmentUrl(),
    directoryName: context.directory.tenantDisplayName,
    appName: app.displayName,
  });
  if (!scopes.ok) return redirectError(scopes.error);
  const pkce = parseCodeChallenge(value('code_challenge'), value('code_challenge_method'));
  if (!pkce.ok) return redirectError(pkce.error);
  // There is no SSO session to reuse, so a silent request cannot succeed (Entra: AADSTS50058).
  if (value('prompt') === 'none') return redirectError(aadsts.loginRequired());

  return {
    kind: 'valid',
    request: {
      ...target,
      tenantSegment,
      clientId: app.clientId,
      appName: app.displayName,
      nonce: value('nonce'),
      scopes: scopes.value,
      codeChallenge: pkce.challenge,
      clientInfo: value('client_info') === '1',
      loginHint: value('login_hint'),
    },
  };
}
