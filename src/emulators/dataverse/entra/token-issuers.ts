/**
 * Issuer and audience strings.
 *
 * Dataverse's Entra resource ("Dynamics CRM") accepts v1.0 access tokens, so even tokens requested on
 * the v2.0 endpoint are v1.0 tokens: `ver` "1.0", `iss` "https://sts.windows.net/<tid>/", `aud` the
 * environment URL without trailing slash (e.g. "https://org.crm.dynamics.com"), `appid`/`upn` rather
 * than v2's `azp`/`preferred_username`. The emulator cannot serve sts.windows.net, so its v1 issuer is
 * the same shape on its own origin: "<issuerOrigin>/<tid>/". ID tokens are v2.0 and use
 * "<issuerOrigin>/<tid>/v2.0", which is also the `issuer` of the v2 OpenID configuration (msal-node
 * checks that the discovery issuer has the authority's scheme and host, Authority.validateIssuer).
 */

export function trimTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

/** `iss` of access tokens: the v1 (sts) form on the emulator's origin. */
export function accessTokenIssuer(issuerOrigin: string, tenantId: string): string {
  return `${trimTrailingSlashes(issuerOrigin)}/${tenantId}/`;
}

/** `iss` of ID tokens and of the v2 discovery document. */
export function idTokenIssuer(issuerOrigin: string, tenantId: string): string {
  return `${trimTrailingSlashes(issuerOrigin)}/${tenantId}/v2.0`;
}

/** `aud` of access tokens: the environment URL without trailing slash, as Dataverse tokens carry it. */
export function accessTokenAudience(environmentUrl: string): string {
  return trimTrailingSlashes(environmentUrl);
}

/** Audience comparison that ignores case and a trailing slash ("https://org/" equals "https://ORG"). */
export function sameAudience(a: string, b: string): boolean {
  return trimTrailingSlashes(a).toLowerCase() === trimTrailingSlashes(b).toLowerCase();
}
