import type {
  ComparisonNode,
  ComparisonOperator,
  FilterNode,
  LambdaNode,
  LiteralValue,
  PathNode,
  QueryFunctionNode,
  StringFunctionNode,
} from './filter-ast.js';
import { QUERY_FUNCTION_NAMESPACE } from './filter-ast.js';
import type { CompiledGetter, CompiledPredicate, Frame, ResolvedProperty } from './filter-compiled-types.js';
import { toEpochMs } from './filter-dates.js';
import { FilterError, incompatibleOperands, propertyNotFound } from './filter-error.js';
import { compileLikeMatcher } from './filter-like.js';
import { compileQueryFunction } from './filter-query-functions.js';
import type {
  FilterPredicate,
  FilterRow,
  FilterSchema,
  FilterSingleNavigation,
  FilterValueType,
} from './filter-schema.js';
import type { Comparable } from './filter-values.js';
import {
  edmTypeOfColumn,
  edmTypeOfLiteral,
  isEmptyValue,
  literalComparable,
  rowComparer,
} from './filter-values.js';

/**
 * Turns a parsed filter into a tree of closures, once. Everything that does not depend on the row —
 * property lookup, type checks, lower-casing literals, building LIKE matchers — happens here, so the
 * returned predicate does no tree walking or string building per row.
 *
 * Null semantics follow Dataverse: `eq null` matches empty columns and `ne null` set ones; ordering
 * comparisons never match an empty column; `ne <value>` matches empty columns too, because Dataverse's
 * "does not equal" returns rows where the column is blank (observed behaviour, e.g.
 * https://www.powerobjects.com/blog/2016/08/02/boolean-blitz-when-two-options-are-actually-three/).
 * `not` is plain boolean negation.
 */

/** OData's names for the comparison operators, as used in Dataverse's error messages. */
const OPERATOR_KIND: Readonly<Record<ComparisonOperator, string>> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

const EMPTY_ROW: FilterRow = Object.freeze({});

interface Scope {
  /** undefined for the table being filtered; the range variable name inside a lambda. */
  readonly variable: string | undefined;
  readonly schema: FilterSchema;
}

type ResolvedPath =
  | ({ readonly kind: 'property' } & ResolvedProperty)
  /** The path ends at a single-valued navigation property (`primarycontactid eq null`). */
  | { readonly kind: 'navigation'; readonly name: string; readonly get: CompiledGetter };

const alwaysFalse: CompiledPredicate = () => false;

function not(predicate: CompiledPredicate): CompiledPredicate {
  return (row, context, outer) => !predicate(row, context, outer);
}

function isOrdering(operator: ComparisonOperator): boolean {
  return operator !== 'eq' && operator !== 'ne';
}

/** `eq` as a predicate over comparable values; every other operator is derived the same way. */
function testFor(operator: ComparisonOperator): (value: Comparable, literal: Comparable) => boolean {
  switch (operator) {
    case 'eq':
      return (value, literal) => value === literal;
    case 'ne':
      return (value, literal) => value !== literal;
    case 'gt':
      return (value, literal) => value > literal;
    case 'ge':
      return (value, literal) => value >= literal;
    case 'lt':
      return (value, literal) => value < literal;
    case 'le':
      return (value, literal) => value <= literal;
  }
}

class FilterCompiler {
  constructor(private readonly scopes: readonly Scope[]) {}

  private get innermost(): number {
    return this.scopes.length - 1;
  }

  compile(node: FilterNode): CompiledPredicate {
    switch (node.kind) {
      case 'and':
      case 'or':
        return this.compileLogical(node);
      case 'not':
        return not(this.compile(node.operand));
      case 'compare':
        return this.compileComparison(node);
      case 'stringFunction':
        return this.compileStringFunction(node);
      case 'lambda':
        return this.compileLambda(node);
      case 'queryFunction':
        return this.compileQueryFunction(node);
      case 'value':
        throw new FilterError(
          `The $filter expression must evaluate to a single boolean value; compare the value explicitly, as in 'name eq 'x''.`,
          { position: node.value.position },
        );
    }
  }

