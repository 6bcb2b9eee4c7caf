import { dataverseErrors } from '../errors.js';
import { metadataErrors } from './metadata-errors.js';
import { parseMetadataPath, type MetadataSegment } from './metadata-path.js';
import {
  checkQueryNames,
  contextProjection,
  matchesQuery,
  parseMetadataQuery,
  project,
} from './metadata-query.js';
import {
  BOOLEAN_OPTION_SET_PROPERTIES,
  buildOptionSet,
  globalOptionSets,
  OPTION_SET_PROPERTIES,
  type OptionSetMetadata,
} from './option-set-metadata.js';
import { serviceRoot } from './service-document.js';
import type { TableCatalog } from './table-catalog.js';

const NAMESPACE = 'Microsoft.Dynamics.CRM.';
type OptionSetType = 'OptionSetMetadata' | 'BooleanOptionSetMetadata';

/** OptionSetMetadataBase declares neither `Options` nor `TrueOption`/`FalseOption`: reading them needs a cast. */
const BASE_PROPERTIES: ReadonlySet<string> = new Set(
  [...OPTION_SET_PROPERTIES].filter((p) => BOOLEAN_OPTION_SET_PROPERTIES.has(p)),
);

/**
 * `GET [org]/api/data/v9.2/GlobalOptionSetDefinitions(Name='budgetstatus')[/Microsoft.Dynamics.CRM.OptionSetMetadata]`
 * (MSDocs webapi/query-metadata-web-api.md; dynamics-web-api `retrieveGlobalOptionSet`). Only global choices
 * live here; a column's local option set (e.g. `lead_leadsourcecode`) is reached through its attribute.
 */
export function handleGlobalOptionSetDefinitions(
  catalog: TableCatalog,
  path: string,
  query: URLSearchParams,
  serviceRootUrl: string,
): unknown {
  const [head, castSegment, ...rest] = parseMetadataPath(path);
  if (head?.name !== 'GlobalOptionSetDefinitions') throw dataverseErrors.resourceNotFound(head?.name ?? path);
  if (rest[0]) throw dataverseErrors.resourceNotFound(rest[0].name);
  const cast = castSegment ? castType(castSegment) : undefined;
  const metadataQuery = parseMetadataQuery(query);
  if (metadataQuery.expand.length > 0) throw dataverseErrors.queryOptionNotSupported('$expand');
  const properties =
    cast === 'OptionSetMetadata'
      ? OPTION_SET_PROPERTIES
      : cast === 'BooleanOptionSetMetadata'
        ? BOOLEAN_OPTION_SET_PROPERTIES
        : BASE_PROPERTIES;
  checkQueryNames(metadataQuery, cast ?? 'OptionSetMetadataBase', properties, new Set());
  const context = `${serviceRoot(serviceRootUrl)}$metadata#GlobalOptionSetDefinitions${cast ? `/${NAMESPACE}${cast}` : ''}`;
  const all = [...globalOptionSets(catalog).values()]
    .map((source) => buildOptionSet(catalog, source))
    .filter((set): set is OptionSetMetadata => set !== null);
  const render = (set: OptionSetMetadata) => {
    const item = project(set, metadataQuery.select);
    // Minimal metadata names the subtype only when the declared type is the abstract base.
    return cast ? item : { '@odata.type': `#${NAMESPACE}${typeOf(set)}`, ...item };
  };

  const key = head.key;
  if (!key) {
    const value = all
      .filter((set) => (!cast || typeOf(set) === cast) && matchesQuery(metadataQuery, set))
      .map(render);
    return { '@odata.context': `${context}${contextProjection(metadataQuery)}`, value };
  }
  if (key.kind === 'name' && key.property !== 'Name')
    throw dataverseErrors.invalidKey('OptionSetMetadataBase');
  const found = all.find((set) => (key.kind === 'id' ? set.MetadataId === key.id : set.Name === key.value));
  if (!found) throw metadataErrors.unknownOptionSet(key.kind === 'id' ? key.id : key.value);
  if (cast && typeOf(found) !== cast) throw dataverseErrors.resourceNotFound(castSegment?.name ?? '');
  if (metadataQuery.filter) throw dataverseErrors.queryOptionNotSupported('$filter');
  return { '@odata.context': `${context}${contextProjection(metadataQuery)}/$entity`, ...render(found) };
}

function typeOf(set: OptionSetMetadata): OptionSetType {
  return set['OptionSetType'] === 'Boolean' ? 'BooleanOptionSetMetadata' : 'OptionSetMetadata';
}

function castType(segment: MetadataSegment): OptionSetType {
  const name = segment.name.startsWith(NAMESPACE) ? segment.name.slice(NAMESPACE.length) : '';
  if (segment.key || (name !== 'OptionSetMetadata' && name !== 'BooleanOptionSetMetadata'))
    throw dataverseErrors.resourceNotFound(segment.name);
  return name;
}
