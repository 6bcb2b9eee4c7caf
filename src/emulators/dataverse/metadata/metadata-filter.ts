import { dataverseErrors } from '../errors.js';

/**
 * The `$filter` subset the metadata entity sets answer: comparisons of primitive and enum properties, one
 * level into managed-property complex values (`CanCreateAttributes/Value eq true`), joined with
 * and/or/not (MSDocs webapi/query-metadata-web-api.md §Use enum types / complex types in $filter).
 * Enum literals are written `Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned'`. Query functions are refused.
 */
export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly operand: FilterNode }
  | {
      readonly kind: 'compare';
      readonly operator: ComparisonOperator;
      readonly path: readonly string[];
      readonly value: string | number | boolean | null;
    };

type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

type Token = { readonly type: 'word' | 'string' | 'enum' | 'open' | 'close'; readonly text: string };

const TOKEN =
  /\s*(?:(\()|(\))|'((?:[^']|'')*)'|([A-Za-z_][\w.]*)'((?:[^']|'')*)'|([A-Za-z0-9_.:+-][\w./:+-]*))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m) throw invalid(text);
    if (m[1]) tokens.push({ type: 'open', text: '(' });
    else if (m[2]) tokens.push({ type: 'close', text: ')' });
    else if (m[3] !== undefined) tokens.push({ type: 'string', text: m[3].replace(/''/g, "'") });
    else if (m[4] !== undefined) tokens.push({ type: 'enum', text: (m[5] ?? '').replace(/''/g, "'") });
    else tokens.push({ type: 'word', text: m[6] ?? '' });
  }
  return tokens;
}

const invalid = (text: string) =>
  dataverseErrors.invalidQuery(`Syntax error in $filter expression '${text}'.`);

export function parseMetadataFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position];
  const next = () => {
    const token = tokens[position++];
    if (!token) throw invalid(text);
    return token;
  };
  const keyword = (word: string) => {
    const token = peek();
    if (token?.type === 'word' && token.text === word) return (position++, true);
    return false;
  };
  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (keyword('or')) left = { kind: 'or', left, right: parseAnd() };
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parseUnary();
    while (keyword('and')) left = { kind: 'and', left, right: parseUnary() };
    return left;
  };
  const parseUnary = (): FilterNode => {
    if (keyword('not')) return { kind: 'not', operand: parseUnary() };
    if (peek()?.type === 'open') {
      next();
      const inner = parseOr();
      if (next().type !== 'close') throw invalid(text);
      return inner;
    }
    const property = next();
    if (property.type !== 'word') throw invalid(text);
    if (peek()?.type === 'open')
      throw dataverseErrors.invalidQuery(
        `The function '${property.text}' is not supported in metadata queries.`,
      );
    const operator = next();
    if (operator.type !== 'word' || !OPERATORS.has(operator.text)) throw invalid(text);
    return {
      kind: 'compare',
      operator: operator.text as ComparisonOperator,
      path: property.text.split('/'),
      value: literal(next(), text),
    };
  };
  const tree = parseOr();
  if (position !== tokens.length) throw invalid(text);
  return tree;
}

function literal(token: Token, text: string): string | number | boolean | null {
  if (token.type === 'string' || token.type === 'enum') return token.text;
  if (token.type !== 'word') throw invalid(text);
  if (token.text === 'true') return true;
  if (token.text === 'false') return false;
  if (token.text === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(token.text)) return Number(token.text);
  // GUIDs are written bare in OData 4.0 (`MetadataId eq 70816501-edb9-4740-a16c-6a5efbc05d84`).
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token.text)) return token.text;
  throw invalid(text);
}

/** The top-level property names a filter reads, for checking them against the queried type. */
export function filterProperties(node: FilterNode): string[] {
  if (node.kind === 'compare') return node.path[0] === undefined ? [] : [node.path[0]];
  if (node.kind === 'not') return filterProperties(node.operand);
  return [...filterProperties(node.left), ...filterProperties(node.right)];
}

export function matchesFilter(node: FilterNode, item: Readonly<Record<string, unknown>>): boolean {
  switch (node.kind) {
    case 'and':
      return matchesFilter(node.left, item) && matchesFilter(node.right, item);
    case 'or':
      return matchesFilter(node.left, item) || matchesFilter(node.right, item);
    case 'not':
      return !matchesFilter(node.operand, item);
    case 'compare':
      return compareValues(node.operator, resolve(item, node.path), node.value);
  }
}

function resolve(item: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let current: unknown = item;
  for (const name of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return current;
}

function compareValues(
  operator: ComparisonOperator,
  actual: unknown,
  expected: string | number | boolean | null,
) {
  // Names in metadata are matched without regard to case, as the rest of Dataverse matches strings.
  const a = typeof actual === 'string' ? actual.toLowerCase() : actual;
  const b = typeof expected === 'string' ? expected.toLowerCase() : expected;
  if (operator === 'eq') return a === b;
  if (operator === 'ne') return a !== b;
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
  const order = (a as number | string) < (b as number | string) ? -1 : a === b ? 0 : 1;
  return operator === 'gt'
    ? order > 0
    : operator === 'ge'
      ? order >= 0
      : operator === 'lt'
        ? order < 0
        : order <= 0;
}
