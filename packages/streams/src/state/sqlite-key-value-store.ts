import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { KeyValueBytesStore } from './bytes-store.js';

/**
 * The persistent key-value store (where Java uses RocksDB): one SQLite file per store,
 * `<task dir>/sqlite/<store>.db`, keys and values as BLOBs (SQLite compares BLOBs with memcmp,
 * which is Java's unsigned byte order).
 *
 * Writes go into one open transaction that `flush()` commits: the task flushes its stores before
 * it writes the `.checkpoint`, so the checkpointed changelog offsets never run ahead of what the
 * file holds. A crash loses the uncommitted writes and the stale checkpoint makes the restore
 * replay them.
 */
export class SqliteKeyValueStore implements KeyValueBytesStore {
  readonly isPersistent = true;
  private db: Database.Database | undefined;
  private statements:
    | {
        get: Database.Statement;
        put: Database.Statement;
        delete: Database.Statement;
        count: Database.Statement;
        all: Database.Statement;
        from: Database.Statement;
        to: Database.Statement;
        between: Database.Statement;
      }
    | undefined;

  constructor(readonly storeName: string) {}

  open(dir: string): void {
    const folder = join(dir, 'sqlite');
    mkdirSync(folder, { recursive: true });
    const db = new Database(join(folder, `${this.storeName}.db`));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID');
    this.db = db;
    this.statements = {
      get: db.prepare('SELECT value FROM kv WHERE key = ?').pluck(),
      put: db.prepare(
        'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      delete: db.prepare('DELETE FROM kv WHERE key = ?'),
      count: db.prepare('SELECT count(*) FROM kv').pluck(),
      all: db.prepare('SELECT key, value FROM kv ORDER BY key').raw(),
      from: db.prepare('SELECT key, value FROM kv WHERE key >= ? ORDER BY key').raw(),
      to: db.prepare('SELECT key, value FROM kv WHERE key <= ? ORDER BY key').raw(),
      between: db.prepare('SELECT key, value FROM kv WHERE key >= ? AND key <= ? ORDER BY key').raw(),
    };
  }

  wipe(dir: string): void {
    if (this.db !== undefined) throw new Error(`state store ${this.storeName} is open: close it before wiping`);
    const file = join(dir, 'sqlite', `${this.storeName}.db`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }

  private get s() {
    if (this.statements === undefined) throw new Error(`state store ${this.storeName} is not open`);
    return this.statements;
  }

  private write(): void {
    if (this.db !== undefined && !this.db.inTransaction) this.db.exec('BEGIN');
  }

  get(key: Uint8Array): Uint8Array | null {
    return (this.s.get.get(Buffer.from(key)) as Buffer | undefined) ?? null;
  }

  put(key: Uint8Array, value: Uint8Array | null): void {
    this.write();
    if (value === null) this.s.delete.run(Buffer.from(key));
    else this.s.put.run(Buffer.from(key), Buffer.from(value));
  }

  range(from: Uint8Array | null, to: Uint8Array | null): [Uint8Array, Uint8Array][] {
    const s = this.s;
    const rows =
      from === null && to === null
        ? s.all.all()
        : from === null
          ? s.to.all(Buffer.from(to as Uint8Array))
          : to === null
            ? s.from.all(Buffer.from(from))
            : s.between.all(Buffer.from(from), Buffer.from(to));
    return rows as [Buffer, Buffer][];
  }

  approximateNumEntries(): number {
    return this.s.count.get() as number;
  }

  flush(): void {
    if (this.db?.inTransaction) this.db.exec('COMMIT');
  }

  close(): void {
    this.flush();
    this.db?.close();
    this.db = undefined;
    this.statements = undefined;
  }

  isOpen(): boolean {
    return this.db !== undefined;
  }
}
