import { aadstsError, entraIsoTime, type AadstsError } from './entra-error.js';

/**
 * The AADSTS errors the emulator produces. Codes and `error` values are Entra's; texts follow real
 * responses quoted in public issue threads where one was found (noted "seen"), otherwise the summary in
 * MicrosoftDocs/entra-docs docs/identity-platform/reference-error-codes.md ("doc"). Clients must not
 * parse these texts (the doc says so too); tests may match the AADSTS number.
 */

const CERT_DOCS =
  'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .';

function graphKeysHint(clientId: string): string {
  return (
    `Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. ` +
    'Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and ' +
    'https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, ' +
    `such as 'https://graph.microsoft.com/beta/applications/${clientId}'`
  );
}

export const aadsts = {
  // ---- request shape -------------------------------------------------------------------------------
  /** seen (token endpoint, invalid_request). */
  missingParameter: (name: string): AadstsError =>
    aadstsError(
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  /** doc: InvalidRequest - Request is malformed or invalid. */
  malformedRequest: (): AadstsError =>
    aadstsError('invalid_request', 9002313, 'Invalid request. Request is malformed or invalid.'),
  /** doc: BadResourceRequestInvalidRequest. */
  methodNotAllowed: (allowed: string, received: string): AadstsError =>
    aadstsError(
      'invalid_request',
      900561,
      `The endpoint only accepts ${allowed} requests. Received a ${received} request.`,
    ),
  /** doc: InvalidRequestParameter. */
  invalidParameter: (name: string): AadstsError =>
    aadstsError('invalid_request', 90100, `${name} parameter is empty or not valid.`),

  // ---- tenant --------------------------------------------------------------------------------------
  /** seen; discovery answers `invalid_tenant`, the token endpoint `invalid_request`. */
  tenantNotFound: (tenant: string, error: 'invalid_tenant' | 'invalid_request'): AadstsError =>
    aadstsError(
      error,
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. ` +
        'Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.',
    ),
  /** doc: MissingTenantRealmAndNoUserInformationProvided (client credentials over /common, /organizations). */
  noTenantInformation: (): AadstsError =>
    aadstsError(
      'invalid_request',
      50059,
      'No tenant-identifying information found in either the request or implied by any provided credentials.',
    ),

  // ---- client --------------------------------------------------------------------------------------
  /** seen (unauthorized_client, 400). */
  applicationNotFound: (clientId: string, directoryName: string): AadstsError =>
    aadstsError(
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${directoryName}'. ` +
        'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
        'You may have sent your authentication request to the wrong tenant.',
    ),
  /** doc: UnauthorizedClientApplicationDisabled. */
  applicationDisabled: (clientId: string): AadstsError =>
    aadstsError('unauthorized_client', 7000112, `Application '${clientId}' is disabled.`),
  /** seen (invalid_client, 401). */
  invalidClientSecret: (clientId: string): AadstsError =>
    aadstsError(
      'invalid_client',
      7000215,
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, ' +
        `not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  /** doc: InvalidClientSecretExpiredKeysProvided. */
  expiredClientSecret: (clientId: string): AadstsError =>
    aadstsError(
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: ` +
        'https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.',
    ),
  /** doc. */
  missingClientCredential: (): AadstsError =>
    aadstsError(
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  /** doc: InvalidClientPublicClientWithCredential. */
  publicClientWithCredential: (): AadstsError =>
    aadstsError(
      'invalid_client',
      700025,
      "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
    ),

  // ---- client assertion (certificate credential) ---------------------------------------------------
  /** doc: InvalidJwtToken. */
  malformedClientAssertion: (detail: string): AadstsError =>
    aadstsError('invalid_client', 50027, `JWT token is invalid or malformed. ${detail}`),
  /** seen (historic wording). */
  clientAssertionWithoutThumbprint: (): AadstsError =>
    aadstsError(
      'invalid_client',
      50027,
      'Invalid JWT token. No certificate thumbprint specified in token header.',
    ),
  /** seen. */
  clientAssertionKeyNotFound: (thumbprintHex: string, clientId: string): AadstsError =>
    aadstsError(
      'invalid_client',
      700027,
      'The certificate with identifier used to sign the client assertion is not registered on application. ' +
        `[Reason - The key was not found., Thumbprint of key used by client: '${thumbprintHex}', ${graphKeysHint(clientId)}].`,
    ),
  /** seen (AADSTS700027 / 50013 family "Key was found, but use of the key to verify the signature failed"). */
  clientAssertionBadSignature: (thumbprintHex: string, clientId: string, validity: string): AadstsError =>
    aadstsError(
      'invalid_client',
      700027,
      'Client assertion contains an invalid signature. [Reason - Key was found, but use of the key to verify the signature failed., ' +
        `Thumbprint of key used by client: '${thumbprintHex}', Found key '${validity}', ${graphKeysHint(clientId)}].`,
    ),
  clientAssertionKeyExpired: (thumbprintHex: string, clientId: string, validity: string): AadstsError =>
    aadstsError(
      'invalid_client',
      700027,
      'Client assertion contains an invalid signature. [Reason - The key used is expired., ' +
        `Thumbprint of key used by client: '${thumbprintHex}', Found key '${validity}', ${graphKeysHint(clientId)}].`,
    ),
  /** seen. */
  clientAssertionTimeRange: (now: number, notBefore: number, expires: number): AadstsError =>
    aadstsError(
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${entraIsoTime(now)}, assertion valid from ` +
        `${entraIsoTime(notBefore)}, expiry time of assertion ${entraIsoTime(expires)}. ${CERT_DOCS}`,
    ),
  clientAssertionSubjectMismatch: (): AadstsError =>
    aadstsError(
      'invalid_client',
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter. ${CERT_DOCS}`,
    ),
  /** seen (wording "client assertion audience does not match Realm issuer"). */
  clientAssertionAudienceMismatch: (audience: string, expected: string): AadstsError =>
    aadstsError(
      'invalid_client',
      50027,
      `Invalid JWT token. Client assertion audience '${audience}' does not match Realm issuer; expected '${expected}'.`,
    ),

  // ---- scopes --------------------------------------------------------------------------------------
  /** seen. */
  invalidScope: (scope: string): AadstsError =>
    aadstsError(
      'invalid_scope',
      70011,
      "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. " +
        `The scope ${scope} is not valid. The scope format is invalid. Scope must be in a valid URI form <https://example/scope> or a valid Guid <guid/scope>.`,
    ),
  /** seen (client credentials with a non-.default scope). */
  clientCredentialsNeedDefaultScope: (scope: string): AadstsError =>
    aadstsError(
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  /** doc: InvalidResourceServicePrincipalNotFound. */
  resourceNotFound: (resource: string, directoryName: string): AadstsError =>
    aadstsError(
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${directoryName}. ` +
        'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. ' +
        'You might have sent your authentication request to the wrong tenant.',
    ),
  /** doc: InvalidMultipleResourcesScope. */
  multipleResources: (scope: string): AadstsError =>
    aadstsError(
      'invalid_scope',
      700022,
      `The provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    ),
  /** doc: InvalidResourcelessScope (only openid/profile/offline_access at the token endpoint). */
  resourcelessScope: (scope: string): AadstsError =>
    aadstsError(
      'invalid_scope',
      700023,
      `The provided value for the input parameter scope is not valid when requesting an access token. Scope ${scope} is not valid.`,
    ),
  /** AADSTS650053: asking for a delegated permission the resource does not expose. */
  unknownPermission: (appName: string, permission: string, resourceAppId: string): AadstsError =>
    aadstsError(
      'invalid_scope',
      650053,
      `The application '${appName}' asked for scope '${permission}' that doesn't exist on the resource '${resourceAppId}'. Contact the app vendor.`,
    ),

  // ---- grants --------------------------------------------------------------------------------------
  /** doc: UnsupportedGrantType. */
  unsupportedGrantType: (grantType: string): AadstsError =>
    aadstsError(
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    ),
  /** seen: a garbage or unknown code / refresh token. */
  malformedGrant: (): AadstsError =>
    aadstsError('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  /** seen. */
  authorizationCodeExpired: (): AadstsError =>
    aadstsError(
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    ),
  /** seen. */
  authorizationCodeRedeemed: (): AadstsError =>
    aadstsError(
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
  /** doc: scope can't be empty when redeeming an authorization code. */
  emptyScopeForCode: (): AadstsError =>
    aadstsError(
      'invalid_scope',
      28003,
      'Provided value for the input parameter scope cannot be empty when requesting an access token using the provided authorization code. Please specify a valid scope.',
    ),
  /** The code or refresh token was issued to another client (doc: InvalidGrant). */
  grantIssuedToOtherClient: (): AadstsError =>
    aadstsError(
      'invalid_grant',
      70000,
      'Provided grant is invalid or malformed. The grant was issued to a different client id.',
    ),
  /** redirect_uri at the token endpoint differs from the one the code was issued for. */
  redirectUriMismatchForCode: (provided: string, original: string): AadstsError =>
    aadstsError(
      'invalid_grant',
      500112,
      `The reply address '${provided}' does not match the reply address '${original}' provided when requesting Authorization code.`,
    ),
  /** seen. */
  pkceMismatch: (): AadstsError =>
    aadstsError(
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    ),
  /** seen. */
  refreshTokenInactive: (issuedAt: number, inactiveFor: string): AadstsError =>
    aadstsError(
      'invalid_grant',
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${entraIsoTime(issuedAt)} and was inactive for ${inactiveFor}.`,
    ),
  /** doc: FreshTokenNeeded. */
  refreshTokenRevoked: (issuedAt: number, validFrom: number): AadstsError =>
    aadstsError(
      'invalid_grant',
      50173,
      'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. ' +
        `The grant was issued on '${entraIsoTime(issuedAt)}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${entraIsoTime(validFrom)}'.`,
    ),

  // ---- users / sign-in -----------------------------------------------------------------------------
  /** doc: UserAccountNotFound. */
  userNotFound: (user: string, directoryName: string): AadstsError =>
    aadstsError(
      'invalid_grant',
      50034,
      `The user account ${user} does not exist in the ${directoryName} directory. To sign into this application, the account must be added to the directory.`,
    ),
  /** doc: UserDisabled. */
  userDisabled: (): AadstsError =>
    aadstsError(
      'invalid_grant',
      50057,
      'The user account is disabled. The user object in Active Directory backing this account has been disabled.',
    ),
  /** doc: InvalidReplyTo (shown on the sign-in page, never redirected). */
  redirectUriNotRegistered: (redirectUri: string, clientId: string): AadstsError =>
    aadstsError(
      'invalid_request',
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. ` +
        'Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. ' +
        'Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.',
    ),
  /** doc: UnsupportedResponseType. */
  unsupportedResponseType: (responseType: string): AadstsError =>
    aadstsError(
      'unsupported_response_type',
      700051,
      `response_type '${responseType}' is not enabled for the application.`,
    ),
  /** doc: UnsupportedResponseMode. */
  unsupportedResponseMode: (responseMode: string): AadstsError =>
    aadstsError(
      'invalid_request',
      70007,
      `The application requested an unsupported response_mode '${responseMode}'.`,
    ),
  /** doc: Invalid Code_Challenge_method parameter. */
  invalidCodeChallengeMethod: (): AadstsError =>
    aadstsError('invalid_request', 50149, 'Invalid Code_Challenge_method parameter.'),
  /** doc: InvalidCodeChallengeMethodInvalidSize. */
  invalidCodeChallengeSize: (): AadstsError =>
    aadstsError('invalid_request', 501491, 'Invalid size of Code_Challenge parameter.'),
  /** doc: UserInformationNotProvided (prompt=none without a session; the emulator keeps no sessions). */
  loginRequired: (): AadstsError =>
    aadstsError(
      'login_required',
      50058,
      "A silent sign-in request was sent but no user is signed in. The cookies used to represent the user's session were not sent in the request to Azure AD.",
    ),
  /** doc: UserDeclinedConsent (the sign-in page's Cancel button). */
  userCancelled: (): AadstsError =>
    aadstsError('access_denied', 65004, 'User declined to consent to access the app.'),
  /** doc: flow token expired (the sign-in page sat open too long, or was submitted twice). */
  flowTokenExpired: (): AadstsError =>
    aadstsError(
      'invalid_request',
      50089,
      'Authentication failed due to flow token expired. Expected - auth codes, refresh tokens, and sessions expire over time or are revoked by the user or an admin. The app will request a new login from the user.',
    ),
} as const;
