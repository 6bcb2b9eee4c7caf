import type {
  ComparisonOperator,
  FilterNode,
  LambdaNode,
  LiteralNode,
  PathNode,
  QueryFunctionNode,
  QueryFunctionParameter,
  StringFunctionName,
  StringFunctionNode,
  ValueNode,
} from './filter-ast.js';
import { QUERY_FUNCTION_NAMESPACE } from './filter-ast.js';
import {
  FilterError,
  expected,
  recursionLimitExceeded,
  syntaxError,
  unknownFunction,
} from './filter-error.js';
import { findQueryFunction, unsupportedODataFunctionMessage } from './filter-function-catalog.js';
import type { Token } from './filter-lexer.js';
import { tokenize } from './filter-lexer.js';

/**
 * Recursive-descent parser for the Dataverse dialect of OData 4.0 `$filter`:
 *
 *   FILTER     := OR end
 *   OR         := AND ("or" AND)*
 *   AND        := UNARY ("and" UNARY)*
 *   UNARY      := "not" UNARY | COMPARISON
 *   COMPARISON := OPERAND (("eq"|"ne"|"gt"|"ge"|"lt"|"le") OPERAND)?
 *   OPERAND    := "(" OR ")" | LITERAL | ALIAS | CALL | PATH ("/" ("any"|"all") "(" (VAR ":" OR)? ")")?
 *
 * `not` wraps the whole comparison after it (`not a eq 'x'` is `not (a eq 'x')`), which is how clients
 * use it with Dataverse (`not contains(name,'sample')`, MSDocs webapi/query/filter-rows.md §Logical
 * operators). `and`/`or` associate to the left. Comparisons do not chain: `a eq b eq c` is a syntax error.
 */

/** Generous for hand-written filters, and keeps compile/evaluation recursion far from the stack limit. */
export const MAX_NESTING_DEPTH = 200;

const COMPARISON_OPERATORS: ReadonlySet<string> = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
// OData operators Dataverse does not implement; named in the error rather than reported as bad syntax.
const UNSUPPORTED_OPERATORS: ReadonlySet<string> = new Set([
  'add',
  'sub',
  'mul',
  'div',
  'divby',
  'mod',
  'has',
  'in',
]);
const STRING_FUNCTIONS: ReadonlySet<string> = new Set<StringFunctionName>([
  'contains',
  'startswith',
  'endswith',
]);

function isValue(node: FilterNode | ValueNode): node is ValueNode {
  return node.kind === 'literal' || node.kind === 'path';
}

function isStringFunction(name: string): name is StringFunctionName {
  return STRING_FUNCTIONS.has(name);
}

class FilterParser {
  private readonly tokens: readonly Token[];
  private readonly endToken: Token;
  private index = 0;
  private depth = 0;
  /** Lambda range variables in scope, innermost last. */
  private readonly variables: string[] = [];

  constructor(
    private readonly text: string,
    private readonly aliases: ReadonlyMap<string, string>,
  ) {
    this.tokens = tokenize(text);
    this.endToken = this.tokens[this.tokens.length - 1] ?? {
      kind: 'end',
      text: '',
      position: 0,
      literal: undefined,
    };
  }

  parse(): FilterNode {
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') throw syntaxError(next.position, this.text);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.endToken;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private atKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'identifier' && token.text === word;
  }

  private nested<T>(position: number, parse: () => T): T {
    if (++this.depth > MAX_NESTING_DEPTH) throw recursionLimitExceeded(position);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.atKeyword('or')) {
      this.index++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.atKeyword('and')) {
      this.index++;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    const token = this.peek();
    if (token.kind === 'identifier' && token.text === 'not') {
      this.index++;
      return this.nested(token.position, () => ({ kind: 'not', operand: this.parseUnary() }));
    }
    return this.parseComparison();
  }

  private parseComparison(): FilterNode {
    const left = this.parseOperand();
    const operator = this.peek();
    if (operator.kind === 'identifier' && COMPARISON_OPERATORS.has(operator.text)) {
      this.index++;
      const rightStart = this.peek();
      const right = this.parseOperand();
      // A condition such as contains(...) or any(...) cannot be compared with a value in Dataverse.
      if (!isValue(left)) throw syntaxError(operator.position, this.text);
      if (!isValue(right)) throw syntaxError(rightStart.position, this.text);
      return {
        kind: 'compare',
        operator: operator.text as ComparisonOperator,
        left,
        right,
        position: operator.position,
      };
    }
    if (operator.kind === 'identifier' && UNSUPPORTED_OPERATORS.has(operator.text)) {
      throw new FilterError(`The '${operator.text}' operator is not supported by Dataverse in $filter.`, {
        position: operator.position,
      });
    }
    return isValue(left) ? { kind: 'value', value: left } : left;
  }

