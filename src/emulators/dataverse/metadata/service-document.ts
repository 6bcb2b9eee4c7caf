import type { TableCatalog } from './table-catalog.js';

export interface ServiceDocument {
  readonly '@odata.context': string;
  readonly value: readonly { readonly name: string; readonly kind: 'EntitySet'; readonly url: string }[];
}

/**
 * `GET [org]/api/data/v9.2/` (MSDocs webapi/web-api-service-documents.md): the entity sets of the tables,
 * in name order as the docs' example shows (`accountleadscollection`, `accounts`, …). The metadata sets
 * (EntityDefinitions, GlobalOptionSetDefinitions) are not tables and are not listed.
 */
export function buildServiceDocument(catalog: TableCatalog, serviceRootUrl: string): ServiceDocument {
  const names = catalog.tables.map((t) => t.entitySetName).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    '@odata.context': `${serviceRoot(serviceRootUrl)}$metadata`,
    value: names.map((name) => ({ name, kind: 'EntitySet', url: name })),
  };
}

/** The service root always ends with a slash, so `$metadata` and entity set names append directly. */
export function serviceRoot(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
