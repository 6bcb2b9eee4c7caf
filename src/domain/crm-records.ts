import type { CrmConnection, CrmCredentials } from './crm-connection.js';
import type { CrmTable, TableMetadata } from './crm-metadata.js';

/**
 * The sync engine's port for reading and writing CRM records in bulk (DESIGN.md §4), implemented by
 * connectors/dynamics over `$batch`, `Microsoft.Dynamics.CRM.In` and `CreateMultiple`/`UpdateMultiple`.
 * Failures of the whole call are LeadbridgeErrors with `crm_*` codes; failures of single records come
 * back in the outcomes, so one bad record never sinks its batch.
 */

/** Records of `table` whose `column` equals one of `values` (Dataverse compares strings case-insensitively). */
export interface CrmRecordQuery {
  readonly table: CrmTable;
  readonly column: string;
  readonly values: readonly string[];
  /** Columns to return besides the id, `createdon` and `modifiedon`. */
  readonly select: readonly string[];
}

export interface CrmRecord {
  readonly table: CrmTable;
  readonly id: string;
  readonly createdOn: string;
  readonly modifiedOn: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface CrmRecordWrite {
  /** The primary key: deterministic for creates (UUIDv5), the existing id for updates. */
  readonly id: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface CrmWriteError {
  /** Our catalogue code, e.g. `crm_validation_failed`. */
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  /** The vendor's code (`0x80040237`) for the log. */
  readonly vendorCode?: string;
}

export type CrmWriteOutcome =
  | {
      readonly id: string;
      readonly ok: true;
      /** The id already existed: a retried create, counted as done. */ readonly alreadyExisted?: boolean;
    }
  | { readonly id: string; readonly ok: false; readonly error: CrmWriteError };

export interface CrmChangedRecords {
  readonly records: readonly CrmRecord[];
  readonly deletedIds: readonly string[];
  /** Pass back next time: a change-tracking delta link or a `modifiedon` watermark. */
  readonly cursor: string;
}

export interface CrmRecordGateway {
  tableMetadata(
    connection: CrmConnection,
    credentials: CrmCredentials,
    table: CrmTable,
  ): Promise<TableMetadata>;
  /** All queries in as few requests as possible (one `$batch` per up to 1,000 queries); results in query order. */
  findRecords(
    connection: CrmConnection,
    credentials: CrmCredentials,
    queries: readonly CrmRecordQuery[],
  ): Promise<readonly (readonly CrmRecord[])[]>;
  /** Creates with the given ids; an id that already exists is `ok` with `alreadyExisted`. Outcomes in input order. */
  createRecords(
    connection: CrmConnection,
    credentials: CrmCredentials,
    table: CrmTable,
    records: readonly CrmRecordWrite[],
  ): Promise<readonly CrmWriteOutcome[]>;
  updateRecords(
    connection: CrmConnection,
    credentials: CrmCredentials,
    table: CrmTable,
    records: readonly CrmRecordWrite[],
  ): Promise<readonly CrmWriteOutcome[]>;
  /** Adds records to a marketing list (`AddMemberList`/`AddListMembersList`). */
  addToMarketingList(
    connection: CrmConnection,
    credentials: CrmCredentials,
    listId: string,
    table: CrmTable,
    recordIds: readonly string[],
  ): Promise<void>;
  /** Records of `table` with these ids changed since `cursor` (absent: start now, returning no records). */
  changedRecords(
    connection: CrmConnection,
    credentials: CrmCredentials,
    table: CrmTable,
    select: readonly string[],
    cursor?: string,
  ): Promise<CrmChangedRecords>;
}
