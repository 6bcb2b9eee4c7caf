import { describe, expect, it } from 'vitest';
import { DataverseError } from '../errors.js';
import { contextKey, parseMetadataPath } from './metadata-path.js';

describe('parseMetadataPath', () => {
  it('splits segments and reads both key forms', () => {
    expect(
      parseMetadataPath(
        "EntityDefinitions(LogicalName='lead')/Attributes(5967E7CC-AFBB-4C10-BF7E-E7EF430C52BE)/Microsoft.Dynamics.CRM.PicklistAttributeMetadata",
      ),
    ).toEqual([
      { name: 'EntityDefinitions', key: { kind: 'name', property: 'LogicalName', value: 'lead' } },
      { name: 'Attributes', key: { kind: 'id', id: '5967e7cc-afbb-4c10-bf7e-e7ef430c52be' } },
      { name: 'Microsoft.Dynamics.CRM.PicklistAttributeMetadata' },
    ]);
  });

  it('decodes percent-encoding, doubled quotes and braces', () => {
    expect(parseMetadataPath("/GlobalOptionSetDefinitions(Name=%27o''brien%27)/")).toEqual([
      { name: 'GlobalOptionSetDefinitions', key: { kind: 'name', property: 'Name', value: "o'brien" } },
    ]);
    expect(parseMetadataPath('EntityDefinitions({70816501-edb9-4740-a16c-6a5efbc05d84})')[0]?.key).toEqual({
      kind: 'id',
      id: '70816501-edb9-4740-a16c-6a5efbc05d84',
    });
  });

  it.each([
    "EntityDefinitions(LogicalName='lead'",
    'EntityDefinitions(lead)',
    "EntityDefinitions(LogicalName='lead')x",
    '(x)',
  ])('rejects %s', (path) => expect(() => parseMetadataPath(path)).toThrow(DataverseError));

  it('echoes keys as @odata.context writes them', () => {
    expect(contextKey({ kind: 'name', property: 'LogicalName', value: "o'x" })).toBe("'o''x'");
    expect(contextKey({ kind: 'id', id: 'abc' })).toBe('abc');
  });
});
