import type {
  CrmChangedRecords,
  CrmConnection,
  CrmCredentials,
  CrmRecord,
  CrmRecordGateway,
  CrmRecordQuery,
  CrmRecordWrite,
  CrmTable,
  CrmWriteOutcome,
  TableMetadata,
} from '../../domain/index.js';
import { writeRecords, type BulkRecordWriterOptions } from './bulk-record-writer.js';
import { crmTableNames } from './crm-table-names.js';
import type { DataverseClient } from './dataverse-client.js';
import { addToMarketingList } from './marketing-lists.js';
import { changedRecords } from './record-changes.js';
import { lookupRows, type LookupOptions } from './record-lookup.js';
import { toCrmRecord } from './record-mapping.js';

export interface RecordGatewayOptions {
  /** How lookups are split and paged (`findRecords`, existence checks, changed rows). */
  readonly lookup?: LookupOptions;
  /** Rows per CreateMultiple request; default 1,000 (MSDocs' start for standard tables). */
  readonly createChunkSize?: number;
  /** Rows per UpdateMultiple request; default 1,000. */
  readonly updateChunkSize?: number;
  /** Extra requests one chunk may spend isolating the records Dataverse refused. */
  readonly maxIsolationRequests?: number;
}

/**
 * The app's {@link CrmRecordGateway} over one connection's Dataverse client: lookups in `$batch`,
 * writes with the bulk messages, marketing lists, and change reads. See the modules it calls for the
 * requests each one makes.
 */
export class DynamicsRecordGateway implements CrmRecordGateway {
  constructor(
    private readonly clientFor: (connection: CrmConnection, credentials: CrmCredentials) => DataverseClient,
    private readonly options: RecordGatewayOptions = {},
  ) {}

  tableMetadata(
    connection: CrmConnection,
    credentials: CrmCredentials,
    table: CrmTable,
  ): Promise<TableMetadata> {
    return this.clientFor(connection, credentials).tableMetadata(table);
  }

  async findRecords(
    connection: CrmConnection,
    credentials: CrmCredentials,
    queries: readonly CrmRecordQuery[],
  ): Promise<readonly (readonly CrmRecord[])[]> {
    if (queries.length === 0) return [];
    const lookups = queries.map((query) => {
      const names = crmTableNames(query.table);
      return {
        names,
        lookup: {
          entitySet: names.entitySetName,
          column: query.column,
          values: query.values,
          select: [...new Set([names.primaryIdAttribute, 'createdon', 'modifiedon', ...query.select])],
        },
      };
    });
    const rows = await lookupRows(
      this.clientFor(connection, credentials),
      lookups.map((entry) => entry.lookup),
      this.options.lookup,
    );
    return lookups.map(({ names }, index) => {
      const unique = new Map<string, CrmRecord>();
      for (const row of rows[index] ?? []) {
        const record = toCrmRecord(names, row);
        if (!unique.has(record.id)) unique.set(record.id, record);
      }
      return [...unique.values()];
    });
  }

  createRecords(
    connection: CrmConnection,
    credentials: CrmCredentials,
    table: CrmTable,
    records: readonly CrmRecordWrite[],
  ): Promise<readonly CrmWriteOutcome[]> {
    return writeRecords(
      this.clientFor(connection, credentials),
      'CreateMultiple',
      crmTableNames(table),
      records,
      this.writerOptions(this.options.createChunkSize),
    );
  }

  updateRecords(
    connection: CrmConnection,
    credentials: CrmCredentials,
    table: CrmTable,
    records: readonly CrmRecordWrite[],
  ): Promise<readonly CrmWriteOutcome[]> {
    return writeRecords(
      this.clientFor(connection, credentials),
      'UpdateMultiple',
      crmTableNames(table),
      records,
      this.writerOptions(this.options.updateChunkSize),
    );
  }

  addToMarketingList(
    connection: CrmConnection,
    credentials: CrmCredentials,
    listId: string,
    table: CrmTable,
    recordIds: readonly string[],
  ): Promise<void> {
    return addToMarketingList(this.clientFor(connection, credentials), listId, table, recordIds);
  }

  changedRecords(
    connection: CrmConnection,
    credentials: CrmCredentials,
    table: CrmTable,
    select: readonly string[],
    cursor?: string,
  ): Promise<CrmChangedRecords> {
    return changedRecords(this.clientFor(connection, credentials), table, select, cursor, {
      ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
      ...(this.options.lookup?.pageSize !== undefined ? { pageSize: this.options.lookup.pageSize } : {}),
    });
  }

  private writerOptions(chunkSize: number | undefined): BulkRecordWriterOptions {
    return {
      ...(chunkSize !== undefined ? { chunkSize } : {}),
      ...(this.options.maxIsolationRequests !== undefined
        ? { maxIsolationRequests: this.options.maxIsolationRequests }
        : {}),
      ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
    };
  }
}
