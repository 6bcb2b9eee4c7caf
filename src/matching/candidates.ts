import type { CrmRecord } from '../domain/index.js';
import type { PersonTable } from './sync-decision.js';

/**
 * The records a batch's lookups found, per table. One batch's results hold records for every subject
 * in it; the decisions pick out each subject's own.
 */
export type CandidatesByTable = Readonly<Partial<Record<PersonTable, readonly CrmRecord[]>>>;

/**
 * Groups the gateway's results (one list per query, in query order) by table, each record once: the
 * same record comes back from its email query and its name query, or from two chunks of one column.
 */
export function groupCandidates(results: readonly (readonly CrmRecord[])[]): CandidatesByTable {
  const byTable: Partial<Record<PersonTable, CrmRecord[]>> = {};
  const seen = new Set<string>();
  for (const records of results) {
    for (const record of records) {
      if (record.table !== 'lead' && record.table !== 'contact') continue;
      const key = `${record.table}:${record.id.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      (byTable[record.table] ??= []).push(record);
    }
  }
  return byTable;
}

/** `records` with each id once (GUIDs compare case-insensitively), first occurrence kept. */
export function distinctRecords(records: readonly CrmRecord[]): readonly CrmRecord[] {
  const seen = new Set<string>();
  return records.filter((record) => {
    const id = record.id.toLowerCase();
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