  private parseOperand(): FilterNode | ValueNode {
    const token = this.peek();
    switch (token.kind) {
      case 'openParen': {
        this.index++;
        const inner = this.nested(token.position, () => this.parseOr());
        const close = this.peek();
        if (close.kind !== 'closeParen') throw expected("')' or operator", close.position, this.text);
        this.index++;
        return inner.kind === 'value' ? inner.value : inner;
      }
      case 'literal': {
        this.index++;
        // Array literals are only meaningful as query function parameters.
        if (token.literal === undefined || token.literal.type === 'array') {
          throw syntaxError(token.position, this.text);
        }
        return { kind: 'literal', literal: token.literal, position: token.position };
      }
      case 'alias': {
        this.index++;
        const value = this.resolveAlias(token);
        if (value.literal.type === 'array') throw syntaxError(token.position, this.text);
        return value;
      }
      case 'identifier':
        this.index++;
        return this.peek().kind === 'openParen' ? this.parseCall(token) : this.parsePath(token);
      default:
        throw syntaxError(token.position, this.text);
    }
  }

  /**
   * A parameter alias is a literal supplied separately in the query string (`@p1='lastname'`,
   * `@p2=["a","b"]`, MSDocs webapi/query/filter-rows.md §Manage single quotes).
   */
  private resolveAlias(token: Token): LiteralNode {
    const raw = this.aliases.get(token.text) ?? this.aliases.get(token.text.slice(1));
    if (raw === undefined) {
      throw new FilterError(
        `The parameter alias '${token.text}' is used in $filter but has no value in the query.`,
        {
          position: token.position,
        },
      );
    }
    const [first, second] = tokenize(raw);
    if (first?.kind !== 'literal' || first.literal === undefined || second?.kind !== 'end') {
      throw new FilterError(
        `The value of the parameter alias '${token.text}' is not a valid literal: ${raw}`,
        {
          position: token.position,
        },
      );
    }
    return { kind: 'literal', literal: first.literal, position: token.position };
  }

  private parsePath(first: Token): FilterNode | PathNode {
    const [head = '', ...dotted] = first.text.split('.');
    let variable: string | undefined;
    const segments: string[] = [];
    if (this.variables.includes(head)) {
      // Lambda members are written `o/subject` in OData; `o.subject` is accepted too because clients send it.
      variable = head;
      segments.push(...dotted);
    } else if (dotted.length > 0) {
      // A qualified name here would be a type cast or a function without arguments: neither is supported.
      throw syntaxError(first.position, this.text);
    } else {
      segments.push(head);
    }
    while (this.peek().kind === 'slash') {
      this.index++;
      const segment = this.next();
      if (segment.kind !== 'identifier') throw syntaxError(segment.position, this.text);
      const path: PathNode = { kind: 'path', variable, segments, position: first.position };
      const isCall = this.peek().kind === 'openParen';
      if (isCall && (segment.text === 'any' || segment.text === 'all')) {
        return this.parseLambda(segment, segment.text, path);
      }
      if (isCall && segment.text.startsWith(QUERY_FUNCTION_NAMESPACE)) {
        // Bound to a lambda variable (`o/Microsoft.Dynamics.CRM.In(...)`): it then tests the related row.
        if (variable === undefined || segments.length > 0) throw syntaxError(segment.position, this.text);
        return this.parseQueryFunction(segment, variable);
      }
      if (segment.text.includes('.')) throw syntaxError(segment.position, this.text);
      segments.push(segment.text);
    }
    if (segments.length === 0) {
      throw new FilterError(
        `The range variable '${head}' must be followed by a property, as in '${head}/name'.`,
        {
          position: first.position,
        },
      );
    }
    return { kind: 'path', variable, segments, position: first.position };
  }

  /** `Nav/any(o:<predicate>)`, `Nav/any()` (true when the collection is not empty), `Nav/all(o:<predicate>)`. */
  private parseLambda(operatorToken: Token, operator: 'any' | 'all', source: PathNode): LambdaNode {
    if (source.segments.length === 0) throw syntaxError(operatorToken.position, this.text);
    this.index++; // (
    const position = operatorToken.position;
    const first = this.peek();
    if (first.kind === 'closeParen' && operator === 'any') {
      this.index++;
      return { kind: 'lambda', operator, source, variable: undefined, predicate: undefined, position };
    }
    if (first.kind !== 'identifier' || first.text.includes('.')) throw syntaxError(first.position, this.text);
    this.index++;
    const colon = this.next();
    if (colon.kind !== 'colon') throw syntaxError(colon.position, this.text);
    this.variables.push(first.text);
    let predicate: FilterNode;
    try {
      predicate = this.nested(position, () => this.parseOr());
    } finally {
      this.variables.pop();
    }
    const close = this.next();
    if (close.kind !== 'closeParen') throw expected("')' or operator", close.position, this.text);
    return { kind: 'lambda', operator, source, variable: first.text, predicate, position };
  }

