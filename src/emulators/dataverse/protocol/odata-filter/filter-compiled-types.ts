import type { FilterContext, FilterRow, FilterValueType } from './filter-schema.js';

/**
 * Shapes of compiled code. Inside a lambda (`Nav/any(o:...)`) a predicate receives the collection
 * member as `row` and the enclosing rows as a linked list, so paths that reach outside the lambda need
 * no per-row allocation at the top level.
 */
export interface Frame {
  readonly row: FilterRow;
  readonly parent: Frame | undefined;
}

export type CompiledPredicate = (row: FilterRow, context: FilterContext, outer: Frame | undefined) => boolean;

export type CompiledGetter = (row: FilterRow, outer: Frame | undefined) => unknown;

/** A property reached through a path, with its type and a getter that walks any navigations. */
export interface ResolvedProperty {
  readonly name: string;
  readonly type: FilterValueType;
  readonly get: CompiledGetter;
}
