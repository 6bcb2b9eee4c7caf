import { describe, expect, it } from 'vitest';
import { handleEntityDefinitions } from './entity-definitions-handler.js';
import type { MetadataOptions } from './metadata-options.js';
import { asJson, expectDataverseError, items, params, ROOT, type Json } from './metadata-test-support.js';
import { TableCatalog } from './table-catalog.js';

const catalog = TableCatalog.fromReference();
const get = (path: string, query = '', options: MetadataOptions = {}) =>
  asJson(handleEntityDefinitions(catalog, path, params(query), ROOT, options));
const lead = "EntityDefinitions(LogicalName='lead')";
const labelOf = (value: unknown) =>
  (value as { UserLocalizedLabel: { Label: string } }).UserLocalizedLabel.Label;

const SELECT =
  'LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,DisplayName,ObjectTypeCode,IsActivity,OwnershipType,ChangeTrackingEnabled,SchemaName,LogicalCollectionName,IsValidForAdvancedFind';

describe('EntityDefinitions', () => {
  it('retrieves one table by LogicalName, trimmed to $select plus MetadataId', () => {
    const body = get(lead, `$select=${SELECT}`);
    expect(body['@odata.context']).toBe(`${ROOT}$metadata#EntityDefinitions(${SELECT})/$entity`);
    expect(Object.keys(body).sort()).toEqual(['@odata.context', 'MetadataId', ...SELECT.split(',')].sort());
    expect(body).toMatchObject({
      LogicalName: 'lead',
      EntitySetName: 'leads',
      PrimaryIdAttribute: 'leadid',
      PrimaryNameAttribute: 'fullname',
      ObjectTypeCode: 4,
      IsActivity: false,
      OwnershipType: 'UserOwned',
      ChangeTrackingEnabled: false,
      SchemaName: 'Lead',
      LogicalCollectionName: 'leads',
      IsValidForAdvancedFind: true,
    });
    expect(labelOf(body['DisplayName'])).toBe('Lead');
    expect((body['DisplayName'] as { LocalizedLabels: Json[] }).LocalizedLabels[0]).toMatchObject({
      LanguageCode: 1033,
      IsManaged: true,
      HasChanged: null,
    });
  });

  it('retrieves a table by its MetadataId, echoing the GUID in the context', () => {
    const { MetadataId } = get(lead, '$select=LogicalName');
    const body = get(`EntityDefinitions(${String(MetadataId)})/Attributes(LogicalName='subject')`, '');
    expect(body['@odata.context']).toBe(
      `${ROOT}$metadata#EntityDefinitions(${String(MetadataId)})/Attributes/$entity`,
    );
    expect(get(`EntityDefinitions(MetadataId=${String(MetadataId)})`)['LogicalName']).toBe('lead');
  });

  it('serves the full table definition without $select', () => {
    const body = get("EntityDefinitions(LogicalName='task')");
    expect(body).toMatchObject({
      '@odata.context': `${ROOT}$metadata#EntityDefinitions/$entity`,
      LogicalName: 'task',
      IsActivity: true,
      ObjectTypeCode: 4212,
      PrimaryIdAttribute: 'activityid',
      CollectionSchemaName: 'Tasks',
      HasChanged: null,
    });
    expect(get("EntityDefinitions(LogicalName='opportunity')")['CollectionSchemaName']).toBe('Opportunities');
    expect(labelOf(get("EntityDefinitions(LogicalName='activityparty')")['DisplayCollectionName'])).toBe(
      'Activity Parties',
    );
    expect(body).not.toHaveProperty('Attributes');
  });

  it('lists tables, filtered by LogicalName, EntitySetName or enum values', () => {
    const all = items(get('EntityDefinitions', '$select=LogicalName'));
    expect(all.length).toBe(catalog.tables.length);
    expect(get('EntityDefinitions', '$select=LogicalName')['@odata.context']).toBe(
      `${ROOT}$metadata#EntityDefinitions(LogicalName)`,
    );
    expect(items(get('EntityDefinitions', "$select=LogicalName&$filter=LogicalName eq 'contact'"))).toEqual([
      { LogicalName: 'contact', MetadataId: expect.any(String) as unknown },
    ]);
    expect(
      items(get('EntityDefinitions', "$select=EntitySetName&$filter=EntitySetName eq 'leads'")).map(
        (t) => t['EntitySetName'],
      ),
    ).toEqual(['leads']);
    const userOwned = items(
      get(
        'EntityDefinitions',
        "$select=LogicalName&$filter=OwnershipType eq Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned'",
      ),
    ).map((t) => t['LogicalName']);
    expect(userOwned).toContain('lead');
    expect(userOwned).not.toContain('systemuser');
    expect(
      items(
        get(
          'EntityDefinitions',
          '$filter=CanCreateAttributes/Value eq true and IsActivity eq true&$select=LogicalName',
        ),
      ).length,
    ).toBe(3);
  });

  it('reports ChangeTrackingEnabled from the emulator configuration', () => {
    const options: MetadataOptions = {
      changeTrackingEnabled: (name) => name === 'lead' || name === 'contact',
    };
    const tracked = items(
      get('EntityDefinitions', '$select=SchemaName&$filter=ChangeTrackingEnabled eq true', options),
    );
    expect(tracked.map((t) => t['SchemaName'])).toEqual(['Lead', 'Contact']);
    expect(get(lead, '$select=ChangeTrackingEnabled', options)['ChangeTrackingEnabled']).toBe(true);
  });

  it('expands Attributes with nested $select and $filter', () => {
    const body = get(
      "EntityDefinitions(LogicalName='account')",
      "$select=LogicalName&$expand=Attributes($select=LogicalName;$filter=AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'Picklist')",
    );
    expect(body['@odata.context']).toBe(
      `${ROOT}$metadata#EntityDefinitions(LogicalName,Attributes(LogicalName))/$entity`,
    );
    const attributes = body['Attributes'] as Json[];
    expect(attributes.length).toBeGreaterThan(10);
    expect(attributes[0]).toEqual({
      '@odata.type': '#Microsoft.Dynamics.CRM.PicklistAttributeMetadata',
      LogicalName: 'accountcategorycode',
      MetadataId: expect.any(String) as unknown,
    });
  });

  it('serves alternate keys: none by default, the configured ones otherwise', () => {
    expect(get(`${lead}/Keys`)).toEqual({
      '@odata.context': `${ROOT}$metadata#EntityDefinitions('lead')/Keys`,
      value: [],
    });
    const options: MetadataOptions = {
      alternateKeys: (name) =>
        name === 'contact' ? [{ name: 'contoso_EmailKey', keyAttributes: ['emailaddress1'] }] : [],
    };
    const contact = "EntityDefinitions(LogicalName='contact')";
    const keys = items(get(`${contact}/Keys`, '', options));
    expect(keys).toEqual([
      expect.objectContaining({
        KeyAttributes: ['emailaddress1'],
        LogicalName: 'contoso_emailkey',
        SchemaName: 'contoso_EmailKey',
        EntityLogicalName: 'contact',
        EntityKeyIndexStatus: 'Active',
      }),
    ]);
    expect(get(`${contact}/Keys(LogicalName='contoso_emailkey')`, '$select=KeyAttributes', options)).toEqual({
      '@odata.context': `${ROOT}$metadata#EntityDefinitions('contact')/Keys(KeyAttributes)/$entity`,
      KeyAttributes: ['emailaddress1'],
      MetadataId: keys[0]?.['MetadataId'],
    });
    expect(get(contact, '$select=LogicalName&$expand=Keys($select=KeyAttributes)', options)['Keys']).toEqual([
      { KeyAttributes: ['emailaddress1'], MetadataId: keys[0]?.['MetadataId'] },
    ]);
  });

  it('serves a single property', () => {
    expect(get(`${lead}/EntitySetName`)).toEqual({
      '@odata.context': `${ROOT}$metadata#EntityDefinitions('lead')/EntitySetName`,
      value: 'leads',
    });
  });

  it('answers unknown tables, properties and options with Dataverse errors', () => {
    expectDataverseError(
      () => get("EntityDefinitions(LogicalName='nosuchtable')"),
      404,
      '0x80041102',
      "The entity with a name = 'nosuchtable' with namemapping = 'Logical' was not found in the MetadataCache.",
    );
    expectDataverseError(
      () => get('EntityDefinitions(00000000-0000-0000-0000-000000000001)'),
      404,
      '0x80041102',
      /id = /,
    );
    expectDataverseError(
      () => get(lead, '$select=LogicalName,NoSuchProperty'),
      400,
      '0x80060888',
      "Could not find a property named 'NoSuchProperty' on type 'Microsoft.Dynamics.CRM.EntityMetadata'.",
    );
    expectDataverseError(() => get('EntityDefinitions', "$filter=Nope eq 'x'"), 400, '0x80060888', /'Nope'/);
    expectDataverseError(
      () => get('EntityDefinitions', '$top=1'),
      400,
      '0x80060888',
      'The query parameter $top is not supported',
    );
    expectDataverseError(
      () => get('EntityDefinitions', "$filter=contains(LogicalName,'lead')"),
      400,
      '0x80060888',
      /contains/,
    );
    expectDataverseError(
      () => get("EntityDefinitions(SchemaName='Lead')"),
      400,
      '0x80060888',
      /EntityMetadata/,
    );
    expectDataverseError(
      () => get(`${lead}/NoSuchThing`),
      404,
      '0x80060888',
      "Resource not found for the segment 'NoSuchThing'.",
    );
    expectDataverseError(() => get('EntityDefinitions/Attributes'), 404, '0x80060888', /'Attributes'/);
    expectDataverseError(() => get('accounts'), 404, '0x80060888', /'accounts'/);
    expectDataverseError(
      () => get(`${lead}/ManyToOneRelationships`),
      501,
      '0x8006088a',
      /ManyToOneRelationships/,
    );
    expectDataverseError(() => get("EntityDefinitions(LogicalName='lead"), 400, '0x80060888', /syntax/);
  });
});
