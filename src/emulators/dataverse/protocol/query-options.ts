import { dataverseErrors } from '../errors.js';

export interface OrderBy {
  readonly property: string;
  readonly descending: boolean;
}

/** Options that may also appear inside `$expand=nav(...)`. */
export interface ExpandOption {
  readonly navigation: string;
  readonly select?: readonly string[];
  readonly filter?: string;
  readonly orderby: readonly OrderBy[];
  readonly top?: number;
  readonly expand: readonly ExpandOption[];
}

export interface QueryOptions {
  readonly select?: readonly string[];
  /** Raw `$filter` text; parsed by the filter compiler with {@link aliases}. */
  readonly filter?: string;
  readonly orderby: readonly OrderBy[];
  readonly top?: number;
  readonly count: boolean;
  readonly expand: readonly ExpandOption[];
  readonly skiptoken?: string;
  readonly deltatoken?: string;
  /** Parameter aliases such as `@p1='lastname'`. */
  readonly aliases: ReadonlyMap<string, string>;
}

const SUPPORTED = new Set([
  '$select',
  '$filter',
  '$orderby',
  '$top',
  '$count',
  '$expand',
  '$skiptoken',
  '$deltatoken',
]);

/** Parses the system query options of a GET, refusing what Dataverse refuses (`$skip`) by name. */
export function parseQueryOptions(search: URLSearchParams): QueryOptions {
  const aliases = new Map<string, string>();
  let options: Partial<Record<string, string>> = {};
  for (const [name, value] of search) {
    if (name.startsWith('@')) {
      aliases.set(name, value);
      continue;
    }
    if (name === '$skip') throw dataverseErrors.queryOptionNotSupported('$skip');
    if (
      name === 'fetchXml' ||
      name === 'savedQuery' ||
      name === 'userQuery' ||
      name === '$apply' ||
      name === '$search'
    )
      throw dataverseErrors.notImplemented(`the '${name}' query option`);
    if (name.startsWith('$') && !SUPPORTED.has(name))
      throw dataverseErrors.invalidQuery(`The query parameter '${name}' is not supported.`);
    if (options[name] !== undefined)
      throw dataverseErrors.invalidQuery(
        `Query option '${name}' was specified more than once, but it must be specified at most once.`,
      );
    options = { ...options, [name]: value };
  }
  const count = options['$count'];
  if (count !== undefined && count !== 'true' && count !== 'false')
    throw dataverseErrors.invalidQuery(`'${count}' is not a valid count option.`);
  const top = options['$top'];
  const skiptoken = options['$skiptoken'];
  const deltatoken = options['$deltatoken'];
  const filter = options['$filter'];
  const select = options['$select'];
  return {
    orderby: parseOrderBy(options['$orderby']),
    count: count === 'true',
    expand: options['$expand'] === undefined ? [] : parseExpand(options['$expand']),
    aliases,
    ...(select !== undefined ? { select: parseSelect(select) } : {}),
    ...(filter !== undefined ? { filter } : {}),
    ...(top !== undefined ? { top: parseTop(top) } : {}),
    ...(skiptoken !== undefined ? { skiptoken } : {}),
    ...(deltatoken !== undefined ? { deltatoken } : {}),
  };
}

function parseSelect(text: string): string[] {
  const names = text.split(',').map((s) => s.trim());
  if (names.some((n) => n === '' || !/^[A-Za-z_][\w]*$/.test(n)))
    throw dataverseErrors.invalidQuery(`Syntax error in $select: '${text}'.`);
  return names;
}

function parseTop(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n))
    throw dataverseErrors.invalidQuery(
      `Invalid value '${text}' for $top query option found. The $top query option requires a non-negative integer value.`,
    );
  return n;
}

function parseOrderBy(text: string | undefined): OrderBy[] {
  if (text === undefined) return [];
  return text.split(',').map((part) => {
    const [property, direction, extra] = part.trim().split(/\s+/);
    if (
      !property ||
      extra !== undefined ||
      (direction !== undefined && direction !== 'asc' && direction !== 'desc')
    )
      throw dataverseErrors.invalidQuery(`Syntax error in $orderby: '${text}'.`);
    return { property, descending: direction === 'desc' };
  });
}

/** `nav1($select=a;$expand=nav2($select=b)),nav3` — commas and semicolons only count at depth 0. */
export function parseExpand(text: string): ExpandOption[] {
  return splitTopLevel(text, ',').map((item) => {
    const open = item.indexOf('(');
    const navigation = (open < 0 ? item : item.slice(0, open)).trim();
    if (!/^[A-Za-z_][\w]*$/.test(navigation))
      throw dataverseErrors.invalidQuery(`Syntax error in $expand: '${text}'.`);
    if (open < 0) return { navigation, orderby: [], expand: [] };
    if (!item.trimEnd().endsWith(')'))
      throw dataverseErrors.invalidQuery(`Syntax error in $expand: '${text}'.`);
    const inner = item.slice(open + 1, item.trimEnd().length - 1);
    let nested: ExpandOption = { navigation, orderby: [], expand: [] };
    for (const option of splitTopLevel(inner, ';')) {
      const eq = option.indexOf('=');
      const name = option.slice(0, eq).trim();
      const value = option.slice(eq + 1);
      if (eq < 0) throw dataverseErrors.invalidQuery(`Syntax error in $expand: '${text}'.`);
      switch (name) {
        case '$select':
          nested = { ...nested, select: parseSelect(value) };
          break;
        case '$filter':
          nested = { ...nested, filter: value };
          break;
        case '$orderby':
          nested = { ...nested, orderby: parseOrderBy(value) };
          break;
        case '$top':
          nested = { ...nested, top: parseTop(value) };
          break;
        case '$expand':
          nested = { ...nested, expand: parseExpand(value) };
          break;
        default:
          throw dataverseErrors.invalidQuery(`The query option '${name}' is not supported inside $expand.`);
      }
    }
    return nested;
  });
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inQuote = false;
  let current = '';
  for (const ch of text) {
    if (ch === "'") inQuote = !inQuote;
    if (!inQuote && ch === '(') depth++;
    if (!inQuote && ch === ')') depth--;
    if (depth < 0) throw dataverseErrors.invalidQuery(`Unbalanced parentheses in '${text}'.`);
    if (!inQuote && depth === 0 && ch === separator) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (depth !== 0 || inQuote) throw dataverseErrors.invalidQuery(`Unbalanced parentheses in '${text}'.`);
  if (current.trim() !== '') parts.push(current);
  return parts.filter((p) => p.trim() !== '');
}
