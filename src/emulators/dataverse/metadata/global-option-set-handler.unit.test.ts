import { describe, expect, it } from 'vitest';
import { handleGlobalOptionSetDefinitions } from './global-option-set-handler.js';
import { asJson, expectDataverseError, items, params, ROOT, type Json } from './metadata-test-support.js';
import { TableCatalog } from './table-catalog.js';

const catalog = TableCatalog.fromReference();
const get = (path: string, query = '') =>
  asJson(handleGlobalOptionSetDefinitions(catalog, path, params(query), ROOT));
const labelOf = (value: unknown) =>
  (value as { UserLocalizedLabel: { Label: string } }).UserLocalizedLabel.Label;

describe('GlobalOptionSetDefinitions', () => {
  it('retrieves a global choice by Name, cast to OptionSetMetadata to reach Options', () => {
    const body = get(
      "GlobalOptionSetDefinitions(Name='budgetstatus')/Microsoft.Dynamics.CRM.OptionSetMetadata",
      '$select=Options,Name',
    );
    expect(body['@odata.context']).toBe(
      `${ROOT}$metadata#GlobalOptionSetDefinitions/Microsoft.Dynamics.CRM.OptionSetMetadata(Options,Name)/$entity`,
    );
    expect(body['Name']).toBe('budgetstatus');
    expect((body['Options'] as Json[]).map((o) => [o['Value'], labelOf(o['Label'])])).toEqual([
      [0, 'No Committed Budget'],
      [1, 'May Buy'],
      [2, 'Can Buy'],
      [3, 'Will Buy'],
    ]);
  });

  it('is the same option set a column using it expands to', () => {
    const global = get(
      "GlobalOptionSetDefinitions(Name='purchasetimeframe')/Microsoft.Dynamics.CRM.OptionSetMetadata",
    );
    const byId = get(`GlobalOptionSetDefinitions(${String(global['MetadataId'])})`);
    expect(byId).toMatchObject({
      '@odata.type': '#Microsoft.Dynamics.CRM.OptionSetMetadata',
      Name: 'purchasetimeframe',
      IsGlobal: true,
    });
  });

  it('lists global choices only, yes/no ones typed BooleanOptionSetMetadata', () => {
    const all = items(get('GlobalOptionSetDefinitions', '$select=Name'));
    const names = all.map((s) => s['Name']);
    expect(names).toContain('budgetstatus');
    expect(names).not.toContain('lead_leadsourcecode');
    expect(all.find((s) => s['Name'] === 'decisionmaker')?.['@odata.type']).toBe(
      '#Microsoft.Dynamics.CRM.BooleanOptionSetMetadata',
    );
    const picklists = items(
      get('GlobalOptionSetDefinitions/Microsoft.Dynamics.CRM.OptionSetMetadata', '$select=Name'),
    );
    expect(picklists.every((s) => !('@odata.type' in s) && s['Name'] !== 'decisionmaker')).toBe(true);
    expect(
      items(get('GlobalOptionSetDefinitions', "$select=Name&$filter=Name eq 'need'")).map((s) => s['Name']),
    ).toEqual(['need']);
  });

  it('answers 404 for a local option set and a cast that does not fit', () => {
    // lead_leadsourcecode is the local option set of lead.leadsourcecode, reached through the attribute.
    expectDataverseError(
      () => get("GlobalOptionSetDefinitions(Name='lead_leadsourcecode')"),
      404,
      '0x80040217',
      /lead_leadsourcecode/,
    );
    expectDataverseError(
      () => get("GlobalOptionSetDefinitions(Name='decisionmaker')/Microsoft.Dynamics.CRM.OptionSetMetadata"),
      404,
      '0x80060888',
      /OptionSetMetadata/,
    );
    expectDataverseError(
      () => get("GlobalOptionSetDefinitions(Name='budgetstatus')", '$select=Options'),
      400,
      '0x80060888',
      "Could not find a property named 'Options' on type 'Microsoft.Dynamics.CRM.OptionSetMetadataBase'.",
    );
  });
});
