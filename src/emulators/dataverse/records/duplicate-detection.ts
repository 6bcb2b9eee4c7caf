import type { DuplicateRule, OperationContext } from '../environment.js';
import type { TableModel } from '../metadata/table-catalog.js';
import type { StoredRecord } from '../persistence/record-store.js';

/**
 * Runs the published duplicate detection rules for a row about to be written. Only requests that send
 * `MSCRM.SuppressDuplicateDetection: false` get here (the Web API skips detection otherwise).
 * Values compare case-insensitively and ignoring surrounding spaces, as the rules' "exact match" does.
 */
export function findDuplicate(
  ctx: OperationContext,
  table: TableModel,
  record: StoredRecord,
  selfId?: string,
): DuplicateRule | undefined {
  for (const rule of ctx.env.settings.duplicateRules) {
    if (rule.baseTable !== table.logicalName) continue;
    const value = normalise(record[rule.attribute]);
    if (value === undefined) continue;
    const matching = ctx.env.catalog.table(rule.matchingTable);
    if (!matching) continue;
    for (const row of ctx.tx.rows(rule.matchingTable)) {
      if (row[matching.primaryIdAttribute] === selfId) continue;
      if (normalise(row[rule.attribute]) === value) return rule;
    }
  }
  return undefined;
}

function normalise(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return value.trim().toLowerCase();
}
