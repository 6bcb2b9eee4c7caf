import type { ArrayItem, FilterNode, LiteralValue, LogicalNode, PathNode, ValueNode } from './filter-ast.js';
import { QUERY_FUNCTION_NAMESPACE } from './filter-ast.js';

/**
 * Renders a filter tree as an S-expression in the style of Azurite's query interpreter tests, e.g.
 * `not a eq 'x'` becomes `(not (eq (id a) "x"))`. Used to pin down the parser's tree shape in tests
 * and to make trees readable in logs.
 */

function item(value: ArrayItem): string {
  return JSON.stringify(value);
}

function literal(value: LiteralValue): string {
  switch (value.type) {
    case 'string':
      return JSON.stringify(value.value);
    case 'number':
      return String(value.value);
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
    case 'guid':
      return `(guid ${value.value})`;
    case 'date':
      return `(date ${value.value})`;
    case 'datetime':
      return `(datetime ${value.value})`;
    case 'array':
      return `(array${value.items.map((v) => ` ${item(v)}`).join('')})`;
  }
}

function path(node: PathNode): string {
  const segments = node.variable === undefined ? node.segments : [node.variable, ...node.segments];
  return `(id ${segments.join('/')})`;
}

function value(node: ValueNode): string {
  return node.kind === 'path' ? path(node) : literal(node.literal);
}

/**
 * `a and b and c` is a left-leaning chain of arbitrary length; its spine is unrolled iteratively so long
 * generated filters (`id eq x or id eq y or ...`) cannot exhaust the stack.
 */
function logical(node: LogicalNode): string {
  const rights: FilterNode[] = [];
  let leftmost: FilterNode = node;
  while (leftmost.kind === node.kind) {
    rights.push(leftmost.right);
    leftmost = leftmost.left;
  }
  let out = `(${node.kind} `.repeat(rights.length) + toSExpression(leftmost);
  for (let i = rights.length - 1; i >= 0; i--) {
    const right = rights[i];
    if (right !== undefined) out += ` ${toSExpression(right)})`;
  }
  return out;
}

export function toSExpression(node: FilterNode): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return logical(node);
    case 'not':
      return `(not ${toSExpression(node.operand)})`;
    case 'compare':
      return `(${node.operator} ${value(node.left)} ${value(node.right)})`;
    case 'stringFunction':
      return `(${node.name} ${value(node.target)} ${value(node.pattern)})`;
    case 'lambda': {
      const body =
        node.variable === undefined || node.predicate === undefined
          ? ''
          : ` ${node.variable} ${toSExpression(node.predicate)}`;
      return `(${node.operator} ${path(node.source)}${body})`;
    }
    case 'queryFunction': {
      const bound = node.variable === undefined ? '' : `${node.variable}/`;
      const parameters = node.parameters.map((p) => ` (${p.name} ${literal(p.value.literal)})`).join('');
      return `(${bound}${QUERY_FUNCTION_NAMESPACE}${node.name}${parameters})`;
    }
    case 'value':
      return value(node.value);
  }
}
