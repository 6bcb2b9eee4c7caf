import type { ArrayItem, LiteralValue, QueryFunctionNode } from './filter-ast.js';
import { QUERY_FUNCTION_NAMESPACE } from './filter-ast.js';
import type { CompiledGetter, CompiledPredicate, ResolvedProperty } from './filter-compiled-types.js';
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  addUtcMonths,
  startOfUtcDay,
  startOfUtcMonth,
  startOfUtcWeek,
  startOfUtcYear,
  toEpochMs,
} from './filter-dates.js';
import { FilterError } from './filter-error.js';
import { parseDateText } from './filter-lexer.js';
import type { FilterValueType } from './filter-schema.js';
import type { Comparable } from './filter-values.js';
import { arrayItemComparable, edmTypeOfColumn, rowComparer } from './filter-values.js';

/**
 * Semantics of the Dataverse query functions (MSDocs webapi/query/filter-rows.md §Dataverse query
 * functions). The documentation describes the date functions only loosely ("The value is within last X
 * days", MSDocs fetchxml/reference/includes/operator-*-description.md), so the emulator fixes them as:
 *
 * - all calendar arithmetic is in UTC against the injected `now` (Dataverse uses the caller's time zone);
 * - LastX* run from midnight X units before today up to now; NextX* from now to the end of the day X units
 *   ahead; Last7Days/Next7Days are LastXDays(7)/NextXDays(7);
 * - OlderThanX* mean "before now minus X units";
 * - weeks run Sunday through Saturday; months and years are calendar periods;
 * - the negative functions (NotIn, NotBetween, NotEqualUserId, NotEqualBusinessId, DoesNotContainValues)
 *   are the exact complement of their positive counterparts, so empty columns satisfy them, as empty
 *   columns satisfy `ne` in Dataverse.
 */

type Bounds = readonly [from: number, to: number];
type RangeBuilder = (nowMs: number, amount: number) => Bounds;

const RELATIVE_WITH_AMOUNT: Readonly<Record<string, RangeBuilder>> = {
  LastXHours: (now, n) => [now - n * MS_PER_HOUR, now + 1],
  NextXHours: (now, n) => [now, now + n * MS_PER_HOUR + 1],
  LastXDays: (now, n) => [startOfUtcDay(now) - n * MS_PER_DAY, now + 1],
  NextXDays: (now, n) => [now, startOfUtcDay(now) + (n + 1) * MS_PER_DAY],
  LastXWeeks: (now, n) => [startOfUtcDay(now) - 7 * n * MS_PER_DAY, now + 1],
  NextXWeeks: (now, n) => [now, startOfUtcDay(now) + (7 * n + 1) * MS_PER_DAY],
  LastXMonths: (now, n) => [addUtcMonths(startOfUtcDay(now), -n), now + 1],
  NextXMonths: (now, n) => [now, addUtcMonths(startOfUtcDay(now), n) + MS_PER_DAY],
  LastXYears: (now, n) => [addUtcMonths(startOfUtcDay(now), -12 * n), now + 1],
  NextXYears: (now, n) => [now, addUtcMonths(startOfUtcDay(now), 12 * n) + MS_PER_DAY],
  OlderThanXMinutes: (now, n) => [-Infinity, now - n * MS_PER_MINUTE],
  OlderThanXHours: (now, n) => [-Infinity, now - n * MS_PER_HOUR],
  OlderThanXDays: (now, n) => [-Infinity, now - n * MS_PER_DAY],
  OlderThanXWeeks: (now, n) => [-Infinity, now - 7 * n * MS_PER_DAY],
  OlderThanXMonths: (now, n) => [-Infinity, addUtcMonths(now, -n)],
  OlderThanXYears: (now, n) => [-Infinity, addUtcMonths(now, -12 * n)],
};

