/**
 * Names the parser accepts in function-call position. Dataverse query functions are listed in MSDocs
 * webapi/query/filter-rows.md §Dataverse query functions (parameter names from the per-function reference
 * pages, e.g. progref/webapireference/queryfunctions/lastxdays.md); anything else is rejected by name.
 * There is deliberately no `NotOn`, `Equal` or `NotEqual`: Dataverse has no such query functions.
 */

export interface QueryFunctionSpec {
  readonly name: string;
  /** Parameters besides `PropertyName`, which every query function takes. */
  readonly parameters: readonly string[];
  /** False for documented functions the emulator does not evaluate (fiscal periods, hierarchies, ...). */
  readonly implemented: boolean;
}

const VALUE = ['PropertyValue'];
const VALUES = ['PropertyValues'];
const TWO_VALUES = ['PropertyValue1', 'PropertyValue2'];

function specs(
  parameters: readonly string[],
  implemented: boolean,
  names: readonly string[],
): QueryFunctionSpec[] {
  return names.map((name) => ({ name, parameters, implemented }));
}

const ALL_SPECS: readonly QueryFunctionSpec[] = [
  ...specs(VALUES, true, ['In', 'NotIn', 'Between', 'NotBetween', 'ContainValues', 'DoesNotContainValues']),
  ...specs(VALUE, true, [
    'LastXHours',
    'LastXDays',
    'LastXWeeks',
    'LastXMonths',
    'LastXYears',
    'NextXHours',
    'NextXDays',
    'NextXWeeks',
    'NextXMonths',
    'NextXYears',
    'OlderThanXMinutes',
    'OlderThanXHours',
    'OlderThanXDays',
    'OlderThanXWeeks',
    'OlderThanXMonths',
    'OlderThanXYears',
    'On',
    'OnOrAfter',
    'OnOrBefore',
  ]),
  ...specs([], true, [
    'Today',
    'Yesterday',
    'Tomorrow',
    'Last7Days',
    'Next7Days',
    'LastWeek',
    'ThisWeek',
    'NextWeek',
    'LastMonth',
    'ThisMonth',
    'NextMonth',
    'LastYear',
    'ThisYear',
    'NextYear',
    'EqualUserId',
    'NotEqualUserId',
    'EqualBusinessId',
    'NotEqualBusinessId',
  ]),
  ...specs([], false, [
    'LastFiscalPeriod',
    'LastFiscalYear',
    'NextFiscalPeriod',
    'NextFiscalYear',
    'ThisFiscalPeriod',
    'ThisFiscalYear',
    'EqualUserLanguage',
    'EqualUserOrUserHierarchy',
    'EqualUserOrUserHierarchyAndTeams',
    'EqualUserOrUserTeams',
    'EqualUserTeams',
  ]),
  ...specs(VALUE, false, [
    'InFiscalPeriod',
    'InFiscalYear',
    'LastXFiscalPeriods',
    'LastXFiscalYears',
    'NextXFiscalPeriods',
    'NextXFiscalYears',
    'Above',
    'AboveOrEqual',
    'Under',
    'UnderOrEqual',
    'NotUnder',
    // Full-text search, only meaningful for the knowledge-article table (filter-rows.md, note under the list).
    'Contains',
  ]),
  ...specs(TWO_VALUES, false, [
    'InFiscalPeriodAndYear',
    'InOrAfterFiscalPeriodAndYear',
    'InOrBeforeFiscalPeriodAndYear',
  ]),
];

const BY_NAME: ReadonlyMap<string, QueryFunctionSpec> = new Map(ALL_SPECS.map((spec) => [spec.name, spec]));

export function findQueryFunction(name: string): QueryFunctionSpec | undefined {
  return BY_NAME.get(name);
}

export const QUERY_FUNCTION_NAMES: readonly string[] = ALL_SPECS.map((spec) => spec.name);

/**
 * Standard OData functions Dataverse does not evaluate. They are recognised so the error can name the
 * function instead of pretending it does not exist.
 */
const UNSUPPORTED_ODATA_FUNCTIONS: ReadonlySet<string> = new Set([
  'tolower',
  'toupper',
  'trim',
  'concat',
  'substring',
  'substringof',
  'length',
  'indexof',
  'matchesPattern',
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'fractionalseconds',
  'totalseconds',
  'date',
  'time',
  'totaloffsetminutes',
  'now',
  'maxdatetime',
  'mindatetime',
  'round',
  'floor',
  'ceiling',
  'cast',
  'isof',
  'hassubset',
  'hassubsequence',
  'geo.distance',
  'geo.intersects',
  'geo.length',
]);

export function unsupportedODataFunctionMessage(name: string): string | undefined {
  if (!UNSUPPORTED_ODATA_FUNCTIONS.has(name)) return undefined;
  const why =
    name === 'tolower' || name === 'toupper'
      ? ' Dataverse string comparisons are already case-insensitive, so compare the column directly.'
      : '';
  return `The '${name}' function is not supported by Dataverse in $filter.${why}`;
}
