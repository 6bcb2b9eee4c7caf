import { dataverseErrors } from '../errors.js';
import { filterProperties, matchesFilter, parseMetadataFilter, type FilterNode } from './metadata-filter.js';

/** `$select`, `$filter` and `$expand` — the only query options metadata requests take. */
export interface MetadataQuery {
  readonly select: readonly string[] | undefined;
  readonly filter: FilterNode | undefined;
  readonly expand: readonly ExpandItem[];
}

export interface ExpandItem {
  readonly name: string;
  readonly query: MetadataQuery;
}

export const EMPTY_QUERY: MetadataQuery = { select: undefined, filter: undefined, expand: [] };

const SUPPORTED = new Set(['$select', '$filter', '$expand']);

/**
 * Reads the query string. Metadata queries are not paged and take no `$top`/`$orderby`/`$count`
 * (MSDocs webapi/query-metadata-web-api.md: "There is no paging"); those are refused by name rather than
 * ignored, as the emulator is strict by default. Custom parameters without `$` (e.g. `tag`) are ignored.
 */
export function parseMetadataQuery(query: URLSearchParams): MetadataQuery {
  const options: [string, string][] = [];
  for (const [name, value] of query) {
    if (!name.startsWith('$')) continue;
    if (!SUPPORTED.has(name)) throw dataverseErrors.queryOptionNotSupported(name);
    options.push([name, value]);
  }
  return buildQuery(options);
}

function buildQuery(options: readonly [string, string][]): MetadataQuery {
  let select: string[] | undefined;
  let filter: FilterNode | undefined;
  let expand: ExpandItem[] = [];
  for (const [name, value] of options) {
    if (name === '$select')
      select = splitTopLevel(value, ',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    else if (name === '$filter') filter = parseMetadataFilter(value);
    else if (name === '$expand') expand = splitTopLevel(value, ',').map(parseExpandItem);
    else throw dataverseErrors.queryOptionNotSupported(name);
  }
  return { select, filter, expand };
}

function parseExpandItem(text: string): ExpandItem {
  const trimmed = text.trim();
  const open = trimmed.indexOf('(');
  if (open < 0) return { name: trimmed, query: EMPTY_QUERY };
  if (!trimmed.endsWith(')')) throw dataverseErrors.invalidQuery('Bad Request - Error in query syntax.');
  const inner = trimmed.slice(open + 1, -1);
  const options = splitTopLevel(inner, ';')
    .filter((part) => part.trim() !== '')
    .map((part): [string, string] => {
      const eq = part.indexOf('=');
      if (eq <= 0) throw dataverseErrors.invalidQuery('Bad Request - Error in query syntax.');
      return [part.slice(0, eq).trim(), part.slice(eq + 1)];
    });
  return { name: trimmed.slice(0, open).trim(), query: buildQuery(options) };
}

/** Splits on a separator outside parentheses and quoted strings. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuote = false;
  let current = '';
  for (const ch of text) {
    if (ch === "'") inQuote = !inQuote;
    else if (!inQuote && ch === '(') depth++;
    else if (!inQuote && ch === ')') depth--;
    if (ch === separator && depth === 0 && !inQuote) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.filter((p, i) => p.trim() !== '' || i < parts.length - 1);
}

/**
 * Checks every name the query reads against the properties of the type it is applied to
 * (`Microsoft.Dynamics.CRM.<typeName>`), so a typo fails as it does on the real service.
 */
export function checkQueryNames(
  query: MetadataQuery,
  typeName: string,
  properties: ReadonlySet<string>,
  navigations: ReadonlySet<string>,
): void {
  for (const name of [...(query.select ?? []), ...(query.filter ? filterProperties(query.filter) : [])])
    if (!properties.has(name) && !navigations.has(name))
      throw dataverseErrors.unknownQueryProperty(typeName, name);
  for (const item of query.expand)
    if (!navigations.has(item.name)) throw dataverseErrors.unknownQueryProperty(typeName, item.name);
}

export function matchesQuery(query: MetadataQuery, item: Readonly<Record<string, unknown>>): boolean {
  return query.filter === undefined || matchesFilter(query.filter, item);
}

/** Keys every metadata item returns whatever `$select` says (MSDocs: "The MetadataId property value is always returned"). */
const ALWAYS = new Set(['@odata.type', 'MetadataId']);

export function project(item: Readonly<Record<string, unknown>>, select: readonly string[] | undefined) {
  if (!select) return { ...item };
  const wanted = new Set(select);
  return Object.fromEntries(Object.entries(item).filter(([key]) => ALWAYS.has(key) || wanted.has(key)));
}

/**
 * The projection part of an `@odata.context` URL: `(LogicalName,OptionSet(Options))`, or nothing when the
 * request neither selects nor expands (MSDocs example: `…/PicklistAttributeMetadata(LogicalName,OptionSet)/$entity`).
 */
export function contextProjection(query: MetadataQuery): string {
  const parts = [
    ...(query.select ?? []),
    ...query.expand.map((e) => (e.query.select ? `${e.name}(${e.query.select.join(',')})` : e.name)),
  ];
  return parts.length === 0 ? '' : `(${parts.join(',')})`;
}
