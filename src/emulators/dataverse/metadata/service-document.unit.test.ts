import { describe, expect, it } from 'vitest';
import { buildServiceDocument } from './service-document.js';
import { TableCatalog } from './table-catalog.js';

describe('buildServiceDocument', () => {
  const catalog = TableCatalog.fromReference();

  it('lists the entity sets of the tables in name order', () => {
    const document = buildServiceDocument(catalog, 'https://127.0.0.1:8443/api/data/v9.2/');
    expect(document['@odata.context']).toBe('https://127.0.0.1:8443/api/data/v9.2/$metadata');
    const names = document.value.map((s) => s.name);
    expect(names).toContain('leads');
    expect(names).toContain('contacts');
    expect(names).toEqual([...names].sort());
    expect(names.length).toBe(catalog.tables.length);
    expect(document.value.find((s) => s.name === 'accounts')).toEqual({
      name: 'accounts',
      kind: 'EntitySet',
      url: 'accounts',
    });
    // The metadata entity sets are not tables (MSDocs webapi/web-api-service-documents.md).
    expect(names).not.toContain('EntityDefinitions');
  });

  it('accepts a service root without the trailing slash', () => {
    expect(buildServiceDocument(catalog, 'http://localhost/api/data/v9.0')['@odata.context']).toBe(
      'http://localhost/api/data/v9.0/$metadata',
    );
  });
});
