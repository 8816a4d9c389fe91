import type { SinkRecord } from '../connector/connect-record.js';
import type { SinkField } from './fields-metadata.js';

/** A statement and the fields whose values it binds, in placeholder order. */
export interface Statement {
  /** The statement for one row. */
  readonly sql: string;
  readonly fields: readonly SinkField[];
  /** The statement for `rows` rows (a multi-row `INSERT … VALUES`), when one statement can carry several. */
  readonly multiRow: ((rows: number) => string) | null;
  /**
   * The key fields when rows of one multi-row statement must have distinct keys: PostgreSQL's
   * `ON CONFLICT DO UPDATE` cannot touch one row twice in a statement.
   */
  readonly distinctKeys: readonly SinkField[] | null;
}

/** Consecutive records written by one statement, in record order. */
export interface StatementBatch {
  readonly statement: Statement;
  readonly records: SinkRecord[];
}

/**
 * Cuts the records of a `put` into batches of Confluent's `batch.size`: consecutive records with
 * the same statement (same table, columns, and insert/upsert/update/delete) share a batch of at
 * most `batchSize` rows, so record order is kept across tables and tombstones. A multi-row
 * batch is cut earlier when its parameters would pass `maxParameters`, or when an upsert's key
 * repeats (the later record then starts the next batch and still wins, as it would row by row).
 */
export function statementBatches(
  entries: readonly { readonly record: SinkRecord; readonly statement: Statement }[],
  batchSize: number,
  maxParameters: number,
): StatementBatch[] {
  const batches: StatementBatch[] = [];
  let current: StatementBatch | null = null;
  let keys = new Set<string>();
  for (const { record, statement } of entries) {
    const rowLimit =
      statement.multiRow === null
        ? batchSize
        : Math.max(1, Math.min(batchSize, Math.floor(maxParameters / Math.max(1, statement.fields.length))));
    const key = statement.distinctKeys === null ? null : keyOf(statement.distinctKeys, record);
    const fits =
      current !== null &&
      current.statement.sql === statement.sql &&
      current.records.length < rowLimit &&
      (key === null || !keys.has(key));
    if (!fits) {
      current = { statement, records: [] };
      batches.push(current);
      keys = new Set();
    }
    current!.records.push(record);
    if (key !== null) keys.add(key);
  }
  return batches;
}

/** A record's key values as one string, to spot a repeat (bytes and bigints included). */
function keyOf(fields: readonly SinkField[], record: SinkRecord): string {
  return JSON.stringify(
    fields.map((f) => {
      const value = f.read(record);
      if (typeof value === 'bigint') return `${value}n`;
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      if (value instanceof Date) return value.getTime();
      return typeof value === 'object' && value !== null ? String(value) : value;
    }),
  );
}