  /**
   * `a and b and c ...` is flattened into one loop: generated filters can chain thousands of conditions,
   * and nesting one closure per `and` would cost a stack frame per condition on every row.
   */
  private compileLogical(node: FilterNode & { kind: 'and' | 'or' }): CompiledPredicate {
    const operands: FilterNode[] = [];
    const pending: FilterNode[] = [node];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (next.kind === node.kind) pending.push(next.right, next.left);
      else operands.push(next);
    }
    const predicates = operands.map((operand) => this.compile(operand));
    const [first, second] = predicates;
    const isAnd = node.kind === 'and';
    if (predicates.length === 2 && first !== undefined && second !== undefined) {
      return isAnd
        ? (row, context, outer) => first(row, context, outer) && second(row, context, outer)
        : (row, context, outer) => first(row, context, outer) || second(row, context, outer);
    }
    return isAnd
      ? (row, context, outer) => {
          for (const predicate of predicates) if (!predicate(row, context, outer)) return false;
          return true;
        }
      : (row, context, outer) => {
          for (const predicate of predicates) if (predicate(row, context, outer)) return true;
          return false;
        };
  }

  private scopeIndex(variable: string | undefined): number {
    // Unprefixed names inside a lambda refer to the table being filtered ($it), as in OData.
    if (variable === undefined) return 0;
    for (let i = this.innermost; i > 0; i--) if (this.scopes[i]?.variable === variable) return i;
    throw new FilterError(`The range variable '${variable}' is not defined.`);
  }

  /** Fetches the row a scope refers to: the current row, or one of the rows enclosing the lambda. */
  private rowOf(scopeIndex: number): (row: FilterRow, outer: Frame | undefined) => FilterRow {
    const up = this.innermost - scopeIndex;
    if (up === 0) return (row) => row;
    return (_row, outer) => {
      let frame = outer;
      for (let i = 1; i < up; i++) frame = frame?.parent;
      return frame?.row ?? EMPTY_ROW;
    };
  }

  private schemaOf(scopeIndex: number): FilterSchema {
    const scope = this.scopes[scopeIndex];
    if (scope === undefined) throw new FilterError('Internal error: unknown filter scope.');
    return scope.schema;
  }

  private resolvePath(path: PathNode): ResolvedPath {
    const scopeIndex = this.scopeIndex(path.variable);
    let schema = this.schemaOf(scopeIndex);
    const navigations: FilterSingleNavigation[] = [];
    const last = path.segments.length - 1;
    for (let i = 0; i < last; i++) {
      const segment = path.segments[i] ?? '';
      const navigation = schema.singleNavigation(segment);
      if (navigation === undefined) throw propertyNotFound(segment, schema.entityName, path.position);
      navigations.push(navigation);
      schema = navigation.schema;
    }
    const name = path.segments[last] ?? '';
    const property = schema.property(name);
    const finalNavigation = property === undefined ? schema.singleNavigation(name) : undefined;
    if (property === undefined && finalNavigation === undefined) {
      throw propertyNotFound(name, schema.entityName, path.position);
    }
    const base = this.rowOf(scopeIndex);
    const read = (row: FilterRow): unknown =>
      property !== undefined ? property.get(row) : finalNavigation?.get(row);
    let get: CompiledGetter;
    if (navigations.length === 0) {
      get =
        this.innermost === scopeIndex && property !== undefined
          ? (row) => property.get(row)
          : (row, outer) => read(base(row, outer));
    } else {
      get = (row, outer) => {
        let current: FilterRow | undefined = base(row, outer);
        for (const navigation of navigations) {
          current = navigation.get(current);
          if (current === undefined) return undefined;
        }
        return read(current);
      };
    }
    return property !== undefined
      ? { kind: 'property', name, type: property.type, get }
      : { kind: 'navigation', name, get };
  }

  private compileComparison(node: ComparisonNode): CompiledPredicate {
    const { operator, left, right, position } = node;
    const kind = OPERATOR_KIND[operator];
    // Dataverse translates each comparison to a FetchXML condition on a column, so the column must come first.
    if (left.kind !== 'path') {
      throw new FilterError(`The left side of the '${kind}' operator must be a property of the entity.`, {
        position,
      });
    }
    const target = this.resolvePath(left);
    if (right.kind === 'path') return this.compileColumnComparison(node, target, this.resolvePath(right));
    const literal = right.literal;
    if (literal.type === 'null') {
      if (isOrdering(operator)) return alwaysFalse;
      const { get } = target;
      const isEmpty: CompiledPredicate = (row, _context, outer) => isEmptyValue(get(row, outer));
      return operator === 'eq' ? isEmpty : not(isEmpty);
    }
    if (target.kind === 'navigation') {
      throw incompatibleOperands(
        `Microsoft.Dynamics.CRM.${target.name}`,
        edmTypeOfLiteral(literal),
        kind,
        position,
      );
    }
    if (target.type === 'multichoice') return this.compileChoicesComparison(node, target, literal);
    const comparable = literalComparable(target.type, literal);
    if (comparable === undefined) {
      throw incompatibleOperands(edmTypeOfColumn(target.type), edmTypeOfLiteral(literal), kind, position);
    }
    return compareWithLiteral(target.type, operator, target.get, comparable, literal);
  }

  /**
   * Choices columns can only be tested for equality with their comma-separated wire form
   * (`sample_outdooractivities eq '1,9'`); ordering them means nothing (MSDocs multi-select-picklist.md
   * lists eq, ne, null tests, In, NotIn, ContainValues and DoesNotContainValues as the usable operators).
   */
  private compileChoicesComparison(
    node: ComparisonNode,
    target: ResolvedProperty,
    literal: LiteralValue,
  ): CompiledPredicate {
    const selection = literal.type === 'string' ? parseSelection(literal.value) : undefined;
    if (isOrdering(node.operator) || selection === undefined) {
      throw incompatibleOperands(
        'Edm.String',
        edmTypeOfLiteral(literal),
        OPERATOR_KIND[node.operator],
        node.position,
      );
    }
    const { get } = target;
    const equal: CompiledPredicate = (row, _context, outer) => {
      const value = get(row, outer);
      return Array.isArray(value) && value.length > 0 && selectionKey(value) === selection;
    };
    return node.operator === 'eq' ? equal : not(equal);
  }

  /** `firstname eq lastname`: both columns must have the same type (filter-rows.md §Column comparison). */
  private compileColumnComparison(
    node: ComparisonNode,
    left: ResolvedPath,
    right: ResolvedPath,
  ): CompiledPredicate {
    const kind = OPERATOR_KIND[node.operator];
    const typeName = (side: ResolvedPath): string =>
      side.kind === 'property' ? edmTypeOfColumn(side.type) : `Microsoft.Dynamics.CRM.${side.name}`;
    const numeric = (type: FilterValueType): boolean => type === 'number' || type === 'choice';
    if (
      left.kind !== 'property' ||
      right.kind !== 'property' ||
      left.type === 'multichoice' ||
      (left.type !== right.type && !(numeric(left.type) && numeric(right.type)))
    ) {
      throw incompatibleOperands(typeName(left), typeName(right), kind, node.position);
    }
    const leftValue = rowComparer(left.type);
    const rightValue = rowComparer(right.type);
    const getLeft = left.get;
    const getRight = right.get;
    const test = testFor(node.operator === 'ne' ? 'eq' : node.operator);
    const predicate: CompiledPredicate = (row, _context, outer) => {
      const a = leftValue(getLeft(row, outer));
      const b = rightValue(getRight(row, outer));
      return a !== undefined && b !== undefined && test(a, b);
    };
    return node.operator === 'ne' ? not(predicate) : predicate;
  }

  private compileStringFunction(node: StringFunctionNode): CompiledPredicate {
    const signature = (): FilterError =>
      new FilterError(
        `No function signature for the function with name '${node.name}' matches the specified arguments. The function signatures considered are: ${node.name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
        { position: node.position },
      );
    if (node.target.kind !== 'path') {
      throw new FilterError(`The first argument of '${node.name}' must be a property of the entity.`, {
        position: node.position,
      });
    }
    const target = this.resolvePath(node.target);
    if (target.kind !== 'property' || target.type !== 'string') throw signature();
    if (node.pattern.kind !== 'literal') {
      throw new FilterError(`The second argument of '${node.name}' must be a string literal.`, {
        position: node.pattern.position,
      });
    }
    if (node.pattern.literal.type !== 'string') throw signature();
    const matches = compileLikeMatcher(node.pattern.literal.value, node.name);
    const { get } = target;
    return (row, _context, outer) => {
      const value = get(row, outer);
      return typeof value === 'string' && matches(value);
    };
  }

  private compileLambda(node: LambdaNode): CompiledPredicate {
    const { source } = node;
    const scopeIndex = this.scopeIndex(source.variable);
    const schema = this.schemaOf(scopeIndex);
    const [name, ...rest] = source.segments;
    // "You can't include conditions on collection-valued navigation properties that are nested in a lookup
    // navigation property" (MSDocs webapi/query/filter-rows.md §Filter using values of related collections).
    if (name === undefined || rest.length > 0) {
      throw new FilterError(
        `Lambda operators can only be applied to a collection-valued navigation property of the entity itself, not to '${source.segments.join('/')}'.`,
        { position: node.position },
      );
    }
    const navigation = schema.collectionNavigation(name);
    if (navigation === undefined) throw propertyNotFound(name, schema.entityName, source.position);
    const base = this.rowOf(scopeIndex);
    const items = (row: FilterRow, outer: Frame | undefined): readonly FilterRow[] =>
      navigation.get(base(row, outer));
    if (node.predicate === undefined || node.variable === undefined) {
      return (row, _context, outer) => items(row, outer).length > 0;
    }
    const inner = new FilterCompiler([
      ...this.scopes,
      { variable: node.variable, schema: navigation.schema },
    ]);
    const predicate = inner.compile(node.predicate);
    if (node.operator === 'any') {
      return (row, context, outer) => {
        const members = items(row, outer);
        if (members.length === 0) return false;
        const frame: Frame = { row, parent: outer };
        for (const member of members) if (predicate(member, context, frame)) return true;
        return false;
      };
    }
    // `all` over an empty collection is true, as in OData.
    return (row, context, outer) => {
      const members = items(row, outer);
      if (members.length === 0) return true;
      const frame: Frame = { row, parent: outer };
      for (const member of members) if (!predicate(member, context, frame)) return false;
      return true;
    };
  }

  private compileQueryFunction(node: QueryFunctionNode): CompiledPredicate {
    const qualifiedName = `${QUERY_FUNCTION_NAMESPACE}${node.name}`;
    const nameLiteral = node.parameters.find((p) => p.name === 'PropertyName')?.value.literal;
    if (nameLiteral?.type !== 'string') {
      throw new FilterError(
        `The parameter 'PropertyName' of '${qualifiedName}' must be a string such as 'name'.`,
        {
          position: node.position,
        },
      );
    }
    const scopeIndex = this.scopeIndex(node.variable);
    const schema = this.schemaOf(scopeIndex);
    // PropertyName takes the column's logical name; for lookups that is `ownerid` rather than the
    // `_ownerid_value` property that $select and comparisons use (MSDocs examples:
    // EqualUserId(PropertyName='ownerid')), so both spellings resolve.
    const written = nameLiteral.value;
    const resolvedName = schema.property(written) !== undefined ? written : `_${written}_value`;
    const property = schema.property(resolvedName);
    if (property === undefined) throw propertyNotFound(written, schema.entityName, node.position);
    const path: PathNode = {
      kind: 'path',
      variable: node.variable,
      segments: [resolvedName],
      position: node.position,
    };
    const resolved = this.resolvePath(path);
    if (resolved.kind !== 'property') throw propertyNotFound(written, schema.entityName, node.position);
    return compileQueryFunction(node, resolved);
  }
}

function parseSelection(text: string): string | undefined {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^-?\d+$/.test(part))) return undefined;
  return selectionKey(parts);
}

function selectionKey(values: readonly unknown[]): string {
  return values
    .map(Number)
    .sort((a, b) => a - b)
    .join(',');
}

/**
 * Specialised closures for the common shapes (numbers, strings, datetimes); everything else goes
 * through the generic comparable conversion.
 */
function compareWithLiteral(
  type: FilterValueType,
  operator: ComparisonOperator,
  get: CompiledGetter,
  literal: Comparable,
  source: LiteralValue,
): CompiledPredicate {
  const test = testFor(operator === 'ne' ? 'eq' : operator);
  let predicate: CompiledPredicate;
  if ((type === 'number' || type === 'choice') && typeof literal === 'number') {
    predicate =
      operator === 'eq' || operator === 'ne'
        ? (row, _context, outer) => get(row, outer) === literal
        : (row, _context, outer) => {
            const value = get(row, outer);
            return typeof value === 'number' && test(value, literal);
          };
  } else if (type === 'datetime' && typeof literal === 'number') {
    predicate = (row, _context, outer) => {
      const value = toEpochMs(get(row, outer));
      return !Number.isNaN(value) && test(value, literal);
    };
  } else if ((type === 'string' || type === 'guid') && typeof literal === 'string' && !isOrdering(operator)) {
    // Most stored values match the literal's case exactly; only lower-case when they do not.
    const exact = source.type === 'string' || source.type === 'guid' ? source.value : literal;
    predicate = (row, _context, outer) => {
      const value = get(row, outer);
      return typeof value === 'string' && (value === exact || value.toLowerCase() === literal);
    };
  } else {
    const comparable = rowComparer(type);
    predicate = (row, _context, outer) => {
      const value = comparable(get(row, outer));
      return value !== undefined && test(value, literal);
    };
  }
  return operator === 'ne' ? not(predicate) : predicate;
}

/**
 * Compiles a parsed filter against a table schema into a predicate over rows. Throws {@link FilterError}
 * for unknown properties, type mismatches and unsupported constructs; the returned predicate itself
 * never throws for any row content.
 */
export function compileFilter(node: FilterNode, schema: FilterSchema): FilterPredicate {
  let predicate: CompiledPredicate;
  try {
    predicate = new FilterCompiler([{ variable: undefined, schema }]).compile(node);
  } catch (error) {
    if (error instanceof FilterError) throw error;
    throw new FilterError('The $filter expression could not be compiled.', { cause: error });
  }
  return (row, context) => predicate(row, context, undefined);
}
