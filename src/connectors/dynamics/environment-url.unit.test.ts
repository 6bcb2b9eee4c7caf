import { describe, expect, it } from 'vitest';
import { LeadbridgeError } from '../../shared/errors.js';
import { dataverseCloudOf, normalizeEnvironmentUrl, type EnvironmentUrlOptions } from './environment-url.js';

function refusal(input: string, options?: EnvironmentUrlOptions): LeadbridgeError {
  try {
    normalizeEnvironmentUrl(input, options);
  } catch (error) {
    if (error instanceof LeadbridgeError) return error;
    throw error;
  }
  throw new Error(`expected ${input} to be refused`);
}

describe('normalizeEnvironmentUrl accepts Dataverse environments', () => {
  it.each([
    ['https://contoso.crm.dynamics.com', 'https://contoso.crm.dynamics.com/'],
    ['https://contoso.crm.dynamics.com/', 'https://contoso.crm.dynamics.com/'],
    ['  https://contoso.crm4.dynamics.com/  ', 'https://contoso.crm4.dynamics.com/'],
    ['contoso.crm11.dynamics.com', 'https://contoso.crm11.dynamics.com/'],
    ['https://contoso.crm21.dynamics.com', 'https://contoso.crm21.dynamics.com/'],
    ['https://gov-org.crm9.dynamics.com', 'https://gov-org.crm9.dynamics.com/'],
    ['HTTPS://Contoso.CRM.Dynamics.COM/', 'https://contoso.crm.dynamics.com/'],
    ['https://contoso.crm.dynamics.com/api/data/v9.2/leads?$top=1', 'https://contoso.crm.dynamics.com/'],
    [
      'https://contoso.crm.dynamics.com/main.aspx?appid=1b2c&pagetype=entitylist&etn=lead',
      'https://contoso.crm.dynamics.com/',
    ],
    ['https://contoso.crm.dynamics.com:443/', 'https://contoso.crm.dynamics.com/'],
    ['https://contoso.api.crm.dynamics.com/api/data/v9.2/', 'https://contoso.crm.dynamics.com/'],
    ['https://contoso.api.crm4.dynamics.com', 'https://contoso.crm4.dynamics.com/'],
    ['https://org-1.crm.dynamics.cn', 'https://org-1.crm.dynamics.cn/'],
    ['https://gov.crm.microsoftdynamics.us/main.aspx', 'https://gov.crm.microsoftdynamics.us/'],
    ['https://dod.api.crm.appsplatform.us/', 'https://dod.crm.appsplatform.us/'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeEnvironmentUrl(input)).toBe(expected);
  });
});

describe('normalizeEnvironmentUrl refuses everything else with crm_url_invalid', () => {
  it.each([
    ['http://contoso.crm.dynamics.com', /https/],
    ['ftp://contoso.crm.dynamics.com', /https/],
    ['https://contoso.dynamics.com', /not a Dynamics 365 environment URL/],
    ['https://crm.dynamics.com', /not a Dynamics 365 environment URL/],
    ['https://contoso.crm1.dynamics.com', /not a Dynamics 365 environment URL/],
    ['https://contoso.crm99.dynamics.com', /not a Dynamics 365 environment URL/],
    ['https://contoso.crm.dynamics.com.evil.example', /not a Dynamics 365 environment URL/],
    ['https://evil.example/contoso.crm.dynamics.com', /not a Dynamics 365 environment URL/],
    ['https://a.b.crm.dynamics.com', /not a Dynamics 365 environment URL/],
    ['https://-bad.crm.dynamics.com', /not a Dynamics 365 environment URL/],
    ['https://contoso.sharepoint.com/sites/sales', /not a Dynamics 365 environment URL/],
    ['https://login.microsoftonline.com/contoso', /not a Dynamics 365 environment URL/],
    ['https://contoso.crm.dynamics.com:8443', /port/],
    ['https://user:pw@contoso.crm.dynamics.com', /user name or password/],
    ['https://127.0.0.1:8443/', /port/],
    ['https://localhost/', /not a Dynamics 365 environment URL/],
    ['https://contoso.crm.microsoftdynamics.de', /Microsoft Cloud Deutschland/],
    ['not a url at all', /is not a URL/],
    ['', /is not a URL/],
  ])('%s', (input, message) => {
    const error = refusal(input);
    expect(error.code).toBe('crm_url_invalid');
    expect(error.message).toMatch(message);
  });
});

describe('normalizeEnvironmentUrl with local emulators allowed', () => {
  it.each<[string, EnvironmentUrlOptions, string]>([
    ['https://127.0.0.1:8443/api/data/v9.2', { allowedHosts: ['127.0.0.1:8443'] }, 'https://127.0.0.1:8443/'],
    ['https://LOCALHOST:9000', { allowedHosts: ['localhost:9000'] }, 'https://localhost:9000/'],
    ['https://127.0.0.1:54321/', { allowLoopback: true }, 'https://127.0.0.1:54321/'],
    ['https://[::1]:8443/', { allowLoopback: true }, 'https://[::1]:8443/'],
    ['https://contoso.crm.dynamics.com/', { allowLoopback: true }, 'https://contoso.crm.dynamics.com/'],
  ])('%s with %j → %s', (input, options, expected) => {
    expect(normalizeEnvironmentUrl(input, options)).toBe(expected);
  });

  it.each<[string, EnvironmentUrlOptions]>([
    ['http://127.0.0.1:8443/', { allowedHosts: ['127.0.0.1:8443'] }],
    ['https://127.0.0.1:8444/', { allowedHosts: ['127.0.0.1:8443'] }],
    ['https://10.0.0.5:8443/', { allowLoopback: true }],
    ['https://127.0.0.1.nip.io:8443/', { allowLoopback: true }],
  ])('still refuses %s with %j', (input, options) => {
    expect(refusal(input, options).code).toBe('crm_url_invalid');
  });
});

describe('dataverseCloudOf', () => {
  it.each([
    ['https://contoso.crm.dynamics.com/', 'public', 'https://login.microsoftonline.com'],
    ['https://contoso.crm9.dynamics.com/', 'public', 'https://login.microsoftonline.com'],
    ['https://gov.crm.microsoftdynamics.us/', 'usgov-high', 'https://login.microsoftonline.us'],
    ['https://dod.crm.appsplatform.us/', 'usgov-dod', 'https://login.microsoftonline.us'],
    ['https://cn.crm.dynamics.cn/', 'china', 'https://login.chinacloudapi.cn'],
    ['https://127.0.0.1:8443/', 'local', 'https://127.0.0.1:8443'],
  ])('%s is %s, signing in at %s', (url, name, authorityOrigin) => {
    expect(dataverseCloudOf(url)).toEqual({ name, authorityOrigin });
  });
});
