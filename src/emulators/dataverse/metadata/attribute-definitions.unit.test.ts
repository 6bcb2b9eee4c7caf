import { describe, expect, it } from 'vitest';
import { handleEntityDefinitions } from './entity-definitions-handler.js';
import { asJson, expectDataverseError, items, params, ROOT, type Json } from './metadata-test-support.js';
import { TableCatalog } from './table-catalog.js';

const catalog = TableCatalog.fromReference();
const get = (path: string, query = '') => asJson(handleEntityDefinitions(catalog, path, params(query), ROOT));
const lead = "EntityDefinitions(LogicalName='lead')";
const ns = 'Microsoft.Dynamics.CRM.';

const labelOf = (value: unknown) =>
  (value as { UserLocalizedLabel: { Label: string } }).UserLocalizedLabel.Label;

describe('Attributes of a table', () => {
  it('shapes one attribute of each kind as the real service does', () => {
    const subject = get(`${lead}/Attributes(LogicalName='subject')`);
    expect(subject).toMatchObject({
      '@odata.context': `${ROOT}$metadata#EntityDefinitions('lead')/Attributes/$entity`,
      '@odata.type': `#${ns}StringAttributeMetadata`,
      LogicalName: 'subject',
      SchemaName: 'Subject',
      AttributeType: 'String',
      AttributeTypeName: { Value: 'StringType' },
      RequiredLevel: {
        Value: 'ApplicationRequired',
        CanBeChanged: true,
        ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings',
      },
      IsValidForCreate: true,
      IsValidForUpdate: true,
      IsValidForRead: true,
      IsPrimaryId: false,
      IsPrimaryName: false,
      IsCustomAttribute: false,
      MaxLength: 300,
      Format: 'Text',
    });
    expect(labelOf(subject['DisplayName'])).toBe('Topic');
    expect(get(`${lead}/Attributes(LogicalName='leadid')`)).toMatchObject({
      IsPrimaryId: true,
      AttributeType: 'Uniqueidentifier',
    });
    expect(get(`${lead}/Attributes(LogicalName='fullname')`)).toMatchObject({ IsPrimaryName: true });

    const cast = (name: string, type: string, select: string) =>
      get(`${lead}/Attributes(LogicalName='${name}')/${ns}${type}`, `$select=${select}`);
    expect(cast('revenue', 'MoneyAttributeMetadata', 'MinValue,MaxValue,Precision')).toMatchObject({
      MinValue: 0,
      MaxValue: 100000000000000,
      Precision: 2,
    });
    expect(cast('numberofemployees', 'IntegerAttributeMetadata', 'MinValue,MaxValue')).toMatchObject({
      MinValue: 0,
      MaxValue: 1000000,
    });
    expect(cast('createdon', 'DateTimeAttributeMetadata', 'Format,DateTimeBehavior')).toMatchObject({
      Format: 'DateAndTime',
      DateTimeBehavior: { Value: 'UserLocal' },
    });
    expect(cast('parentaccountid', 'LookupAttributeMetadata', 'Targets,AttributeType')).toMatchObject({
      Targets: ['account'],
      AttributeType: 'Lookup',
    });
    expect(cast('customerid', 'LookupAttributeMetadata', 'Targets,AttributeType')).toMatchObject({
      Targets: ['account', 'contact'],
      AttributeType: 'Customer',
    });
    expect(cast('ownerid', 'LookupAttributeMetadata', 'Targets')).toMatchObject({
      Targets: ['systemuser', 'team'],
    });
    expect(cast('donotemail', 'BooleanAttributeMetadata', 'DefaultValue,AttributeType')).toMatchObject({
      DefaultValue: false,
      AttributeType: 'Boolean',
    });
    // Sales makes leads a regarding target of tasks (protocols/dataverse.md §1.5).
    expect(
      get(
        `EntityDefinitions(LogicalName='task')/Attributes(LogicalName='regardingobjectid')/${ns}LookupAttributeMetadata`,
        '$select=Targets',
      )['Targets'],
    ).toContain('lead');
    // Columns that only describe a lookup say which one.
    expect(get(`${lead}/Attributes(LogicalName='owneridname')`)).toMatchObject({
      AttributeOf: 'ownerid',
      IsValidODataAttribute: false,
    });
  });

  it('trims to $select but always returns MetadataId; a cast drops the then-redundant @odata.type', () => {
    const body = get(
      `${lead}/Attributes(LogicalName='subject')/${ns}StringAttributeMetadata`,
      '$select=LogicalName,MaxLength',
    );
    expect(body).toEqual({
      '@odata.context': `${ROOT}$metadata#EntityDefinitions('lead')/Attributes/${ns}StringAttributeMetadata(LogicalName,MaxLength)/$entity`,
      LogicalName: 'subject',
      MaxLength: 300,
      MetadataId: expect.any(String) as unknown,
    });
  });

  it('lists attributes, filtered by a cast, $filter and trimmed by $select', () => {
    const all = items(get(`${lead}/Attributes`, '$select=LogicalName'));
    expect(all.length).toBe(catalog.require('lead').definition.attributes.length);
    expect(all[0]).toHaveProperty('@odata.type');
    const picklists = get(
      `${lead}/Attributes/${ns}PicklistAttributeMetadata`,
      '$select=LogicalName&$expand=OptionSet($select=Options)',
    );
    expect(picklists['@odata.context']).toBe(
      `${ROOT}$metadata#EntityDefinitions('lead')/Attributes/${ns}PicklistAttributeMetadata(LogicalName,OptionSet(Options))`,
    );
    const value = items(picklists);
    expect(value.map((a) => a['LogicalName'])).toContain('leadsourcecode');
    expect(value.map((a) => a['LogicalName'])).not.toContain('statecode');
    expect(
      value.every((a) => !('@odata.type' in a) && Array.isArray((a['OptionSet'] as Json)['Options'])),
    ).toBe(true);
    const required = items(
      get(
        `${lead}/Attributes`,
        "$select=LogicalName&$filter=RequiredLevel/Value eq Microsoft.Dynamics.CRM.AttributeRequiredLevel'SystemRequired'",
      ),
    );
    expect(required.map((a) => a['LogicalName'])).toContain('statecode');
    expect(required.map((a) => a['LogicalName'])).not.toContain('subject');
    expect(
      items(get(`${lead}/Attributes`, "$filter=LogicalName eq 'subject'")).map((a) => a['MaxLength']),
    ).toEqual([300]);
  });

  it('refuses casts the column does not have, and unknown casts, as resources not found', () => {
    const segment = `${ns}PicklistAttributeMetadata`;
    expectDataverseError(
      () => get(`${lead}/Attributes(LogicalName='subject')/${segment}`),
      404,
      '0x80060888',
      `Resource not found for the segment '${segment}'.`,
    );
    expectDataverseError(
      () => get(`${lead}/Attributes/${ns}EnumAttributeMetadata`),
      404,
      '0x80060888',
      /EnumAttributeMetadata/,
    );
    expectDataverseError(
      () => get(`${lead}/Attributes(LogicalName='leadsourcecode')/OptionSet`),
      404,
      '0x80060888',
      /'OptionSet'/,
    );
  });

  it('refuses subtype properties without a cast', () => {
    expectDataverseError(
      () => get(`${lead}/Attributes(LogicalName='subject')`, '$select=MaxLength'),
      400,
      '0x80060888',
      `Could not find a property named 'MaxLength' on type '${ns}AttributeMetadata'.`,
    );
    expectDataverseError(
      () => get(`${lead}`, '$expand=Attributes($expand=OptionSet)'),
      400,
      '0x80060888',
      /OptionSet/,
    );
    expectDataverseError(
      () =>
        get(
          `${lead}/Attributes(LogicalName='leadsourcecode')/${ns}PicklistAttributeMetadata`,
          '$select=Nope',
        ),
      400,
      '0x80060888',
      `Could not find a property named 'Nope' on type '${ns}PicklistAttributeMetadata'.`,
    );
  });

  it('answers 404 for an unknown attribute', () => {
    expectDataverseError(
      () => get(`${lead}/Attributes(LogicalName='nosuchcolumn')`),
      404,
      '0x80041103',
      "'lead' entity doesn't contain attribute with Name = 'nosuchcolumn' and NameMapping = 'Logical'.",
    );
    expectDataverseError(
      () => get(`${lead}/Attributes(00000000-0000-0000-0000-000000000001)`),
      404,
      '0x80041103',
      /Id = /,
    );
  });

  it('serves a single property of an attribute', () => {
    expect(get(`${lead}/Attributes(LogicalName='subject')/SchemaName`)).toEqual({
      '@odata.context': `${ROOT}$metadata#EntityDefinitions('lead')/Attributes('subject')/SchemaName`,
      value: 'Subject',
    });
  });
});
