import { aadsts } from './aadsts-catalog.js';
import type { AadstsError } from './entra-error.js';

/**
 * Scope rules for the one resource this token service knows: the Dataverse environment.
 * (MSDocs authenticate-oauth.md: "use a '<environment-url>/user_impersonation' scope for a public client.
 * For a confidential client, use a scope of '<environment-url>/.default'.")
 */

/** The first-party "Dynamics CRM" application; Entra names it in scope errors about Dataverse. */
export const DYNAMICS_CRM_APP_ID = '00000007-0000-0000-c000-000000000000';
/** The one delegated permission Dataverse exposes. */
export const USER_IMPERSONATION = 'user_impersonation';
/** Entra assumes Microsoft Graph for scopes without a resource (e.g. "User.Read"). */
const GRAPH_RESOURCE = 'https://graph.microsoft.com';
const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'offline_access']);

export interface ScopeContext {
  readonly environmentUrl: string;
  /** Directory display name, for AADSTS500011. */
  readonly directoryName: string;
  /** Client app display name, for AADSTS650053. */
  readonly appName: string;
}

export interface AppScopes {
  /** The environment URL without trailing slash (the token audience). */
  readonly resource: string;
}

export interface DelegatedScopes {
  /** Undefined when only OpenID Connect scopes were asked for (sign-in only). */
  readonly resource: string | undefined;
  /** Delegated permissions granted on the resource (`.default` resolves to user_impersonation). */
  readonly permissions: readonly string[];
  /** openid / profile / email / offline_access, lower-cased, as requested. */
  readonly oidc: readonly string[];
}

export type ScopeResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AadstsError };

/** Canonical resource form: lower-case, no trailing slash (so `https://org//.default` works as in Entra). */
export function canonicalResource(resource: string): string {
  return resource.trim().replace(/\/+$/, '').toLowerCase();
}

export function splitScopes(scope: string): string[] {
  return scope.split(/\s+/).filter((part) => part.length > 0);
}

/** client_credentials: exactly one `<resource>/.default` scope. */
export function parseAppScopes(scope: string, context: ScopeContext): ScopeResult<AppScopes> {
  const parts = splitScopes(scope);
  const parsed = parts.map(parseResourceScope);
  if (parsed.some((entry) => entry === undefined || entry.resource === undefined)) {
    return { ok: false, error: aadsts.invalidScope(scope) };
  }
  const resources = distinct(parsed.map((entry) => entry?.resource ?? ''));
  if (resources.length > 1) return { ok: false, error: aadsts.multipleResources(scope) };
  const resource = resources[0];
  if (resource === undefined) return { ok: false, error: aadsts.invalidScope(scope) };
  if (!parsed.every((entry) => entry?.permission === '.default')) {
    return { ok: false, error: aadsts.clientCredentialsNeedDefaultScope(scope) };
  }
  if (resource !== canonicalResource(context.environmentUrl)) {
    return { ok: false, error: aadsts.resourceNotFound(resource, context.directoryName) };
  }
  return { ok: true, value: { resource } };
}

/** authorize / authorization_code / refresh_token: `<env>/user_impersonation` or `<env>/.default` + OIDC scopes. */
export function parseDelegatedScopes(scope: string, context: ScopeContext): ScopeResult<DelegatedScopes> {
  const oidc: string[] = [];
  const resourceScopes: { resource: string; permission: string }[] = [];
  for (const part of splitScopes(scope)) {
    const lower = part.toLowerCase();
    if (OIDC_SCOPES.has(lower)) {
      if (!oidc.includes(lower)) oidc.push(lower);
      continue;
    }
    const parsed = parseResourceScope(part);
    if (parsed === undefined) return { ok: false, error: aadsts.invalidScope(scope) };
    resourceScopes.push({ resource: parsed.resource ?? GRAPH_RESOURCE, permission: parsed.permission });
  }
  const resources = distinct(resourceScopes.map((entry) => entry.resource));
  if (resources.length > 1) return { ok: false, error: aadsts.multipleResources(scope) };
  const resource = resources[0];
  if (resource === undefined) return { ok: true, value: { resource: undefined, permissions: [], oidc } };
  if (resource !== canonicalResource(context.environmentUrl)) {
    return { ok: false, error: aadsts.resourceNotFound(resource, context.directoryName) };
  }
  for (const { permission } of resourceScopes) {
    if (permission !== '.default' && permission.toLowerCase() !== USER_IMPERSONATION) {
      return { ok: false, error: aadsts.unknownPermission(context.appName, permission, DYNAMICS_CRM_APP_ID) };
    }
  }
  return { ok: true, value: { resource, permissions: [USER_IMPERSONATION], oidc } };
}

/** "https://org.crm.dynamics.com/user_impersonation" → resource + permission; "User.Read" → no resource. */
function parseResourceScope(scope: string): { resource: string | undefined; permission: string } | undefined {
  const schemeEnd = scope.indexOf('://');
  const lastSlash = scope.lastIndexOf('/');
  if (schemeEnd >= 0) {
    if (lastSlash <= schemeEnd + 2) return undefined;
    const permission = scope.slice(lastSlash + 1);
    const resource = canonicalResource(scope.slice(0, lastSlash));
    if (permission.length === 0 || resource.length <= schemeEnd + 3) return undefined;
    return { resource, permission };
  }
  if (lastSlash >= 0) {
    // "<guid>/<permission>" addresses a resource by app id; the only resource here is addressed by URL.
    const permission = scope.slice(lastSlash + 1);
    const resource = scope.slice(0, lastSlash).toLowerCase();
    if (permission.length === 0 || resource.length === 0) return undefined;
    return { resource, permission };
  }
  return { resource: undefined, permission: scope };
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
