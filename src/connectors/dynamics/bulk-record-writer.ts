import type { CrmRecordWrite, CrmWriteOutcome } from '../../domain/index.js';
import { chunksOf, MAX_BULK_TARGETS } from './bulk-writes.js';
import {
  classifyBulkFailure,
  guidsIn,
  isDataverseAnswer,
  rowError,
  rowsBlamed,
} from './bulk-write-failure.js';
import type { CrmTableNames } from './crm-table-names.js';
import type { DataverseClient } from './dataverse-client.js';
import { DataverseError } from './dataverse-error.js';
import type { DataverseRecord } from './dataverse-request.js';
import { isGuid } from './odata-syntax.js';
import { existingIds, type LookupClient, type LookupOptions } from './record-lookup.js';

/**
 * Creates or updates records with `CreateMultiple`/`UpdateMultiple`, one outcome per record. A bulk
 * request on a standard table is all-or-nothing, so when Dataverse refuses one the writer finds out
 * which rows it was about and writes the rest:
 *
 * - a duplicate key on create (a retry after a crash) → one lookup of which ids exist; those are done
 *   (`alreadyExisted`), the rest is sent again;
 * - a missing row on update → the ids the message names, or one lookup; those are
 *   `crm_record_not_found`, the rest is sent again;
 * - a column-specific refusal (too long, not a choice, no such column…) → the rows the message's rule
 *   fits fail with it, the rest is sent again; a refusal that names no rule is bisected, and when one
 *   half goes through the other is split without being sent (it must hold the culprit);
 * - a payload too large → halves;
 * - throttling, server errors, timeouts, authentication and permissions fail the whole call.
 */

export interface BulkRecordWriterOptions {
  /** Rows per request; MSDocs suggest 1,000 on standard tables as a start (bulk-operations §Number of records). */
  readonly chunkSize?: number;
  /** Requests beyond the first that one chunk may spend isolating bad rows before giving up on the rest. */
  readonly maxIsolationRequests?: number;
  readonly lookup?: LookupOptions;
}

export const DEFAULT_MAX_ISOLATION_REQUESTS = 40;

type Action = 'CreateMultiple' | 'UpdateMultiple';

/** What the writer needs of the client. */
export type WriterClient = LookupClient & Pick<DataverseClient, 'createMultiple' | 'updateMultiple'>;

interface Row {
  readonly index: number;
  readonly id: string;
  readonly values: Readonly<Record<string, unknown>>;
}

class ChunkWriter {
  private extraRequests = 0;

  constructor(
    private readonly client: WriterClient,
    private readonly action: Action,
    private readonly table: CrmTableNames,
    private readonly outcomes: Map<number, CrmWriteOutcome>,
    private readonly options: BulkRecordWriterOptions,
  ) {}

  /** Writes `rows`; true when they all went through at the first attempt. */
  async write(rows: readonly Row[], first = false): Promise<boolean> {
    if (rows.length === 0) return true;
    let failure: DataverseError;
    try {
      if (!first) this.extraRequests++;
      const targets = rows.map((row) => this.target(row));
      const { entitySetName, logicalName } = this.table;
      if (this.action === 'CreateMultiple')
        await this.client.createMultiple(entitySetName, logicalName, targets);
      else await this.client.updateMultiple(entitySetName, logicalName, targets);
      for (const row of rows) this.outcomes.set(row.index, { id: row.id, ok: true });
      return true;
    } catch (error) {
      if (!isDataverseAnswer(error)) throw error;
      failure = error;
    }
    switch (classifyBulkFailure(failure)) {
      case 'request':
        throw failure;
      case 'too_large':
        if (rows.length === 1) this.fail(rows, failure);
        else for (const half of halves(rows)) await this.write(half);
        return false;
      case 'duplicate_key':
        if (this.action === 'CreateMultiple') await this.resolveExisting(rows, failure);
        else await this.isolate(rows, failure);
        return false;
      case 'not_found':
        await this.resolveMissing(rows, failure);
        return false;
      case 'record':
        await this.isolate(rows, failure);
        return false;
    }
  }

  private target(row: Row): DataverseRecord {
    return { ...row.values, [this.table.primaryIdAttribute]: row.id };
  }

  private fail(rows: readonly Row[], failure: DataverseError, note?: string): void {
    for (const row of rows)
      this.outcomes.set(row.index, { id: row.id, ok: false, error: rowError(failure, note) });
  }

