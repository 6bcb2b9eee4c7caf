import { dataverseErrors } from '../errors.js';
import { ATTRIBUTE_METADATA_TYPES, attributeKind, type AttributeMetadataType } from './attribute-kind.js';
import {
  attributeMetadataId,
  attributeNavigations,
  attributeProperties,
  buildAttributeMetadata,
} from './attribute-metadata.js';
import { metadataErrors } from './metadata-errors.js';
import { contextKey, type MetadataKey, type MetadataSegment } from './metadata-path.js';
import {
  checkQueryNames,
  contextProjection,
  matchesQuery,
  project,
  type MetadataQuery,
} from './metadata-query.js';
import {
  BOOLEAN_OPTION_SET_PROPERTIES,
  buildOptionSet,
  OPTION_SET_PROPERTIES,
} from './option-set-metadata.js';
import type { TableCatalog, TableModel } from './table-catalog.js';
import type { AttributeDefinition } from './table-definition.js';

/** Where an Attributes request happens: the table, and the `@odata.context` prefix up to `EntityDefinitions(…)`. */
export interface AttributeScope {
  readonly catalog: TableCatalog;
  readonly table: TableModel;
  /** `[root]$metadata#EntityDefinitions('lead')` */
  readonly context: string;
}

const NAMESPACE = 'Microsoft.Dynamics.CRM.';

/**
 * `…/Attributes`, `…/Attributes(LogicalName='x')` or `(<MetadataId>)`, optionally cast to a subtype
 * (`/Microsoft.Dynamics.CRM.PicklistAttributeMetadata`), then optionally `/OptionSet` or `/GlobalOptionSet`
 * (MSDocs webapi/query-metadata-web-api.md §Querying EntityMetadata attributes, §Retrieving attributes).
 * A cast the column's type does not match finds no resource, as on the real service.
 */
export function handleAttributes(
  scope: AttributeScope,
  attributesSegment: MetadataSegment,
  rest: readonly MetadataSegment[],
  query: MetadataQuery,
): unknown {
  let key = attributesSegment.key;
  const [castSegment, ...after] = rest;
  const cast = castSegment ? castType(castSegment) : undefined;
  // OData also allows the key after the cast: Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata(LogicalName='x').
  if (castSegment?.key) {
    if (key) throw dataverseErrors.invalidQuery('Bad Request - Error in query syntax.');
    key = castSegment.key;
  }
  if (castSegment && !cast) {
    // Not a cast: a property of AttributeMetadata (`Attributes(…)/LogicalName`) or nothing at all.
    if (!key || after.length > 0 || !attributeProperties(undefined).has(castSegment.name) || castSegment.key)
      throw dataverseErrors.resourceNotFound(castSegment.name);
    const attribute = findAttribute(scope.table, key);
    const value = buildAttributeMetadata(scope.table, attribute)[castSegment.name];
    return { '@odata.context': `${scope.context}/Attributes(${contextKey(key)})/${castSegment.name}`, value };
  }
  const castPath = cast ? `/${NAMESPACE}${cast}` : '';

  if (!key) {
    if (after.length > 0) throw dataverseErrors.resourceNotFound(after[0]?.name ?? '');
    checkQueryNames(
      query,
      cast ?? 'AttributeMetadata',
      attributeProperties(cast),
      attributeNavigations(cast),
    );
    const value = scope.table.definition.attributes
      .filter((attribute) => !cast || attributeKind(attribute).metadataType === cast)
      .map((attribute) => ({ attribute, metadata: buildAttributeMetadata(scope.table, attribute) }))
      .filter(({ metadata }) => matchesQuery(query, metadata))
      .map(({ attribute, metadata }) => renderAttribute(scope, attribute, cast, query, metadata));
    return { '@odata.context': `${scope.context}/Attributes${castPath}${contextProjection(query)}`, value };
  }

  const attribute = findAttribute(scope.table, key);
  if (cast && attributeKind(attribute).metadataType !== cast)
    throw dataverseErrors.resourceNotFound(castSegment?.name ?? '');
  const [navigation, ...beyond] = after;
  if (!navigation) {
    if (query.filter) throw dataverseErrors.queryOptionNotSupported('$filter');
    checkQueryNames(
      query,
      cast ?? 'AttributeMetadata',
      attributeProperties(cast),
      attributeNavigations(cast),
    );
    const item = renderAttribute(
      scope,
      attribute,
      cast,
      query,
      buildAttributeMetadata(scope.table, attribute),
    );
    return {
      '@odata.context': `${scope.context}/Attributes${castPath}${contextProjection(query)}/$entity`,
      ...item,
    };
  }
  if (beyond.length > 0 || navigation.key || !attributeNavigations(cast).has(navigation.name))
    throw dataverseErrors.resourceNotFound(beyond[0]?.name ?? navigation.name);
  // `…/PicklistAttributeMetadata/OptionSet?$select=Options` (MSDocs example): just the option set.
  const optionSet = renderOptionSet(scope, attribute, navigation.name, query);
  if (optionSet === null) throw dataverseErrors.resourceNotFound(navigation.name);
  const path = `${scope.context}/Attributes(${contextKey(key)})${castPath}/${navigation.name}`;
  return { '@odata.context': `${path}${contextProjection(query)}/$entity`, ...optionSet };
}

