import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamicsWebApi } from 'dynamics-web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataverseError } from '../errors.js';
import { buildCsdl } from './csdl-document.js';
import { handleEntityDefinitions } from './entity-definitions-handler.js';
import { handleGlobalOptionSetDefinitions } from './global-option-set-handler.js';
import type { MetadataOptions } from './metadata-options.js';
import { TableCatalog } from './table-catalog.js';

/**
 * Drives the metadata handlers with a client nobody here wrote: DynamicsWebApi 2.5's own metadata helpers
 * (`retrieveEntity`, `retrieveEntities`, `retrieveAttributes`, `retrieveAttribute`, `retrieveGlobalOptionSet`,
 * `retrieveGlobalOptionSets`, `retrieveCsdlMetadata`) build the URLs, a loopback server hands them to the
 * handlers unchanged, and the library's response parser must accept what comes back. The URLs are recorded
 * so the test shows exactly which ones the library sends.
 */
const catalog = TableCatalog.fromReference();
const options: MetadataOptions = {
  changeTrackingEnabled: (name) => name === 'lead',
  alternateKeys: (name) =>
    name === 'contact' ? [{ name: 'contoso_EmailKey', keyAttributes: ['emailaddress1'] }] : [],
};
const PREFIX = '/api/data/v9.2/';

