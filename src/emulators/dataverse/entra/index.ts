/**
 * Microsoft Entra ID emulator for the Dataverse emulator: the token service `@azure/msal-node` talks to
 * (discovery, keys, token, authorize), the directory it serves, its keys and TLS certificate, and the
 * access-token check the Dataverse API applies.
 *
 * Wiring (emulator core):
 *   const tls = await ensureTlsCertificate(dataDir);            // serve HTTPS with tls.keyPem/certPem
 *   const keys = await loadOrCreateSigningKeys(dataDir);
 *   const entra = registerEntraRoutes(app, { directory, keys, issuerOrigin, environmentUrl, now });
 *   // per Dataverse request: verifyAccessToken(bearerTokenFromHeader(req.headers.authorization), {...})
 *   // on failure: 401 + WWW-Authenticate: wwwAuthenticateHeader(tenantId, issuerOrigin(), environmentUrl())
 *
 * msal-node (v5+) against it, offline (no instance discovery call to login.microsoftonline.com):
 *   new ConfidentialClientApplication({ auth: {
 *     clientId, clientSecret,                      // or clientCertificate: { thumbprintSha256, privateKey }
 *     authority: `https://127.0.0.1:${port}/${tenantId}`,
 *     knownAuthorities: [`127.0.0.1:${port}`],
 *   } });
 *   scopes: [`${environmentUrl}.default`] (app) or [`${environmentUrl}user_impersonation`] (user).
 * TLS trust: NODE_EXTRA_CA_CERTS=<tls.caPath> when starting node. msal-node v5+ uses the global fetch
 * with no CA option, and dynamics-web-api its own https.Agent with none either, so a process-wide trust
 * is the only one both honour.
 */

export {
  entraDirectorySchema,
  parseEntraDirectory,
  findApplication,
  findUser,
  findUserByPrincipalName,
  type EntraDirectory,
  type EntraDirectoryInput,
  type AppRegistration,
  type ClientSecret,
  type CertificateCredential,
  type DirectoryUser,
} from './entra-directory.js';
export {
  createDemoEntraDirectory,
  demoEntraDirectoryInput,
  DEMO_REDIRECT_URIS,
  DEMO_TENANT_DOMAIN,
} from './demo-directory.js';

export {
  loadOrCreateSigningKeys,
  createSigningKeys,
  jwksDocument,
  SIGNING_KEY_FILE,
  SIGNING_CERT_FILE,
  type SigningKeys,
  type JsonWebKeySetEntry,
} from './signing-keys.js';
export {
  ensureTlsCertificate,
  DEFAULT_TLS_HOSTNAMES,
  TLS_CA_CERT_FILE,
  TLS_CA_KEY_FILE,
  TLS_SERVER_CERT_FILE,
  TLS_SERVER_KEY_FILE,
  type TlsCertificate,
  type TlsCertificateOptions,
} from './tls-certificate.js';

export { registerEntraRoutes, type EntraControl, type EntraRouteOptions } from './entra-routes.js';
export type { EntraServiceOptions, EntraContext } from './entra-context.js';
export type { RevocationSubject } from './credential-revocations.js';

export {
  verifyAccessToken,
  type VerifyAccessTokenOptions,
  type AccessTokenVerification,
  type AccessTokenRejection,
  type VerifiedPrincipal,
} from './verify-access-token.js';
export { wwwAuthenticateHeader, bearerTokenFromHeader } from './bearer-scheme.js';
export { accessTokenIssuer, idTokenIssuer, accessTokenAudience } from './token-issuers.js';
export { DYNAMICS_CRM_APP_ID, USER_IMPERSONATION } from './dataverse-scopes.js';
export type { AadstsError, EntraErrorBody, OAuthErrorCode } from './entra-error.js';
