import { describe, expect, it } from 'vitest';
import { parseAppScopes, parseDelegatedScopes } from './dataverse-scopes.js';

const context = {
  environmentUrl: 'https://org.crm.dynamics.com/',
  directoryName: 'Contoso',
  appName: 'Sync',
};

describe('scopes', () => {
  it('accepts <env>/.default for apps, also with the double slash of "<env-with-slash>/.default"', () => {
    expect(parseAppScopes('https://org.crm.dynamics.com/.default', context)).toEqual({
      ok: true,
      value: { resource: 'https://org.crm.dynamics.com' },
    });
    expect(parseAppScopes('https://ORG.crm.dynamics.com//.default', context).ok).toBe(true);
  });

  it('rejects non-.default, multi-resource, foreign and malformed app scopes with Entra’s codes', () => {
    expect(parseAppScopes('https://org.crm.dynamics.com/user_impersonation', context)).toMatchObject({
      ok: false,
      error: { code: 1002012 },
    });
    expect(
      parseAppScopes('https://org.crm.dynamics.com/.default https://graph.microsoft.com/.default', context),
    ).toMatchObject({
      ok: false,
      error: { code: 700022 },
    });
    expect(parseAppScopes('https://graph.microsoft.com/.default', context)).toMatchObject({
      ok: false,
      error: { error: 'invalid_resource', code: 500011 },
    });
    expect(parseAppScopes('openid', context)).toMatchObject({ ok: false, error: { code: 70011 } });
  });

  it('grants user_impersonation for delegated <env>/user_impersonation or <env>/.default plus OIDC scopes', () => {
    expect(
      parseDelegatedScopes(
        'https://org.crm.dynamics.com/user_impersonation openid profile offline_access',
        context,
      ),
    ).toEqual({
      ok: true,
      value: {
        resource: 'https://org.crm.dynamics.com',
        permissions: ['user_impersonation'],
        oidc: ['openid', 'profile', 'offline_access'],
      },
    });
    expect(parseDelegatedScopes('https://org.crm.dynamics.com/.default', context)).toMatchObject({
      ok: true,
      value: { permissions: ['user_impersonation'] },
    });
    expect(parseDelegatedScopes('openid profile', context)).toMatchObject({
      ok: true,
      value: { resource: undefined },
    });
  });

  it('rejects unknown permissions and Graph-style bare scopes', () => {
    expect(parseDelegatedScopes('https://org.crm.dynamics.com/Leads.Read', context)).toMatchObject({
      ok: false,
      error: { code: 650053 },
    });
    expect(parseDelegatedScopes('User.Read openid', context)).toMatchObject({
      ok: false,
      error: { code: 500011 },
    });
  });
});
