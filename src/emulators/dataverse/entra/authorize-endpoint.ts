import { randomUUID } from 'node:crypto';
import { aadsts } from './aadsts-catalog.js';
import { validateAuthorizationRequest, type PendingSignIn } from './authorization-request.js';
import { authorizationErrorResponse, authorizationResponse } from './authorization-response.js';
import { htmlResponse, type EndpointResponse } from './endpoint-response.js';
import { requestIds, type EntraContext } from './entra-context.js';
import { findUser } from './entra-directory.js';
import { aadstsText, entraTimestamp, type AadstsError, type RequestIds } from './entra-error.js';
import { clientInfo } from './id-tokens.js';
import { renderAccountPicker, renderErrorPage } from './sign-in-page.js';
import { resolveTenantPath } from './tenant-path.js';

/**
 * `/{tenant}/oauth2/v2.0/authorize`: GET (or a POST carrying the same parameters, which Entra also
 * accepts) shows the account picker; the picker's POST (it carries `flowToken`) issues the code and
 * returns to the app with `code`, `state`, `client_info` and `session_state`.
 */

export function handleAuthorizeRequest(
  context: EntraContext,
  tenantSegment: string,
  params: URLSearchParams,
  clientRequestId: string | undefined,
): EndpointResponse {
  const ids = requestIds(context, clientRequestId);
  if (resolveTenantPath(context.directory, tenantSegment) === undefined) {
    return errorPage(aadsts.tenantNotFound(tenantSegment, 'invalid_request'), ids);
  }
  const result = validateAuthorizationRequest(context, tenantSegment, params);
  if (result.kind === 'page-error') return errorPage(result.error, ids);
  if (result.kind === 'redirect-error') {
    return authorizationErrorResponse(result.target, result.error, ids);
  }
  const request = result.request;
  const flowToken = context.signInFlows.issue(request, ids.now);
  const html = renderAccountPicker({
    formAction: `/${encodeURIComponent(tenantSegment)}/oauth2/v2.0/authorize`,
    flowToken,
    appName: request.appName,
    directoryName: context.directory.tenantDisplayName,
    users: context.directory.users,
    loginHint: request.loginHint,
  });
  return htmlResponse(200, html, {
    // form-action must also allow the redirect target: browsers apply it to the redirect after submit.
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${originOf(request.redirectUri)}; frame-ancestors 'none'`,
    'x-ms-request-id': ids.traceId,
  });
}

export function handleSignInSubmission(
  context: EntraContext,
  form: URLSearchParams,
  clientRequestId: string | undefined,
): EndpointResponse {
  const ids = requestIds(context, clientRequestId);
  const flow = context.signInFlows.consume(form.get('flowToken') ?? '', ids.now);
  if (flow.status !== 'ok') return errorPage(aadsts.flowTokenExpired(), ids);
  const pending = flow.value;

  if (form.get('cancel') !== null) return authorizationErrorResponse(pending, aadsts.userCancelled(), ids);
  const user = findUser(context.directory, form.get('user') ?? '');
  if (user === undefined) {
    return errorPage(aadsts.userNotFound(form.get('user') ?? '', context.directory.tenantDisplayName), ids);
  }
  if (!user.accountEnabled) return errorPage(aadsts.userDisabled(), ids);

  const sessionId = randomUUID();
  const code = context.authorizationCodes.issue(
    {
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      userObjectId: user.objectId,
      scopes: pending.scopes,
      codeChallenge: pending.codeChallenge,
      nonce: pending.nonce,
      authTime: Math.floor(ids.now / 1000),
      sessionId,
    },
    ids.now,
  );
  return authorizationResponse(
    pending,
    codeFields(pending, code, user.objectId, context.directory.tenantId, sessionId),
  );
}

function codeFields(
  pending: PendingSignIn,
  code: string,
  objectId: string,
  tenantId: string,
  sessionId: string,
): Record<string, string> {
  return {
    code,
    ...(pending.clientInfo ? { client_info: clientInfo(objectId, tenantId) } : {}),
    session_state: sessionId,
  };
}

function errorPage(error: AadstsError, ids: RequestIds): EndpointResponse {
  // Entra answers 200 with its error page; 400 here makes failures visible to scripted clients.
  return htmlResponse(
    400,
    renderErrorPage({
      message: aadstsText(error),
      requestId: ids.traceId,
      correlationId: ids.correlationId,
      timestamp: entraTimestamp(ids.now),
    }),
    {
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-ms-request-id': ids.traceId,
    },
  );
}

function originOf(uri: string): string {
  try {
    const origin = new URL(uri).origin;
    return origin === 'null' ? '' : origin;
  } catch {
    return '';
  }
}
