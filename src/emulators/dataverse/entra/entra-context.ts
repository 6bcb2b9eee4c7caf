import { randomUUID } from 'node:crypto';
import type { TokenAuthority } from './access-tokens.js';
import type { AuthorizationGrant, PendingSignIn } from './authorization-grant.js';
import { CredentialRevocations } from './credential-revocations.js';
import type { EntraDirectory } from './entra-directory.js';
import type { RequestIds } from './entra-error.js';
import { OneTimeTokenStore } from './one-time-tokens.js';
import type { SigningKeys } from './signing-keys.js';

export interface EntraServiceOptions {
  readonly directory: EntraDirectory;
  readonly keys: SigningKeys;
  /** The emulator's origin as clients reach it, e.g. https://127.0.0.1:8443 (read per request: port 0). */
  issuerOrigin(): string;
  /** The Dataverse environment URL — the token audience — e.g. https://127.0.0.1:8443/. */
  environmentUrl(): string;
  /** Epoch milliseconds; every issued time and expiry check uses it. */
  now(): number;
  /** Access-token lifetime; Entra's default is 60–90 minutes, tests want seconds. Default 3600. */
  readonly accessTokenLifetimeSeconds?: number;
  /** Authorization codes are short-lived in Entra (about 10 minutes). Default 600. */
  readonly authorizationCodeLifetimeSeconds?: number;
  /** Refresh tokens expire after 90 days without use (Entra's MaxInactiveTime). Default 7 776 000. */
  readonly refreshTokenMaxInactiveSeconds?: number;
  /** How long the sign-in page may sit before its form is rejected (AADSTS50089). Default 900. */
  readonly signInPageLifetimeSeconds?: number;
}

/** Everything the endpoint handlers share: configuration plus the in-memory runtime state. */
export interface EntraContext {
  readonly directory: EntraDirectory;
  readonly keys: SigningKeys;
  issuerOrigin(): string;
  environmentUrl(): string;
  now(): number;
  readonly accessTokenLifetimeSeconds: number;
  readonly refreshTokenMaxInactiveSeconds: number;
  readonly revocations: CredentialRevocations;
  readonly authorizationCodes: OneTimeTokenStore<AuthorizationGrant>;
  readonly signInFlows: OneTimeTokenStore<PendingSignIn>;
}

export function createEntraContext(options: EntraServiceOptions): EntraContext {
  const codeLifetimeMs = (options.authorizationCodeLifetimeSeconds ?? 600) * 1000;
  const flowLifetimeMs = (options.signInPageLifetimeSeconds ?? 900) * 1000;
  return {
    directory: options.directory,
    keys: options.keys,
    issuerOrigin: () => options.issuerOrigin(),
    environmentUrl: () => options.environmentUrl(),
    now: () => options.now(),
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    refreshTokenMaxInactiveSeconds: options.refreshTokenMaxInactiveSeconds ?? 90 * 24 * 3600,
    revocations: new CredentialRevocations(() => options.now()),
    // Redeemed codes are remembered for a day so a replay reports AADSTS54005, not "malformed".
    authorizationCodes: new OneTimeTokenStore(codeLifetimeMs, 24 * 3600_000),
    signInFlows: new OneTimeTokenStore(flowLifetimeMs),
  };
}

export function tokenAuthority(context: EntraContext): TokenAuthority {
  return {
    keys: context.keys,
    issuerOrigin: context.issuerOrigin(),
    environmentUrl: context.environmentUrl(),
    tenantId: context.directory.tenantId,
  };
}

/** Trace id per request; correlation id from the client's `client-request-id` header when present. */
export function requestIds(context: EntraContext, clientRequestId: string | undefined): RequestIds {
  const correlationId =
    clientRequestId !== undefined && /^[0-9a-fA-F-]{36}$/.test(clientRequestId)
      ? clientRequestId
      : randomUUID();
  return { traceId: randomUUID(), correlationId, now: context.now() };
}
