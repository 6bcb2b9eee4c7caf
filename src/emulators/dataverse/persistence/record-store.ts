import type { PersistenceDriver, StoreChange } from './persistence-driver.js';
import type { StoredRecord, Tombstone } from './stored-record.js';

export { isLookupValue, type LookupValue, type StoredRecord, type Tombstone } from './stored-record.js';

/**
 * In-memory rows with all-or-nothing transactions. A transaction buffers its writes and applies them
 * only when the callback returns, so a failing change set or `CreateMultiple` leaves nothing behind.
 * Every committed transaction is handed to the persistence driver in one piece.
 */
export class RecordStore {
  private readonly tables = new Map<string, Map<string, StoredRecord>>();
  private readonly tombstones = new Map<string, Tombstone[]>();
  private version = 1000;

  constructor(private readonly driver: PersistenceDriver) {
    const loaded = driver.load();
    for (const change of loaded.changes) this.apply(change);
    this.version = Math.max(this.version, loaded.version);
  }

  get currentVersion(): number {
    return this.version;
  }

  get(table: string, id: string): StoredRecord | undefined {
    return this.tables.get(table)?.get(id);
  }

  rows(table: string): IterableIterator<StoredRecord> {
    return (this.tables.get(table) ?? new Map<string, StoredRecord>()).values();
  }

  entries(table: string): IterableIterator<[string, StoredRecord]> {
    return (this.tables.get(table) ?? new Map<string, StoredRecord>()).entries();
  }

  count(table: string): number {
    return this.tables.get(table)?.size ?? 0;
  }

  deletedSince(table: string, version: number): Tombstone[] {
    return (this.tombstones.get(table) ?? []).filter((t) => t.version > version);
  }

  /** Runs `work` against a buffered view; commits when it returns, discards when it throws. */
  transaction<T>(work: (tx: StoreTransaction) => T): T {
    const tx = new StoreTransaction(this, () => ++this.version);
    const result = work(tx);
    const changes = tx.changes();
    if (changes.length > 0) {
      this.driver.append(changes, this.version);
      for (const change of changes) this.apply(change);
    }
    return result;
  }

  private apply(change: StoreChange): void {
    let table = this.tables.get(change.table);
    if (!table) {
      table = new Map();
      this.tables.set(change.table, table);
    }
    if (change.kind === 'put') {
      table.set(change.id, change.record);
    } else {
      table.delete(change.id);
      let list = this.tombstones.get(change.table);
      if (!list) {
        list = [];
        this.tombstones.set(change.table, list);
      }
      list.push({ table: change.table, id: change.id, version: change.version });
    }
  }

  /** Writes the current rows as a compact snapshot (used at start-up to keep the journal short). */
  compact(): void {
    const changes: StoreChange[] = [];
    for (const [table, rows] of this.tables)
      for (const [id, record] of rows) changes.push({ kind: 'put', table, id, record });
    for (const list of this.tombstones.values())
      for (const t of list) changes.push({ kind: 'delete', table: t.table, id: t.id, version: t.version });
    this.driver.rewrite(changes, this.version);
  }
}

/** A transaction's view: reads see its own pending writes first. */
export class StoreTransaction {
  private readonly pending = new Map<string, StoreChange>();

  constructor(
    private readonly store: RecordStore,
    private readonly nextVersion: () => number,
  ) {}

  /** A fresh row version; every write takes one, as Dataverse bumps versionnumber on each change. */
  version(): number {
    return this.nextVersion();
  }

  get(table: string, id: string): StoredRecord | undefined {
    const change = this.pending.get(key(table, id));
    if (change) return change.kind === 'put' ? change.record : undefined;
    return this.store.get(table, id);
  }

  /** Rows of a table including this transaction's pending writes. */
  *rows(table: string): Generator<StoredRecord> {
    for (const [id, row] of this.store.entries(table)) if (!this.pending.has(key(table, id))) yield row;
    for (const change of this.pending.values())
      if (change.table === table && change.kind === 'put') yield change.record;
  }

  put(table: string, id: string, record: StoredRecord): void {
    this.pending.set(key(table, id), { kind: 'put', table, id, record });
  }

  delete(table: string, id: string): void {
    this.pending.set(key(table, id), { kind: 'delete', table, id, version: this.nextVersion() });
  }

  changes(): StoreChange[] {
    return [...this.pending.values()];
  }
}

const key = (table: string, id: string) => `${table}\u0000${id}`;
