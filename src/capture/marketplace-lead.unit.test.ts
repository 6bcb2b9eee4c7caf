import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crmTable } from './crm-tables-test-support.js';
import { defaultMapping } from './default-mappings.js';
import { applyMapping } from './field-mapping.js';
import {
  marketplaceIdempotencyKey,
  marketplaceLeadToPayload,
  parseMarketplaceLead,
  splitLeadSource,
  type MarketplaceLead,
} from './marketplace-lead.js';

/**
 * fixtures/marketplace-lead-example.json is the "JSON example" of Microsoft's "Use an HTTPS endpoint to
 * manage commercial marketplace leads",
 * https://docs.microsoft.com/azure/marketplace/partner-center-portal/commercial-marketplace-lead-management-instructions-https
 * (MicrosoftDocs/azure-docs, articles/marketplace/partner-center-portal/commercial-marketplace-lead-management-instructions-https.md,
 * commit 8c50481d11342634858c7df70c3f369c0fe6c382), copied unchanged.
 */
const example: unknown = JSON.parse(
  readFileSync(new URL('./fixtures/marketplace-lead-example.json', import.meta.url), 'utf8'),
);

function parsed(body: unknown): MarketplaceLead {
  const result = parseMarketplaceLead(body);
  if (!result.ok) throw new Error(result.error.join('\n'));
  return result.value;
}

describe('marketplace leads', () => {
  it('turns the documented example into a lead payload in the common field names', () => {
    expect(marketplaceLeadToPayload(parsed(example))).toEqual({
      email: 'someone@contoso.com',
      firstName: 'Some',
      lastName: 'One',
      company: 'Contoso',
      jobTitle: 'Esquire',
      phone: '16175555555',
      country: 'USA',
      offerTitle: 'Test Microsoft',
      leadSource: 'AzureMarketplace',
      actionCode: 'INS',
      description: 'Test run through Power Automate',
    });
  });

  it('maps the example onto the real lead table with the default mapping and normalisation', () => {
    const mapping = defaultMapping('lead', undefined, { subject: 'Marketplace lead' });
    const columns = mapping.columns.map((rule) =>
      rule.column === 'telephone1'
        ? { ...rule, transforms: [{ kind: 'phone_e164', defaultCountry: 'US' } as const] }
        : rule.column === 'address1_country'
          ? { ...rule, transforms: [{ kind: 'country', to: 'name' } as const] }
          : rule,
    );
    const result = applyMapping(
      { ...mapping, columns },
      marketplaceLeadToPayload(parsed(example)),
      crmTable('lead'),
    );
    expect(result).toEqual({
      ok: true,
      record: {
        emailaddress1: 'someone@contoso.com',
        firstname: 'Some',
        lastname: 'One',
        companyname: 'Contoso',
        jobtitle: 'Esquire',
        telephone1: '+16175555555',
        address1_country: 'United States of America',
        subject: 'Marketplace lead',
      },
    });
  });

  it('tolerates extra and missing properties, leaving empty ones out', () => {
    const body = {
      UserDetails: { FirstName: 'Ana', LastName: null, Email: '  ', Extra: { nested: true } },
      LeadSource: 'AppSource (SPZA)',
      SomethingNew: 42,
    };
    expect(marketplaceLeadToPayload(parsed(body))).toEqual({
      firstName: 'Ana',
      leadSource: 'AppSource (SPZA)',
    });
  });

  it.each([
    [{ UserDetails: { Email: 5 } }, 'UserDetails.Email:'],
    [{ UserDetails: 'someone' }, 'UserDetails:'],
    [{ LeadSource: 'AzureMarketplace' }, 'UserDetails:'],
    [{ UserDetails: {}, OfferTitle: ['x'] }, 'OfferTitle:'],
    ['not json object', 'body:'],
  ])('refuses wrong types: %j', (body, path) => {
    const result = parseMarketplaceLead(body);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(
        result.error.some((message) => message.startsWith(path)),
        result.error.join('\n'),
      ).toBe(true);
  });

  it('splits the long LeadSource form into marketplace, action and offer', () => {
    expect(splitLeadSource('AzureMarketplace-INS|checkpoint.check-point-r77-10sg-byol')).toEqual({
      marketplace: 'AzureMarketplace',
      action: 'INS',
      offerId: 'checkpoint.check-point-r77-10sg-byol',
    });
    expect(
      splitLeadSource('AppSource (SPZA)-PLT|docusign.3701c77e-1cfa-4c56-91e6-3ed0b622145')?.marketplace,
    ).toBe('AppSource (SPZA)');
    expect(splitLeadSource('AzureMarketplace')).toBeUndefined();
    const payload = marketplaceLeadToPayload(
      parsed({ UserDetails: { Email: 'a@b.org' }, LeadSource: 'AzurePortal-Create|bitnami.openedxcypress' }),
    );
    expect(payload).toEqual({
      email: 'a@b.org',
      leadSource: 'AzurePortal-Create|bitnami.openedxcypress',
      marketplace: 'AzurePortal',
      offerId: 'bitnami.openedxcypress',
      actionCode: 'Create',
    });
  });

  it('keys a redelivery the same and a different lead differently', () => {
    const payload = marketplaceLeadToPayload(parsed(example));
    const again = marketplaceLeadToPayload(parsed(JSON.parse(JSON.stringify(example)) as unknown));
    const key = marketplaceIdempotencyKey('partner-1', payload);
    expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(marketplaceIdempotencyKey('partner-1', again)).toBe(key);
    expect(marketplaceIdempotencyKey('partner-1', { ...payload, actionCode: 'PLT' })).not.toBe(key);
  });
});