function castType(segment: MetadataSegment): AttributeMetadataType | undefined {
  if (!segment.name.includes('.')) return undefined;
  const name = segment.name.startsWith(NAMESPACE) ? segment.name.slice(NAMESPACE.length) : '';
  // EnumAttributeMetadata is abstract: "you cannot cast the attributes to this type" (query-metadata-web-api.md).
  if (!ATTRIBUTE_METADATA_TYPES.has(name)) throw dataverseErrors.resourceNotFound(segment.name);
  return name as AttributeMetadataType;
}

export function findAttribute(table: TableModel, key: MetadataKey): AttributeDefinition {
  if (key.kind === 'id') {
    const found = table.definition.attributes.find(
      (a) => attributeMetadataId(table.logicalName, a.logicalName) === key.id,
    );
    if (!found) throw metadataErrors.unknownAttributeId(table.logicalName, key.id);
    return found;
  }
  if (key.property !== 'LogicalName') throw dataverseErrors.invalidKey('AttributeMetadata');
  const found = table.attributes.get(key.value.toLowerCase());
  if (!found) throw metadataErrors.unknownAttribute(table.logicalName, key.value);
  return found;
}

/**
 * One attribute after `$select`/`$expand`. `@odata.type` is written only when the declared type (no cast)
 * is less specific than the column's, as OData minimal metadata does; the docs' cast example carries none.
 */
export function renderAttribute(
  scope: AttributeScope,
  attribute: AttributeDefinition,
  cast: AttributeMetadataType | undefined,
  query: MetadataQuery,
  metadata: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const item = project(metadata, query.select);
  if (cast) delete item['@odata.type'];
  const castName = attributeKind(attribute).metadataType;
  for (const expand of query.expand) {
    const base = `${scope.context}/Attributes(${metadata['MetadataId']})/${NAMESPACE}${castName}/${expand.name}`;
    item[`${expand.name}@odata.context`] = `${base}/$entity`;
    item[expand.name] = renderOptionSet(scope, attribute, expand.name, expand.query);
  }
  return item;
}

function renderOptionSet(
  scope: AttributeScope,
  attribute: AttributeDefinition,
  navigation: string,
  query: MetadataQuery,
): Record<string, unknown> | null {
  const isBoolean = attribute.type === 'Boolean';
  const typeName = isBoolean ? 'BooleanOptionSetMetadata' : 'OptionSetMetadata';
  if (query.filter) throw dataverseErrors.queryOptionNotSupported('$filter');
  if (query.expand.length > 0) throw dataverseErrors.queryOptionNotSupported('$expand');
  checkQueryNames(
    query,
    typeName,
    isBoolean ? BOOLEAN_OPTION_SET_PROPERTIES : OPTION_SET_PROPERTIES,
    new Set(),
  );
  const optionSet = buildOptionSet(scope.catalog, { table: scope.table, attribute });
  // GlobalOptionSet is only set when the column uses a global choice.
  if (!optionSet || (navigation === 'GlobalOptionSet' && optionSet['IsGlobal'] !== true)) return null;
  return project(optionSet, query.select);
}
