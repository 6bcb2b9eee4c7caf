/**
 * What the compiler needs to know about a table. The emulator core implements this over its table
 * metadata; tests implement it over plain objects. Getters, rather than property names, let the core
 * decide how rows are stored.
 */

/**
 * How a column's values are represented in rows (what `get` returns):
 * - string: string; number: number (also money, decimal, bigint); boolean: boolean;
 * - datetime: ISO-8601 UTC string such as `2024-05-01T10:00:00Z`;
 * - guid: lower-case string (lookup `_x_value` properties are guids);
 * - choice: number (option value); multichoice: number[];
 * - null or undefined when the column is empty.
 */
export type FilterValueType =
  'string' | 'number' | 'boolean' | 'datetime' | 'guid' | 'choice' | 'multichoice';

export type FilterRow = Readonly<Record<string, unknown>>;

export interface FilterProperty {
  readonly type: FilterValueType;
  get(row: FilterRow): unknown;
}

export interface FilterSingleNavigation {
  readonly schema: FilterSchema;
  /** The related row, or undefined when the lookup is empty. */
  get(row: FilterRow): FilterRow | undefined;
}

export interface FilterCollectionNavigation {
  readonly schema: FilterSchema;
  get(row: FilterRow): readonly FilterRow[];
}

export interface FilterSchema {
  /** Logical name, used in error messages ('lead'). */
  readonly entityName: string;
  /** Resolve a property as written in $filter (e.g. 'firstname', '_parentaccountid_value'), or undefined if unknown. */
  property(name: string): FilterProperty | undefined;
  /** Single-valued navigation property (for a/b paths): the related row's schema and a getter for the related row. */
  singleNavigation(name: string): FilterSingleNavigation | undefined;
  /** Collection-valued navigation property (for any/all). */
  collectionNavigation(name: string): FilterCollectionNavigation | undefined;
}

/**
 * Per-evaluation inputs. Relative date functions (Today, LastXDays, ...) are evaluated in UTC against
 * `now`, never against the system clock, so tests and the emulator's virtual clock control them.
 */
export interface FilterContext {
  readonly now: Date;
  /** systemuserid of the caller, for EqualUserId/NotEqualUserId. */
  readonly callerUserId?: string;
  /** businessunitid of the caller, for EqualBusinessId/NotEqualBusinessId. */
  readonly callerBusinessUnitId?: string;
}

export type FilterPredicate = (row: FilterRow, context: FilterContext) => boolean;
