import type { CrmRecord, DuplicateAction } from '../domain/index.js';

export type RecordOrder = Exclude<DuplicateAction, 'none'>;

const TIMESTAMP: Readonly<Record<RecordOrder, (record: CrmRecord) => string>> = {
  update_most_recently_created: (record) => record.createdOn,
  update_least_recently_created: (record) => record.createdOn,
  update_most_recently_updated: (record) => record.modifiedOn,
  update_least_recently_updated: (record) => record.modifiedOn,
};

const NEWEST_FIRST: Readonly<Record<RecordOrder, boolean>> = {
  update_most_recently_created: true,
  update_least_recently_created: false,
  update_most_recently_updated: true,
  update_least_recently_updated: false,
};

/**
 * The record a duplicate action picks. Timestamps are compared as instants, not strings, because
 * Dataverse and the emulator may differ in precision or offset. Equal timestamps (a bulk import
 * creates hundreds in one second) fall back to the smaller id, so a retry picks the same record.
 * A record without a readable timestamp never wins over one with.
 */
export function pickRecord(records: readonly CrmRecord[], order: RecordOrder): CrmRecord | undefined {
  return [...records].sort(compareBy(order))[0];
}

export function compareBy(order: RecordOrder): (a: CrmRecord, b: CrmRecord) => number {
  const timestamp = TIMESTAMP[order];
  const direction = NEWEST_FIRST[order] ? -1 : 1;
  return (a, b) => {
    const ta = Date.parse(timestamp(a));
    const tb = Date.parse(timestamp(b));
    if (Number.isNaN(ta) !== Number.isNaN(tb)) return Number.isNaN(ta) ? 1 : -1;
    if (!Number.isNaN(ta) && ta !== tb) return (ta - tb) * direction;
    const ia = a.id.toLowerCase();
    const ib = b.id.toLowerCase();
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  };
}

/** How a reason names the ordering: "the most recently modified of 3 leads". */
export function describeOrder(order: RecordOrder): string {
  switch (order) {
    case 'update_most_recently_created':
      return 'most recently created';
    case 'update_least_recently_created':
      return 'least recently created';
    case 'update_most_recently_updated':
      return 'most recently modified';
    case 'update_least_recently_updated':
      return 'least recently modified';
  }
}
