import { dataverseErrors } from '../errors.js';
import { handleAttributes, renderAttribute, type AttributeScope } from './attribute-definitions.js';
import { attributeNavigations, attributeProperties, buildAttributeMetadata } from './attribute-metadata.js';
import { buildEntityKeyMetadata, ENTITY_KEY_PROPERTIES } from './entity-key-metadata.js';
import {
  buildEntityMetadata,
  ENTITY_METADATA_NAVIGATIONS,
  ENTITY_METADATA_PROPERTIES,
  tableMetadataId,
} from './entity-metadata.js';
import { metadataErrors } from './metadata-errors.js';
import type { MetadataOptions } from './metadata-options.js';
import { contextKey, parseMetadataPath, type MetadataKey, type MetadataSegment } from './metadata-path.js';
import {
  checkQueryNames,
  contextProjection,
  matchesQuery,
  parseMetadataQuery,
  project,
  type MetadataQuery,
} from './metadata-query.js';
import { serviceRoot } from './service-document.js';
import type { TableCatalog, TableModel } from './table-catalog.js';

const ENTITY_PROPERTIES: ReadonlySet<string> = new Set(ENTITY_METADATA_PROPERTIES);
const SERVED_NAVIGATIONS = new Set(['Attributes', 'Keys']);

/**
 * `GET [org]/api/data/v9.2/EntityDefinitions…` (MSDocs webapi/query-metadata-web-api.md; protocols/dataverse.md
 * §5.1). `path` is the part after the service root; the answer is the JSON body. Bad input throws a
 * DataverseError. Metadata is never paged.
 */
export function handleEntityDefinitions(
  catalog: TableCatalog,
  path: string,
  query: URLSearchParams,
  serviceRootUrl: string,
  options: MetadataOptions = {},
): unknown {
  const [head, next, ...rest] = parseMetadataPath(path);
  if (head?.name !== 'EntityDefinitions') throw dataverseErrors.resourceNotFound(head?.name ?? path);
  const metadataQuery = parseMetadataQuery(query);
  const root = `${serviceRoot(serviceRootUrl)}$metadata#`;

  if (!head.key) {
    if (next) throw dataverseErrors.resourceNotFound(next.name);
    checkQueryNames(metadataQuery, 'EntityMetadata', ENTITY_PROPERTIES, ENTITY_METADATA_NAVIGATIONS);
    const value = catalog.tables
      .map((table) => ({ table, metadata: buildEntityMetadata(catalog, table, options) }))
      .filter(({ metadata }) => matchesQuery(metadataQuery, metadata))
      .map(({ table, metadata }) => renderEntity(catalog, table, metadata, metadataQuery, options, root));
    return { '@odata.context': `${root}EntityDefinitions${contextProjection(metadataQuery)}`, value };
  }

  const table = findTable(catalog, head.key);
  const context = `${root}EntityDefinitions(${contextKey(head.key)})`;
  if (!next) {
    if (metadataQuery.filter) throw dataverseErrors.queryOptionNotSupported('$filter');
    checkQueryNames(metadataQuery, 'EntityMetadata', ENTITY_PROPERTIES, ENTITY_METADATA_NAVIGATIONS);
    const item = renderEntity(
      catalog,
      table,
      buildEntityMetadata(catalog, table, options),
      metadataQuery,
      options,
      root,
    );
    return {
      '@odata.context': `${root}EntityDefinitions${contextProjection(metadataQuery)}/$entity`,
      ...item,
    };
  }
  if (next.name === 'Attributes')
    return handleAttributes({ catalog, table, context }, next, rest, metadataQuery);
  if (next.name === 'Keys') return handleKeys(table, next, rest, metadataQuery, options, context);
  if (ENTITY_METADATA_NAVIGATIONS.has(next.name))
    throw dataverseErrors.notImplemented(`EntityDefinitions(...)/${next.name}`);
  // A single property: `EntityDefinitions(LogicalName='lead')/EntitySetName` → {"value":"leads"}.
  if (ENTITY_PROPERTIES.has(next.name) && !next.key && rest.length === 0)
    return {
      '@odata.context': `${context}/${next.name}`,
      value: buildEntityMetadata(catalog, table, options)[next.name],
    };
  throw dataverseErrors.resourceNotFound(next.name);
}

