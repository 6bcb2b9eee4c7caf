import type { CrmTable } from './crm-metadata.js';

/** One row per lead per sync attempt: what was decided, why, what was sent, and what came back. */
export type SyncOutcome = 'created' | 'updated' | 'skipped' | 'failed';

export interface SyncLogEntry {
  readonly id: string;
  readonly leadId: string;
  readonly sourceId: string;
  readonly connectionId: string;
  readonly attempt: number;
  readonly outcome: SyncOutcome;
  readonly table?: CrmTable;
  readonly recordId?: string;
  /** Machine-readable decision, e.g. `create_lead`, `update_contact`, `skip`. */
  readonly decision?: string;
  /** Plain words a person can read. */
  readonly reason: string;
  /** The mapped CRM payload that was (or would have been) sent. */
  readonly payload?: Readonly<Record<string, unknown>>;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly retryable?: boolean;
  readonly dryRun: boolean;
  readonly at: string;
}

export type NewSyncLogEntry = Omit<SyncLogEntry, 'id' | 'at'>;

export interface SyncLogFilter {
  readonly sourceId?: string;
  readonly leadId?: string;
  readonly outcome?: SyncOutcome;
  /** ISO instants, inclusive `from`, exclusive `to`. */
  readonly from?: string;
  readonly to?: string;
  /** Case-insensitive text in reason, error message or payload. */
  readonly text?: string;
  readonly limit?: number;
  readonly after?: string;
}

export interface SyncLogRepository {
  append(entries: readonly NewSyncLogEntry[]): Promise<void>;
  list(filter: SyncLogFilter): Promise<{ readonly entries: readonly SyncLogEntry[]; readonly next?: string }>;
  get(id: string): Promise<SyncLogEntry | undefined>;
}
