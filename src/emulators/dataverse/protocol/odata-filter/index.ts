/**
 * OData `$filter` engine for the Dataverse emulator: text → tokens → syntax tree → compiled predicate.
 *
 *   const predicate = compileFilter(parseFilter(text, aliases), schema);
 *   rows.filter((row) => predicate(row, { now }));
 */
export type {
  ArrayItem,
  BareValueNode,
  ComparisonNode,
  ComparisonOperator,
  FilterNode,
  LambdaNode,
  LiteralNode,
  LiteralValue,
  LogicalNode,
  NotNode,
  PathNode,
  QueryFunctionNode,
  QueryFunctionParameter,
  StringFunctionName,
  StringFunctionNode,
  ValueNode,
} from './filter-ast.js';
export { compileFilter } from './filter-compiler.js';
export { FilterError } from './filter-error.js';
export { QUERY_FUNCTION_NAMES } from './filter-function-catalog.js';
export { MAX_NESTING_DEPTH, parseFilter } from './filter-parser.js';
export type {
  FilterCollectionNavigation,
  FilterContext,
  FilterPredicate,
  FilterProperty,
  FilterRow,
  FilterSchema,
  FilterSingleNavigation,
  FilterValueType,
} from './filter-schema.js';
export { toSExpression } from './filter-sexpr.js';
