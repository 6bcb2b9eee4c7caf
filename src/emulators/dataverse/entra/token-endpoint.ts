import { aadsts } from './aadsts-catalog.js';
import { authorizationCodeGrant } from './authorization-code-grant.js';
import { clientCredentialsGrant } from './client-credentials-grant.js';
import { jsonResponse, type EndpointResponse } from './endpoint-response.js';
import { requestIds, type EntraContext } from './entra-context.js';
import { entraErrorBody, type AadstsError, type RequestIds } from './entra-error.js';
import { refreshTokenGrant } from './refresh-token-grant.js';
import { resolveTenantPath } from './tenant-path.js';
import { idTokenIssuer, trimTrailingSlashes } from './token-issuers.js';
import { formValue, type GrantResult, type TokenRequest } from './token-request.js';

/** `POST /{tenant}/oauth2/v2.0/token`. */

export interface TokenRequestHeaders {
  readonly authorization: string | undefined;
  /** msal sends `client-request-id`; Entra echoes it and uses it as the correlation id. */
  readonly clientRequestId: string | undefined;
}

export async function handleTokenRequest(
  context: EntraContext,
  tenantSegment: string,
  form: URLSearchParams,
  headers: TokenRequestHeaders,
): Promise<EndpointResponse> {
  const ids = requestIds(context, headers.clientRequestId);
  const tenant = resolveTenantPath(context.directory, tenantSegment);
  if (tenant === undefined)
    return errorResponse(aadsts.tenantNotFound(tenantSegment, 'invalid_request'), ids);

  const origin = trimTrailingSlashes(context.issuerOrigin());
  const tenantId = context.directory.tenantId;
  const request: TokenRequest = {
    context,
    tenant,
    form,
    authorizationHeader: headers.authorization,
    now: ids.now,
    // msal-node signs aud = the discovered token endpoint; Entra also accepts its tenant-id form and the
    // v1 endpoint, and newer clients use the issuer.
    assertionAudiences: [
      `${origin}/${tenantSegment}/oauth2/v2.0/token`,
      `${origin}/${tenantId}/oauth2/v2.0/token`,
      `${origin}/${tenantId}/oauth2/token`,
      idTokenIssuer(origin, tenantId),
    ],
  };

  const grantType = formValue(form, 'grant_type');
  let result: GrantResult;
  switch (grantType) {
    case undefined:
      result = { ok: false, error: aadsts.missingParameter('grant_type') };
      break;
    case 'client_credentials':
      result = await clientCredentialsGrant(request);
      break;
    case 'authorization_code':
      result = await authorizationCodeGrant(request);
      break;
    case 'refresh_token':
      result = await refreshTokenGrant(request);
      break;
    default:
      result = { ok: false, error: aadsts.unsupportedGrantType(grantType) };
  }
  if (!result.ok) return errorResponse(result.error, ids);
  return jsonResponse(200, result.body, responseHeaders(ids));
}

/** GET and other methods on the token endpoint (Entra: AADSTS900561). */
export function tokenEndpointMethodNotAllowed(
  context: EntraContext,
  method: string,
  clientRequestId: string | undefined,
): EndpointResponse {
  return errorResponse(
    aadsts.methodNotAllowed('POST, OPTIONS', method),
    requestIds(context, clientRequestId),
  );
}

export function errorResponse(error: AadstsError, ids: RequestIds): EndpointResponse {
  return jsonResponse(error.status, entraErrorBody(error, ids), responseHeaders(ids));
}

function responseHeaders(ids: RequestIds): Record<string, string> {
  return { 'x-ms-request-id': ids.traceId, 'client-request-id': ids.correlationId };
}
