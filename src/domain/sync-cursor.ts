import type { CrmTable } from './crm-metadata.js';

/** Where the last two-way sync cycle of a connection and table stopped (a delta link or a watermark). */
export interface SyncCursorRepository {
  get(connectionId: string, table: CrmTable): Promise<string | undefined>;
  set(connectionId: string, table: CrmTable, cursor: string): Promise<void>;
}
