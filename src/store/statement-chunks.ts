/**
 * Bound parameters one statement may carry. SQLite allows 32,766 (SQLITE_MAX_VARIABLE_NUMBER since
 * 3.32) and PostgreSQL 65,535; staying well below both keeps statements quick to prepare.
 */
const PARAMETERS_PER_STATEMENT = 10_000;

/** Splits rows (or ids) so that no statement binds more than the budget, `perItem` parameters each. */
export function chunksFor<T>(items: readonly T[], perItem: number): T[][] {
  const size = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / perItem));
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
