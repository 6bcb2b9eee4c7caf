import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PersistenceDriver, StoreChange } from './persistence-driver.js';

interface JournalEntry {
  readonly version: number;
  readonly changes: readonly StoreChange[];
}

/**
 * An append-only JSON-lines journal: one line per committed transaction, so a crash mid-write loses at
 * most the transaction being written (a torn last line is ignored on load). Rows stay in memory, which
 * keeps queries fast; the journal is compacted into a snapshot at every start.
 */
export function journalPersistence(dataDir: string): PersistenceDriver {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'dataverse-journal.jsonl');
  return {
    load() {
      if (!existsSync(file)) return { changes: [], version: 0 };
      const changes: StoreChange[] = [];
      let version = 0;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        let entry: JournalEntry;
        try {
          entry = JSON.parse(line) as JournalEntry;
        } catch {
          break; // a torn final line from a crash: everything before it is intact
        }
        changes.push(...entry.changes);
        version = Math.max(version, entry.version);
      }
      return { changes, version };
    },
    append(changes, version) {
      appendFileSync(file, JSON.stringify({ version, changes } satisfies JournalEntry) + '\n');
    },
    rewrite(changes, version) {
      const temp = `${file}.tmp`;
      writeFileSync(temp, JSON.stringify({ version, changes } satisfies JournalEntry) + '\n');
      renameSync(temp, file);
    },
  };
}
