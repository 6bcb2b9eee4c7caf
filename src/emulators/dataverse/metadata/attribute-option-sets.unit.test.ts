import { describe, expect, it } from 'vitest';
import { handleEntityDefinitions } from './entity-definitions-handler.js';
import { asJson, params, ROOT, type Json } from './metadata-test-support.js';
import { TableCatalog } from './table-catalog.js';

const catalog = TableCatalog.fromReference();
const get = (path: string, query = '') => asJson(handleEntityDefinitions(catalog, path, params(query), ROOT));
const lead = "EntityDefinitions(LogicalName='lead')";
const ns = 'Microsoft.Dynamics.CRM.';

const labelOf = (value: unknown) =>
  (value as { UserLocalizedLabel: { Label: string } }).UserLocalizedLabel.Label;
const optionsOf = (body: Json) => (body['OptionSet'] as { Options: Json[] }).Options;

describe('Option sets of choice columns', () => {
  it('answers the lead source picklist request of protocols/dataverse.md §5.1 in the real shape', () => {
    const body = get(
      `${lead}/Attributes(LogicalName='leadsourcecode')/${ns}PicklistAttributeMetadata`,
      '$select=LogicalName&$expand=OptionSet($select=Options)',
    );
    expect(body['@odata.context']).toBe(
      `${ROOT}$metadata#EntityDefinitions('lead')/Attributes/${ns}PicklistAttributeMetadata(LogicalName,OptionSet(Options))/$entity`,
    );
    expect(Object.keys(body)).toEqual([
      '@odata.context',
      'LogicalName',
      'MetadataId',
      'OptionSet@odata.context',
      'OptionSet',
    ]);
    expect(body['LogicalName']).toBe('leadsourcecode');
    expect(body['MetadataId']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(body['OptionSet@odata.context']).toBe(
      `${ROOT}$metadata#EntityDefinitions('lead')/Attributes(${String(body['MetadataId'])})/${ns}PicklistAttributeMetadata/OptionSet/$entity`,
    );
    expect(Object.keys(body['OptionSet'] as Json)).toEqual(['Options', 'MetadataId']);
    const options = optionsOf(body);
    expect(options.map((o) => [o['Value'], labelOf(o['Label'])])).toEqual([
      [1, 'Advertisement'],
      [2, 'Employee Referral'],
      [3, 'External Referral'],
      [4, 'Partner'],
      [5, 'Public Relations'],
      [6, 'Seminar'],
      [7, 'Trade Show'],
      [8, 'Web'],
      [9, 'Word of Mouth'],
      [10, 'Other'],
    ]);
    const first = options[0] as Json;
    expect(first).toMatchObject({
      Value: 1,
      Description: { LocalizedLabels: [], UserLocalizedLabel: null },
      Color: null,
      IsManaged: true,
      ExternalValue: null,
      MetadataId: null,
      HasChanged: null,
    });
    const localized = (first['Label'] as { LocalizedLabels: Json[] }).LocalizedLabels;
    expect(localized).toEqual([
      {
        Label: 'Advertisement',
        LanguageCode: 1033,
        IsManaged: true,
        MetadataId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
        HasChanged: null,
      },
    ]);
    expect((first['Label'] as Json)['UserLocalizedLabel']).toEqual(localized[0]);
  });

  it('gives the same MetadataIds on every call and by either key', () => {
    const byName = get(`${lead}/Attributes(LogicalName='leadsourcecode')`);
    const table = get(lead, '$select=LogicalName');
    const byId = get(
      `EntityDefinitions(${String(table['MetadataId'])})/Attributes(${String(byName['MetadataId'])})`,
    );
    expect(byId['LogicalName']).toBe('leadsourcecode');
    expect(byId['MetadataId']).toBe(byName['MetadataId']);
    expect(get(`${lead}/Attributes(LogicalName='leadsourcecode')`)).toEqual(byName);
  });

  it('serves the whole option set, with Name and IsGlobal, when it is expanded without $select', () => {
    const body = get(
      `${lead}/Attributes(LogicalName='leadsourcecode')/${ns}PicklistAttributeMetadata`,
      '$expand=OptionSet,GlobalOptionSet',
    );
    expect(body['OptionSet']).toMatchObject({
      Name: 'lead_leadsourcecode',
      IsGlobal: false,
      OptionSetType: 'Picklist',
    });
    expect(labelOf((body['OptionSet'] as Json)['DisplayName'])).toBe('Lead Source');
    // A local option set has no global one behind it.
    expect(body['GlobalOptionSet']).toBeNull();
    const budget = get(
      `${lead}/Attributes(LogicalName='budgetstatus')/${ns}PicklistAttributeMetadata`,
      '$expand=GlobalOptionSet',
    );
    expect(budget['GlobalOptionSet']).toMatchObject({ Name: 'budgetstatus', IsGlobal: true });
  });

  it('reaches the option set itself through the OptionSet segment (MSDocs example)', () => {
    const body = get(
      `${lead}/Attributes(LogicalName='leadqualitycode')/${ns}PicklistAttributeMetadata/OptionSet`,
      '$select=Options',
    );
    expect(body['@odata.context']).toBe(
      `${ROOT}$metadata#EntityDefinitions('lead')/Attributes('leadqualitycode')/${ns}PicklistAttributeMetadata/OptionSet(Options)/$entity`,
    );
    expect((body['Options'] as Json[]).map((o) => labelOf(o['Label']))).toEqual(['Hot', 'Warm', 'Cold']);
  });

  it('casts to StateAttributeMetadata: options carry DefaultStatus and InvariantName', () => {
    const body = get(
      `${lead}/Attributes(LogicalName='statecode')/${ns}StateAttributeMetadata`,
      '$select=LogicalName&$expand=OptionSet',
    );
    expect(
      optionsOf(body).map((o) => [
        o['@odata.type'],
        o['Value'],
        labelOf(o['Label']),
        o['DefaultStatus'],
        o['InvariantName'],
      ]),
    ).toEqual([
      [`#${ns}StateOptionMetadata`, 0, 'Open', 1, 'Open'],
      [`#${ns}StateOptionMetadata`, 1, 'Qualified', 3, 'Qualified'],
      [`#${ns}StateOptionMetadata`, 2, 'Disqualified', 4, 'Disqualified'],
    ]);
    expect((body['OptionSet'] as Json)['OptionSetType']).toBe('State');
  });

  it('casts to StatusAttributeMetadata: options carry State', () => {
    const body = get(
      `${lead}/Attributes(LogicalName='statuscode')/${ns}StatusAttributeMetadata`,
      '$expand=OptionSet($select=Options)',
    );
    expect(optionsOf(body).map((o) => [o['Value'], labelOf(o['Label']), o['State']])).toEqual([
      [1, 'New', 0],
      [2, 'Contacted', 0],
      [3, 'Qualified', 1],
      [4, 'Lost', 2],
      [5, 'Cannot Contact', 2],
      [6, 'No Longer Interested', 2],
      [7, 'Canceled', 2],
    ]);
    const task = get(
      "EntityDefinitions(LogicalName='task')/Attributes(LogicalName='statuscode')/Microsoft.Dynamics.CRM.StatusAttributeMetadata",
      '$expand=OptionSet($select=Options)',
    );
    expect(optionsOf(task).map((o) => [o['Value'], o['State']])).toEqual([
      [2, 0],
      [3, 0],
      [4, 0],
      [5, 1],
      [6, 2],
      [7, 0],
    ]);
  });
});
