import SqliteDatabase from 'better-sqlite3';

export interface ExclusiveFileLock {
  release(): void;
}

/**
 * An exclusive transaction held open on a small SQLite file: a lock between processes of one machine
 * (or of one shared volume) that the operating system's file locks free the moment its process dies,
 * so a process killed with -9 leaves no stale lock to time out (as lock-file libraries must) and no
 * PID to guess about. It works wherever SQLite's own locking works, which a SQLite store needs anyway.
 * `undefined` when another connection holds it.
 */
export function tryExclusiveFileLock(file: string): ExclusiveFileLock | undefined {
  const lock = new SqliteDatabase(file, { timeout: 0 });
  try {
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return undefined;
    throw error;
  }
  return {
    release() {
      if (lock.open) lock.close();
    },
  };
}
