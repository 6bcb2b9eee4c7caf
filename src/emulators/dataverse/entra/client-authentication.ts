import { createHash, timingSafeEqual } from 'node:crypto';
import type { ClientAuthMethod } from './access-tokens.js';
import { aadsts } from './aadsts-catalog.js';
import { JWT_BEARER_ASSERTION_TYPE, verifyClientAssertion } from './client-assertion.js';
import type { CredentialRevocations } from './credential-revocations.js';
import { findApplication, type AppRegistration, type EntraDirectory } from './entra-directory.js';
import type { AadstsError } from './entra-error.js';

/**
 * Token-endpoint client authentication, in Entra's order: client_id known (AADSTS700016) and enabled,
 * then the credential — `client_secret` in the body or HTTP Basic (`client_secret_basic`, listed in
 * the discovery document), or a certificate `client_assertion`. Public clients ("Allow public client
 * flows") may send none.
 */

export interface ClientAuthenticationContext {
  readonly directory: EntraDirectory;
  readonly revocations: CredentialRevocations;
  /** Accepted client-assertion audiences for this request. */
  readonly assertionAudiences: readonly string[];
  /** Epoch milliseconds. */
  readonly now: number;
}

export type ClientAuthentication =
  | { readonly ok: true; readonly app: AppRegistration; readonly method: ClientAuthMethod }
  | { readonly ok: false; readonly error: AadstsError };

export async function authenticateClient(
  form: URLSearchParams,
  authorizationHeader: string | undefined,
  context: ClientAuthenticationContext,
): Promise<ClientAuthentication> {
  const basic = basicCredentials(authorizationHeader);
  const clientId = nonEmpty(form.get('client_id')) ?? basic?.clientId;
  if (clientId === undefined) return fail(aadsts.missingParameter('client_id'));
  const app = findApplication(context.directory, clientId);
  if (app === undefined)
    return fail(aadsts.applicationNotFound(clientId, context.directory.tenantDisplayName));
  if (!app.enabled) return fail(aadsts.applicationDisabled(app.clientId));

  const secret = nonEmpty(form.get('client_secret')) ?? basic?.secret;
  const assertion = nonEmpty(form.get('client_assertion'));
  const assertionType = nonEmpty(form.get('client_assertion_type'));
  if (secret !== undefined && assertion !== undefined) return fail(aadsts.malformedRequest());

  if (secret === undefined && assertion === undefined) {
    return app.isPublicClient ? { ok: true, app, method: 'none' } : fail(aadsts.missingClientCredential());
  }
  const hasCredentials = app.clientSecrets.length > 0 || app.certificates.length > 0;
  if (app.isPublicClient && !hasCredentials) return fail(aadsts.publicClientWithCredential());

  if (secret !== undefined) return checkSecret(app, secret, context);

  if (assertionType === undefined) return fail(aadsts.missingParameter('client_assertion_type'));
  if (assertionType !== JWT_BEARER_ASSERTION_TYPE)
    return fail(aadsts.invalidParameter('client_assertion_type'));
  const verified = await verifyClientAssertion(assertion ?? '', {
    app,
    audiences: context.assertionAudiences,
    now: context.now,
  });
  return verified.ok ? { ok: true, app, method: 'certificate' } : fail(verified.error);
}

function checkSecret(
  app: AppRegistration,
  presented: string,
  context: ClientAuthenticationContext,
): ClientAuthentication {
  const match = app.clientSecrets.find(
    (candidate) =>
      !context.revocations.isClientSecretDisabled(app.clientId, candidate.keyId) &&
      constantTimeEquals(candidate.secretText, presented),
  );
  if (match === undefined) return fail(aadsts.invalidClientSecret(app.clientId));
  if (match.expiresAt !== undefined && Date.parse(match.expiresAt) <= context.now) {
    return fail(aadsts.expiredClientSecret(app.clientId));
  }
  return { ok: true, app, method: 'secret' };
}

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
function basicCredentials(header: string | undefined): { clientId: string; secret: string } | undefined {
  const match = /^\s*Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')),
    };
  } catch {
    return undefined;
  }
}

/** Compares digests so neither the length nor the content of the registered secret leaks through timing. */
function constantTimeEquals(expected: string, actual: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(actual));
}

function nonEmpty(value: string | null): string | undefined {
  return value === null || value === '' ? undefined : value;
}

function fail(error: AadstsError): ClientAuthentication {
  return { ok: false, error };
}