  private parseCall(nameToken: Token): FilterNode {
    const name = nameToken.text;
    if (isStringFunction(name)) return this.parseStringFunction(nameToken, name);
    if (name.startsWith(QUERY_FUNCTION_NAMESPACE)) return this.parseQueryFunction(nameToken, undefined);
    const unsupported = unsupportedODataFunctionMessage(name);
    if (unsupported !== undefined) throw new FilterError(unsupported, { position: nameToken.position });
    throw unknownFunction(name, nameToken.position);
  }

  private parseStringFunction(nameToken: Token, name: StringFunctionName): StringFunctionNode {
    this.index++; // (
    const args: ValueNode[] = [];
    if (this.peek().kind === 'closeParen') {
      this.index++;
    } else {
      for (;;) {
        const start = this.peek();
        const arg = this.nested(start.position, () => this.parseOperand());
        if (!isValue(arg)) throw syntaxError(start.position, this.text);
        args.push(arg);
        const separator = this.next();
        if (separator.kind === 'closeParen') break;
        if (separator.kind !== 'comma') throw expected("')' or ','", separator.position, this.text);
      }
    }
    const [target, pattern] = args;
    if (args.length !== 2 || target === undefined || pattern === undefined) {
      throw new FilterError(
        `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
        { position: nameToken.position },
      );
    }
    return { kind: 'stringFunction', name, target, pattern, position: nameToken.position };
  }

  /**
   * `Microsoft.Dynamics.CRM.<Name>(PropertyName=...,PropertyValue(s)=...)`. The fully qualified name is
   * required (MSDocs webapi/query/filter-rows.md §Dataverse query functions).
   */
  private parseQueryFunction(nameToken: Token, variable: string | undefined): QueryFunctionNode {
    const qualifiedName = nameToken.text;
    const spec = findQueryFunction(qualifiedName.slice(QUERY_FUNCTION_NAMESPACE.length));
    if (spec === undefined) throw unknownFunction(qualifiedName, nameToken.position);
    this.index++; // (
    const parameters: QueryFunctionParameter[] = [];
    if (this.peek().kind === 'closeParen') {
      this.index++;
    } else {
      for (;;) {
        const nameTok = this.next();
        if (nameTok.kind !== 'identifier' || nameTok.text.includes('.')) {
          throw syntaxError(nameTok.position, this.text);
        }
        const equals = this.next();
        if (equals.kind !== 'equals') throw syntaxError(equals.position, this.text);
        const valueToken = this.next();
        let value: LiteralNode;
        if (valueToken.kind === 'literal' && valueToken.literal !== undefined) {
          value = { kind: 'literal', literal: valueToken.literal, position: valueToken.position };
        } else if (valueToken.kind === 'alias') {
          value = this.resolveAlias(valueToken);
        } else {
          throw syntaxError(valueToken.position, this.text);
        }
        if (parameters.some((parameter) => parameter.name === nameTok.text)) {
          throw new FilterError(
            `The parameter '${nameTok.text}' is specified more than once for the function '${qualifiedName}'.`,
            { position: nameTok.position },
          );
        }
        parameters.push({ name: nameTok.text, value });
        const separator = this.next();
        if (separator.kind === 'closeParen') break;
        if (separator.kind !== 'comma') throw expected("')' or ','", separator.position, this.text);
      }
    }
    const expectedNames = ['PropertyName', ...spec.parameters];
    const given = parameters.map((parameter) => parameter.name);
    if (given.length !== expectedNames.length || !expectedNames.every((name) => given.includes(name))) {
      throw new FilterError(
        `The function '${qualifiedName}' takes the parameters (${expectedNames.join(', ')}) but was given (${given.join(', ')}).`,
        { position: nameToken.position },
      );
    }
    return { kind: 'queryFunction', name: spec.name, variable, parameters, position: nameToken.position };
  }
}

/**
 * Parses `$filter` text. `aliases` maps parameter aliases as they appear in the query string (`@p1`) to
 * their raw literal text (`'lastname'`). Throws {@link FilterError} for anything it cannot parse, and
 * only FilterError.
 */
export function parseFilter(text: string, aliases: ReadonlyMap<string, string> = new Map()): FilterNode {
  try {
    return new FilterParser(text, aliases).parse();
  } catch (error) {
    if (error instanceof FilterError) throw error;
    // Only an engine bug (or a stack overflow the depth limit failed to prevent) lands here; callers are
    // promised FilterError for any input.
    throw new FilterError(`The $filter expression '${text}' could not be parsed.`, { cause: error });
  }
}