/** `LogicalName='lead'` or the table's MetadataId; EntityMetadata has no other key. */
function findTable(catalog: TableCatalog, key: MetadataKey): TableModel {
  if (key.kind === 'id') {
    const table = catalog.tables.find((t) => tableMetadataId(t.logicalName) === key.id);
    if (!table) throw metadataErrors.unknownTableId(key.id);
    return table;
  }
  if (key.property !== 'LogicalName') throw dataverseErrors.invalidKey('EntityMetadata');
  const table = catalog.table(key.value.toLowerCase());
  if (!table) throw metadataErrors.unknownTable(key.value);
  return table;
}

function renderEntity(
  catalog: TableCatalog,
  table: TableModel,
  metadata: Readonly<Record<string, unknown>>,
  query: MetadataQuery,
  options: MetadataOptions,
  root: string,
): Record<string, unknown> {
  const item = project(metadata, query.select);
  for (const expand of query.expand) {
    if (!SERVED_NAVIGATIONS.has(expand.name)) throw dataverseErrors.notImplemented(`$expand=${expand.name}`);
    if (expand.name === 'Keys') {
      checkQueryNames(expand.query, 'EntityKeyMetadata', ENTITY_KEY_PROPERTIES, new Set());
      item['Keys'] = keysOf(table, options)
        .filter((key) => matchesQuery(expand.query, key))
        .map((key) => project(key, expand.query.select));
      continue;
    }
    // Expanded attributes are typed AttributeMetadata: subtype properties need a cast (query-metadata-web-api.md).
    checkQueryNames(
      expand.query,
      'AttributeMetadata',
      attributeProperties(undefined),
      attributeNavigations(undefined),
    );
    const scope: AttributeScope = {
      catalog,
      table,
      context: `${root}EntityDefinitions(${metadata['MetadataId']})`,
    };
    item['Attributes'] = table.definition.attributes
      .map((attribute) => ({ attribute, attributeMetadata: buildAttributeMetadata(table, attribute) }))
      .filter(({ attributeMetadata }) => matchesQuery(expand.query, attributeMetadata))
      .map(({ attribute, attributeMetadata }) =>
        renderAttribute(scope, attribute, undefined, expand.query, attributeMetadata),
      );
  }
  return item;
}

function keysOf(table: TableModel, options: MetadataOptions) {
  return (options.alternateKeys?.(table.logicalName) ?? []).map((key) => buildEntityKeyMetadata(table, key));
}

/** `…/Keys` and `…/Keys(LogicalName='x')`: the alternate keys configured for the table (none by default). */
function handleKeys(
  table: TableModel,
  segment: MetadataSegment,
  rest: readonly MetadataSegment[],
  query: MetadataQuery,
  options: MetadataOptions,
  context: string,
): unknown {
  if (rest[0]) throw dataverseErrors.resourceNotFound(rest[0].name);
  if (query.expand.length > 0) throw dataverseErrors.queryOptionNotSupported('$expand');
  checkQueryNames(query, 'EntityKeyMetadata', ENTITY_KEY_PROPERTIES, new Set());
  const keys = keysOf(table, options);
  const { key } = segment;
  if (!key) {
    const value = keys.filter((k) => matchesQuery(query, k)).map((k) => project(k, query.select));
    return { '@odata.context': `${context}/Keys${contextProjection(query)}`, value };
  }
  if (key.kind === 'name' && key.property !== 'LogicalName')
    throw dataverseErrors.invalidKey('EntityKeyMetadata');
  const found = keys.find((k) =>
    key.kind === 'id' ? k.MetadataId === key.id : k.LogicalName === key.value.toLowerCase(),
  );
  if (!found) throw metadataErrors.unknownKey(table.logicalName, key.kind === 'id' ? key.id : key.value);
  return {
    '@odata.context': `${context}/Keys${contextProjection(query)}/$entity`,
    ...project(found, query.select),
  };
}
