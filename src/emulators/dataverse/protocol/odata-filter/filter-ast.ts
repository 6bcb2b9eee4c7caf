/**
 * The syntax tree produced by the parser. It is purely syntactic: property names are not checked until
 * compilation against a schema, so one parsed filter could be compiled for several tables.
 */

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type StringFunctionName = 'contains' | 'startswith' | 'endswith';

/** An element of a JSON-style array literal such as `["a","b"]` or `[1,2]`. */
export type ArrayItem = string | number | boolean | null;

export type LiteralValue =
  | { readonly type: 'string'; readonly value: string }
  | {
      readonly type: 'number';
      readonly value: number;
      /** The OData type the literal would get, used only in error messages. */
      readonly edmType: 'Edm.Int32' | 'Edm.Int64' | 'Edm.Decimal' | 'Edm.Double';
    }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' }
  /** Lower-cased, because Dataverse GUIDs compare case-insensitively. */
  | { readonly type: 'guid'; readonly value: string }
  /** A date without time (`2024-01-01`); `epochMs` is midnight UTC. */
  | { readonly type: 'date'; readonly value: string; readonly epochMs: number }
  | { readonly type: 'datetime'; readonly value: string; readonly epochMs: number }
  | { readonly type: 'array'; readonly items: readonly ArrayItem[] };

export interface LiteralNode {
  readonly kind: 'literal';
  readonly literal: LiteralValue;
  readonly position: number;
}

/**
 * `firstname`, `primarycontactid/fullname`, or inside a lambda `o/subject` (then `variable` is `o` and
 * `segments` is `['subject']`).
 */
export interface PathNode {
  readonly kind: 'path';
  readonly variable: string | undefined;
  readonly segments: readonly string[];
  readonly position: number;
}

export type ValueNode = LiteralNode | PathNode;

export interface LogicalNode {
  readonly kind: 'and' | 'or';
  readonly left: FilterNode;
  readonly right: FilterNode;
}

export interface NotNode {
  readonly kind: 'not';
  readonly operand: FilterNode;
}

export interface ComparisonNode {
  readonly kind: 'compare';
  readonly operator: ComparisonOperator;
  readonly left: ValueNode;
  readonly right: ValueNode;
  /** Position of the operator keyword. */
  readonly position: number;
}

export interface StringFunctionNode {
  readonly kind: 'stringFunction';
  readonly name: StringFunctionName;
  readonly target: ValueNode;
  readonly pattern: ValueNode;
  readonly position: number;
}

export interface LambdaNode {
  readonly kind: 'lambda';
  readonly operator: 'any' | 'all';
  /** The collection-valued navigation property. */
  readonly source: PathNode;
  /** Both undefined for the argument-less `Nav/any()`. */
  readonly variable: string | undefined;
  readonly predicate: FilterNode | undefined;
  readonly position: number;
}

export interface QueryFunctionParameter {
  readonly name: string;
  readonly value: LiteralNode;
}

/** `Microsoft.Dynamics.CRM.<name>(PropertyName='x',...)`, optionally bound to a lambda variable (`o/Microsoft...`). */
export interface QueryFunctionNode {
  readonly kind: 'queryFunction';
  /** Unqualified name, e.g. `In`. */
  readonly name: string;
  readonly variable: string | undefined;
  readonly parameters: readonly QueryFunctionParameter[];
  readonly position: number;
}

/** A value where a condition was expected (`$filter=name`); parsed so the compiler can reject it by name. */
export interface BareValueNode {
  readonly kind: 'value';
  readonly value: ValueNode;
}

export type FilterNode =
  | LogicalNode
  | NotNode
  | ComparisonNode
  | StringFunctionNode
  | LambdaNode
  | QueryFunctionNode
  | BareValueNode;

export const QUERY_FUNCTION_NAMESPACE = 'Microsoft.Dynamics.CRM.';