const RELATIVE: Readonly<Record<string, (nowMs: number) => Bounds>> = {
  Today: (now) => [startOfUtcDay(now), startOfUtcDay(now) + MS_PER_DAY],
  Yesterday: (now) => [startOfUtcDay(now) - MS_PER_DAY, startOfUtcDay(now)],
  Tomorrow: (now) => [startOfUtcDay(now) + MS_PER_DAY, startOfUtcDay(now) + 2 * MS_PER_DAY],
  Last7Days: (now) => [startOfUtcDay(now) - 7 * MS_PER_DAY, now + 1],
  Next7Days: (now) => [now, startOfUtcDay(now) + 8 * MS_PER_DAY],
  LastWeek: (now) => [startOfUtcWeek(now) - 7 * MS_PER_DAY, startOfUtcWeek(now)],
  ThisWeek: (now) => [startOfUtcWeek(now), startOfUtcWeek(now) + 7 * MS_PER_DAY],
  NextWeek: (now) => [startOfUtcWeek(now) + 7 * MS_PER_DAY, startOfUtcWeek(now) + 14 * MS_PER_DAY],
  LastMonth: (now) => [addUtcMonths(startOfUtcMonth(now), -1), startOfUtcMonth(now)],
  ThisMonth: (now) => [startOfUtcMonth(now), addUtcMonths(startOfUtcMonth(now), 1)],
  NextMonth: (now) => [addUtcMonths(startOfUtcMonth(now), 1), addUtcMonths(startOfUtcMonth(now), 2)],
  LastYear: (now) => [addUtcMonths(startOfUtcYear(now), -12), startOfUtcYear(now)],
  ThisYear: (now) => [startOfUtcYear(now), addUtcMonths(startOfUtcYear(now), 12)],
  NextYear: (now) => [addUtcMonths(startOfUtcYear(now), 12), addUtcMonths(startOfUtcYear(now), 24)],
};

const NEGATIONS: Readonly<Record<string, string>> = {
  NotIn: 'In',
  NotBetween: 'Between',
  NotEqualUserId: 'EqualUserId',
  NotEqualBusinessId: 'EqualBusinessId',
  DoesNotContainValues: 'ContainValues',
};

class FunctionCompiler {
  readonly qualifiedName: string;

  constructor(
    readonly node: QueryFunctionNode,
    readonly property: ResolvedProperty,
  ) {
    this.qualifiedName = `${QUERY_FUNCTION_NAMESPACE}${node.name}`;
  }

  error(message: string): FilterError {
    return new FilterError(message, { position: this.node.position });
  }

  parameter(name: string): LiteralValue {
    const found = this.node.parameters.find((p) => p.name === name);
    if (found === undefined)
      throw this.error(`The function '${this.qualifiedName}' requires the parameter '${name}'.`);
    return found.value.literal;
  }

  requireType(...types: FilterValueType[]): void {
    if (!types.includes(this.property.type)) {
      throw this.error(
        `The function '${this.qualifiedName}' cannot be used with the property '${this.property.name}' of type '${edmTypeOfColumn(this.property.type)}'.`,
      );
    }
  }

  values(): readonly ArrayItem[] {
    const literal = this.parameter('PropertyValues');
    if (literal.type !== 'array') {
      throw this.error(
        `The parameter 'PropertyValues' of '${this.qualifiedName}' must be an array such as ["a","b"].`,
      );
    }
    return literal.items;
  }

  comparables(): Comparable[] {
    const { type, name } = this.property;
    return this.values().map((item) => arrayItemComparable(type, item, () => `the property '${name}'`));
  }

  /** A whole number of units, written as a number (`PropertyValue=7`) or, leniently, a numeric string. */
  amount(): number {
    const literal = this.parameter('PropertyValue');
    const value =
      literal.type === 'number'
        ? literal.value
        : literal.type === 'string' && /^\d+$/.test(literal.value)
          ? Number(literal.value)
          : NaN;
    if (!Number.isInteger(value) || value < 0) {
      throw this.error(
        `The parameter 'PropertyValue' of '${this.qualifiedName}' must be a non-negative whole number.`,
      );
    }
    return value;
  }

  /** The UTC day named by `PropertyValue='2024-01-01'` (a quoted or unquoted date, or a datetime). */
  dayStart(): number {
    const literal = this.parameter('PropertyValue');
    let ms = NaN;
    if (literal.type === 'date' || literal.type === 'datetime') {
      ms = literal.epochMs;
    } else if (literal.type === 'string') {
      ms = parseDateText(literal.value);
    }
    if (Number.isNaN(ms)) {
      throw this.error(
        `The parameter 'PropertyValue' of '${this.qualifiedName}' must be a date such as '2024-01-01'.`,
      );
    }
    return startOfUtcDay(ms);
  }
}

function fixedRange(get: CompiledGetter, from: number, to: number): CompiledPredicate {
  return (row, _context, outer) => {
    const ms = toEpochMs(get(row, outer));
    return ms >= from && ms < to;
  };
}