  private async existing(rows: readonly Row[]): Promise<Set<string>> {
    this.extraRequests++;
    return existingIds(
      this.client,
      this.table.entitySetName,
      this.table.primaryIdAttribute,
      rows.map((row) => row.id),
      this.options.lookup,
    );
  }

  private async resolveExisting(rows: readonly Row[], failure: DataverseError): Promise<void> {
    const existing = await this.existing(rows);
    const done = rows.filter((row) => existing.has(row.id));
    // Not our primary keys: an alternate key, or a key twice in the payload — a row problem.
    if (done.length === 0) return this.isolate(rows, failure);
    for (const row of done) this.outcomes.set(row.index, { id: row.id, ok: true, alreadyExisted: true });
    await this.write(rows.filter((row) => !existing.has(row.id)));
  }

  private async resolveMissing(rows: readonly Row[], failure: DataverseError): Promise<void> {
    if (this.action === 'UpdateMultiple') {
      const named = guidsIn(failure.vendor?.message ?? '');
      let missing = rows.filter((row) => named.has(row.id));
      if (missing.length === 0) {
        const existing = await this.existing(rows);
        missing = rows.filter((row) => !existing.has(row.id));
      }
      if (missing.length > 0) {
        const gone = new Set(missing);
        this.fail(missing, failure);
        await this.write(rows.filter((row) => !gone.has(row)));
        return;
      }
    }
    // Every row exists (or this is a create): a row refers to one that does not.
    await this.isolate(rows, failure);
  }

  private async isolate(rows: readonly Row[], failure: DataverseError): Promise<void> {
    if (rows.length === 1) return this.fail(rows, failure);
    const blamed = rowsBlamed(failure, rows);
    if (blamed !== undefined) {
      this.fail(
        rows.filter((_, index) => blamed.has(index)),
        failure,
      );
      await this.write(rows.filter((_, index) => !blamed.has(index)));
      return;
    }
    const budget = this.options.maxIsolationRequests ?? DEFAULT_MAX_ISOLATION_REQUESTS;
    if (this.extraRequests >= budget)
      return this.fail(
        rows,
        failure,
        `It was sent with ${rows.length - 1} other record(s) and Leadbridge stopped looking for the one at fault after ${budget} extra requests, so this record may be fine on its own.`,
      );
    const [left = [], right = []] = halves(rows);
    const leftClean = await this.write(left);
    // The failure was deterministic and not in the left half, so the right half holds it: no need to send it whole.
    if (leftClean) await this.isolate(right, failure);
    else await this.write(right);
  }
}

function halves<T>(rows: readonly T[]): [T[], T[]] {
  const middle = Math.ceil(rows.length / 2);
  return [rows.slice(0, middle), rows.slice(middle)];
}

/**
 * One outcome per input record, in input order. Ids must be GUIDs and appear once; the others fail
 * without a request.
 */
export async function writeRecords(
  client: WriterClient,
  action: Action,
  table: CrmTableNames,
  records: readonly CrmRecordWrite[],
  options: BulkRecordWriterOptions = {},
): Promise<CrmWriteOutcome[]> {
  const outcomes = new Map<number, CrmWriteOutcome>();
  const rows: Row[] = [];
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const id = record.id.toLowerCase();
    const refuse = (detail: string) =>
      outcomes.set(index, {
        id: record.id,
        ok: false,
        error: rowError(new DataverseError('crm_validation_failed', detail, undefined)),
      });
    if (!isGuid(id)) refuse(`'${record.id}' is not a GUID, so it cannot be the ${table.primaryIdAttribute}.`);
    else if (seen.has(id))
      refuse(
        `The ${table.logicalName} ${id} appears more than once in this write; only its first occurrence was written.`,
      );
    else {
      seen.add(id);
      rows.push({ index, id, values: record.values });
    }
  });
  for (const chunk of chunksOf(rows, options.chunkSize ?? MAX_BULK_TARGETS))
    await new ChunkWriter(client, action, table, outcomes, options).write(chunk, true);
  return records.map(
    (record, index) => outcomes.get(index) ?? { id: record.id, ok: false, error: unexpectedGap() },
  );
}

function unexpectedGap() {
  return rowError(
    new DataverseError('internal', 'The record was not written and no reason was recorded.', undefined),
  );
}
