import { describe, expect, it } from 'vitest';
import { LeadbridgeError } from '../../shared/errors.js';
import { normalizeEnvironmentUrl } from './environment-url.js';

describe('normalizeEnvironmentUrl', () => {
  it.each([
    ['https://contoso.crm.dynamics.com', 'https://contoso.crm.dynamics.com/'],
    ['https://contoso.crm4.dynamics.com/', 'https://contoso.crm4.dynamics.com/'],
    ['contoso.crm11.dynamics.com', 'https://contoso.crm11.dynamics.com/'],
    [
      'HTTPS://Contoso.CRM.Dynamics.com/main.aspx?appid=1&pagetype=entitylist',
      'https://contoso.crm.dynamics.com/',
    ],
    ['https://contoso.api.crm.dynamics.com/api/data/v9.2/', 'https://contoso.api.crm.dynamics.com/'],
    ['https://org-1.crm.dynamics.cn', 'https://org-1.crm.dynamics.cn/'],
    ['https://gov.crm.microsoftdynamics.us', 'https://gov.crm.microsoftdynamics.us/'],
    ['https://dod.crm.appsplatform.us:443/', 'https://dod.crm.appsplatform.us/'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeEnvironmentUrl(input)).toBe(expected);
  });

  it.each([
    'http://contoso.crm.dynamics.com',
    'https://contoso.dynamics.com',
    'https://crm.dynamics.com.evil.example',
    'https://contoso.crm.dynamics.com:8443',
    'https://user:pw@contoso.crm.dynamics.com',
    'https://127.0.0.1:8443/',
    'not a url at all',
    '',
  ])('refuses %s with crm_url_invalid', (input) => {
    expect(() => normalizeEnvironmentUrl(input)).toThrow(LeadbridgeError);
    try {
      normalizeEnvironmentUrl(input);
    } catch (error) {
      expect((error as LeadbridgeError).code).toBe('crm_url_invalid');
    }
  });

  it('accepts an allowed local host (an emulator) over https only', () => {
    expect(normalizeEnvironmentUrl('https://127.0.0.1:8443/api/data/v9.2', ['127.0.0.1:8443'])).toBe(
      'https://127.0.0.1:8443/',
    );
    expect(() => normalizeEnvironmentUrl('http://127.0.0.1:8443/', ['127.0.0.1:8443'])).toThrow(/https/);
  });
});