/** Bounds depend only on `now`, so they are recomputed only when a different clock reading arrives. */
function relativeRange(get: CompiledGetter, bounds: (nowMs: number) => Bounds): CompiledPredicate {
  let cachedNow = NaN;
  let from = 0;
  let to = 0;
  return (row, context, outer) => {
    const now = context.now.getTime();
    if (now !== cachedNow) {
      [from, to] = bounds(now);
      cachedNow = now;
    }
    const ms = toEpochMs(get(row, outer));
    return ms >= from && ms < to;
  };
}

function multichoiceValues(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  // Tolerate the wire form ("1,9") in case a row stores it unparsed.
  if (typeof value === 'string' && value !== '') return value.split(',').map(Number);
  return [];
}

function compilePositive(fn: FunctionCompiler, name: string): CompiledPredicate {
  const { get, type } = fn.property;
  const withAmount = RELATIVE_WITH_AMOUNT[name];
  if (withAmount !== undefined) {
    fn.requireType('datetime');
    const amount = fn.amount();
    return relativeRange(get, (now) => withAmount(now, amount));
  }
  const relative = RELATIVE[name];
  if (relative !== undefined) {
    fn.requireType('datetime');
    return relativeRange(get, relative);
  }
  switch (name) {
    case 'On':
    case 'OnOrAfter':
    case 'OnOrBefore': {
      fn.requireType('datetime');
      const day = fn.dayStart();
      if (name === 'On') return fixedRange(get, day, day + MS_PER_DAY);
      return name === 'OnOrAfter'
        ? fixedRange(get, day, Infinity)
        : fixedRange(get, -Infinity, day + MS_PER_DAY);
    }
    case 'In': {
      if (type === 'multichoice') {
        // A choices column is "in" the list when its whole selection equals one entry ("1,9" or 3).
        const wanted = new Set(
          fn.values().map((item) => normalizeSelection(String(item).split(',').map(Number))),
        );
        return (row, _context, outer) => {
          const selected = multichoiceValues(get(row, outer));
          return selected.length > 0 && wanted.has(normalizeSelection(selected));
        };
      }
      const wanted = new Set<Comparable>(fn.comparables());
      const comparable = rowComparer(type);
      return (row, _context, outer) => {
        const value = comparable(get(row, outer));
        return value !== undefined && wanted.has(value);
      };
    }
    case 'Between': {
      fn.requireType('number', 'choice', 'datetime', 'string');
      const bounds = fn.comparables();
      const [low, high] = bounds;
      if (bounds.length !== 2 || low === undefined || high === undefined) {
        throw fn.error(
          `The parameter 'PropertyValues' of '${fn.qualifiedName}' must contain exactly two values.`,
        );
      }
      const comparable = rowComparer(type);
      // Inclusive at both ends, like SQL BETWEEN.
      return (row, _context, outer) => {
        const value = comparable(get(row, outer));
        return value !== undefined && value >= low && value <= high;
      };
    }
    case 'ContainValues': {
      fn.requireType('multichoice');
      const wanted = new Set(fn.comparables());
      return (row, _context, outer) =>
        multichoiceValues(get(row, outer)).some((v) => wanted.has(v as Comparable));
    }
    case 'EqualUserId':
    case 'EqualBusinessId': {
      fn.requireType('guid');
      const caller = name === 'EqualUserId' ? 'callerUserId' : 'callerBusinessUnitId';
      return (row, context, outer) => {
        const value = get(row, outer);
        const id = context[caller];
        return typeof value === 'string' && id !== undefined && value.toLowerCase() === id.toLowerCase();
      };
    }
    default:
      throw fn.error(`The function '${fn.qualifiedName}' is not supported by this Dataverse emulator.`);
  }
}

function normalizeSelection(values: readonly unknown[]): string {
  return values
    .map(Number)
    .sort((a, b) => a - b)
    .join(',');
}

/** Compiles a query function whose `PropertyName` the caller has already resolved to `property`. */
export function compileQueryFunction(node: QueryFunctionNode, property: ResolvedProperty): CompiledPredicate {
  const fn = new FunctionCompiler(node, property);
  const positive = NEGATIONS[node.name];
  if (positive === undefined) return compilePositive(fn, node.name);
  const predicate = compilePositive(fn, positive);
  return (row, context, outer) => !predicate(row, context, outer);
}