let server: Server;
let baseUrl = '';
const requested: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', baseUrl);
    requested.push(`${url.pathname.slice(PREFIX.length)}${url.search}`);
    const path = url.pathname.slice(PREFIX.length);
    const root = `${baseUrl}${PREFIX}`;
    try {
      if (path === '$metadata') {
        response.writeHead(200, { 'Content-Type': 'application/xml', 'OData-Version': '4.0' });
        response.end(buildCsdl(catalog));
        return;
      }
      const body = path.startsWith('GlobalOptionSetDefinitions')
        ? handleGlobalOptionSetDefinitions(catalog, path, url.searchParams, root)
        : handleEntityDefinitions(catalog, path, url.searchParams, root, options);
      response.writeHead(200, {
        'Content-Type': 'application/json; odata.metadata=minimal',
        'OData-Version': '4.0',
      });
      response.end(JSON.stringify(body));
    } catch (error) {
      if (!(error instanceof DataverseError)) throw error;
      response.writeHead(error.status, {
        'Content-Type': 'application/json; odata.metadata=minimal',
        'OData-Version': '4.0',
      });
      response.end(JSON.stringify({ error: { code: error.code, message: error.message } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = () =>
  new DynamicsWebApi({
    serverUrl: baseUrl,
    dataApi: { version: '9.2' },
    onTokenRefresh: () => Promise.resolve('dummy-token'),
  });

type Options = { Options: { Value: number; Label: { UserLocalizedLabel: { Label: string } } }[] };
const labels = (optionSet: Options) =>
  optionSet.Options.map((o) => `${o.Value} ${o.Label.UserLocalizedLabel.Label}`);

describe('metadata handlers against DynamicsWebApi 2.x', () => {
  it('retrieveEntity by LogicalName, with $select and an expanded Attributes($select)', async () => {
    requested.length = 0;
    const lead = await client().retrieveEntity<{
      LogicalName: string;
      EntitySetName: string;
      ChangeTrackingEnabled: boolean;
    }>({
      key: "LogicalName='lead'",
      select: ['LogicalName', 'EntitySetName', 'ChangeTrackingEnabled'],
    });
    expect(lead).toMatchObject({ LogicalName: 'lead', EntitySetName: 'leads', ChangeTrackingEnabled: true });
    const withAttributes = await client().retrieveEntity<{ Attributes: { LogicalName: string }[] }>({
      key: "LogicalName='lead'",
      select: ['LogicalName'],
      expand: [{ property: 'Attributes', select: ['LogicalName'] }],
    });
    expect(withAttributes.Attributes.map((a) => a.LogicalName)).toContain('leadsourcecode');
    expect(requested).toEqual([
      "EntityDefinitions(LogicalName='lead')?$select=LogicalName,EntitySetName,ChangeTrackingEnabled",
      "EntityDefinitions(LogicalName='lead')?$select=LogicalName&$expand=Attributes($select=LogicalName)",
    ]);
  });

  it('retrieveEntities with a ChangeTrackingEnabled filter', async () => {
    requested.length = 0;
    const tracked = await client().retrieveEntities<{ SchemaName: string }>({
      select: ['SchemaName'],
      filter: 'ChangeTrackingEnabled eq true',
    });
    expect(tracked.value.map((t) => t.SchemaName)).toEqual(['Lead']);
    expect(requested).toEqual([
      'EntityDefinitions?$select=SchemaName&$filter=ChangeTrackingEnabled%20eq%20true',
    ]);
  });

  it('retrieveAttributes cast to PicklistAttributeMetadata with OptionSet expanded', async () => {
    requested.length = 0;
    const picklists = await client().retrieveAttributes<{ LogicalName: string; OptionSet: Options }>({
      entityKey: "LogicalName='lead'",
      castType: 'Microsoft.Dynamics.CRM.PicklistAttributeMetadata',
      select: ['LogicalName'],
      expand: [{ property: 'OptionSet', select: ['Options'] }],
    });
    const source = picklists.value.find((a) => a.LogicalName === 'leadsourcecode');
    expect(source && labels(source.OptionSet)).toContain('8 Web');
    expect(requested).toEqual([
      "EntityDefinitions(LogicalName='lead')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)",
    ]);
  });

  it('retrieveAttribute by LogicalName and by MetadataId, with casts to picklist, state and status', async () => {
    requested.length = 0;
    const source = await client().retrieveAttribute<{
      LogicalName: string;
      MetadataId: string;
      OptionSet: Options;
    }>({
      entityKey: "LogicalName='lead'",
      attributeKey: "LogicalName='leadsourcecode'",
      castType: 'Microsoft.Dynamics.CRM.PicklistAttributeMetadata',
      select: ['LogicalName'],
      expand: [{ property: 'OptionSet', select: ['Options'] }],
    });
    expect(labels(source.OptionSet)).toEqual([
      '1 Advertisement',
      '2 Employee Referral',
      '3 External Referral',
      '4 Partner',
      '5 Public Relations',
      '6 Seminar',
      '7 Trade Show',
      '8 Web',
      '9 Word of Mouth',
      '10 Other',
    ]);
    const table = await client().retrieveEntity<{ MetadataId: string }>({
      key: "LogicalName='lead'",
      select: ['LogicalName'],
    });
    const byId = await client().retrieveAttribute<{ LogicalName: string }>({
      entityKey: table.MetadataId,
      attributeKey: source.MetadataId,
      select: ['LogicalName'],
    });
    expect(byId.LogicalName).toBe('leadsourcecode');
    const state = await client().retrieveAttribute<{
      OptionSet: { Options: { Value: number; DefaultStatus: number }[] };
    }>({
      entityKey: "LogicalName='lead'",
      attributeKey: "LogicalName='statecode'",
      castType: 'Microsoft.Dynamics.CRM.StateAttributeMetadata',
      expand: [{ property: 'OptionSet' }],
    });
    expect(state.OptionSet.Options.map((o) => [o.Value, o.DefaultStatus])).toEqual([
      [0, 1],
      [1, 3],
      [2, 4],
    ]);
    const status = await client().retrieveAttribute<{
      OptionSet: { Options: { Value: number; State: number }[] };
    }>({
      entityKey: "LogicalName='lead'",
      attributeKey: "LogicalName='statuscode'",
      castType: 'Microsoft.Dynamics.CRM.StatusAttributeMetadata',
      select: ['LogicalName'],
      expand: [{ property: 'OptionSet', select: ['Options'] }],
    });
    expect(status.OptionSet.Options.find((o) => o.Value === 3)?.State).toBe(1);
    expect(requested).toEqual([
      "EntityDefinitions(LogicalName='lead')/Attributes(LogicalName='leadsourcecode')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)",
      "EntityDefinitions(LogicalName='lead')?$select=LogicalName",
      `EntityDefinitions(${table.MetadataId})/Attributes(${source.MetadataId})?$select=LogicalName`,
      "EntityDefinitions(LogicalName='lead')/Attributes(LogicalName='statecode')/Microsoft.Dynamics.CRM.StateAttributeMetadata?$expand=OptionSet",
      "EntityDefinitions(LogicalName='lead')/Attributes(LogicalName='statuscode')/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)",
    ]);
  });

  it('retrieveGlobalOptionSet and retrieveGlobalOptionSets with a cast', async () => {
    requested.length = 0;
    const budget = await client().retrieveGlobalOptionSet<Options>({
      key: "Name='budgetstatus'",
      castType: 'Microsoft.Dynamics.CRM.OptionSetMetadata',
      select: ['Options'],
    });
    expect(labels(budget)).toEqual(['0 No Committed Budget', '1 May Buy', '2 Can Buy', '3 Will Buy']);
    const all = await client().retrieveGlobalOptionSets<{ Name: string }>({
      castType: 'Microsoft.Dynamics.CRM.OptionSetMetadata',
      select: ['Name'],
    });
    expect(all.value.map((s) => s.Name)).toContain('purchasetimeframe');
    expect(requested).toEqual([
      "GlobalOptionSetDefinitions(Name='budgetstatus')/Microsoft.Dynamics.CRM.OptionSetMetadata?$select=Options",
      'GlobalOptionSetDefinitions/Microsoft.Dynamics.CRM.OptionSetMetadata?$select=Name',
    ]);
  });

  it('reads alternate keys through retrieve with a navigation property', async () => {
    requested.length = 0;
    const keys = await client().retrieve<{ value: { KeyAttributes: string[] }[] }>({
      collection: 'EntityDefinitions',
      key: "LogicalName='contact'",
      navigationProperty: 'Keys',
    });
    expect(keys.value.map((k) => k.KeyAttributes)).toEqual([['emailaddress1']]);
    expect(requested).toEqual(["EntityDefinitions(LogicalName='contact')/Keys"]);
  });

  it('retrieveCsdlMetadata receives the CSDL document', async () => {
    requested.length = 0;
    const csdl = await client().retrieveCsdlMetadata();
    expect(csdl).toContain('<EntityType Name="lead" BaseType="mscrm.crmbaseentity">');
    expect(requested).toEqual(['$metadata']);
  });

  it('surfaces an unknown table as the 404 the library reports', async () => {
    await expect(
      client().retrieveEntity({ key: "LogicalName='nosuchtable'", select: ['LogicalName'] }),
    ).rejects.toMatchObject({
      status: 404,
      code: '0x80041102',
    });
  });
});
