import type { SourceRecord } from '../connector/connect-record.js';
import { type Schema, SchemaBuilder, Struct } from '../data/schema.js';
import { ConnectException } from './connect-exception.js';
import type { ColumnDefinition, DatabaseDialect } from './dialect/database-dialect.js';
import { compareTimestamps, type SqlTimestamp, timestampFromMs } from './dialect/sql-timestamp.js';
import type { JdbcSourceConfig } from './jdbc-source-connector-config.js';
import { type TableId, tableFqn } from './table-id.js';

/** Confluent's offset keys (TimestampIncrementingOffset). */
export const INCREMENTING_FIELD = 'incrementing';
export const TIMESTAMP_FIELD = 'timestamp';
export const TIMESTAMP_NANOS_FIELD = 'timestamp_nanos';

/** Confluent's source partition, protocol 1: `{"protocol":"1","table":"public.orders"}`; `{"query":"query"}` in query mode. */
export function sourcePartition(table: TableId | null): Record<string, string> {
  return table === null ? { query: 'query' } : { protocol: '1', table: tableFqn(table) };
}

/**
 * Reads one table (or the `query`) for one source task, in Confluent's modes:
 * - bulk: the whole table on every poll, records without offsets;
 * - incrementing: `WHERE inc > last ORDER BY inc`, at most `batch.max.rows` per query;
 * - timestamp: `WHERE ts > last AND ts < now - delay ORDER BY ts` (rows that share the last
 *   timestamp must all be read in one go, so this query has no LIMIT);
 * - timestamp+incrementing: `WHERE ts < now - delay AND ((ts = last AND inc > lastInc) OR ts > last)
 *   ORDER BY ts, inc`, with a LIMIT.
 * Each record carries the offset reached once it is written, so a restart resumes after the last
 * acknowledged row: in incrementing mode no row is sent twice. A query's rows are handed out
 * `batch.max.rows` at a time; the next query runs once they are all out, and when the last query
 * was not cut short by its LIMIT, only `poll.interval.ms` after it.
 */
export class TableQuerier {
  nextQueryAt = 0;
  private pending: SourceRecord[] = [];
  private lastIncrementing: number | bigint | null = null;
  private lastTimestamp: SqlTimestamp | null = null;
  private tableColumns: readonly ColumnDefinition[] | null = null;
  private schemaCache: {
    key: string;
    schema: Schema;
    columns: { index: number; column: ColumnDefinition; schema: Schema }[];
  } | null = null;
  readonly partition: Record<string, string>;
  private readonly topic: string;

  constructor(
    private readonly config: JdbcSourceConfig,
    private readonly table: TableId | null,
    storedOffset: Readonly<Record<string, unknown>> | null,
  ) {
    this.partition = sourcePartition(table);
    this.topic = table === null ? config.topicPrefix : config.topicPrefix + table.table;
    const inc = storedOffset?.[INCREMENTING_FIELD];
    if (typeof inc === 'number' || typeof inc === 'bigint') this.lastIncrementing = inc;
    const ms = storedOffset?.[TIMESTAMP_FIELD];
    if (typeof ms === 'number') {
      const nanos = storedOffset?.[TIMESTAMP_NANOS_FIELD];
      this.lastTimestamp = typeof nanos === 'number' ? { ms, nanos } : timestampFromMs(ms);
    }
  }

  get name(): string {
    return this.table === null ? 'query' : tableFqn(this.table);
  }

  /** Records for the next poll: the rest of the last query's rows, else a new query's. */
  async poll(dialect: DatabaseDialect, now: number): Promise<SourceRecord[]> {
    if (this.pending.length === 0) {
      const { records, full } = await this.runQuery(dialect);
      this.pending = records;
      this.nextQueryAt = full ? now : now + this.config.pollIntervalMs;
    }
    return this.pending.splice(0, this.config.batchMaxRows);
  }

  /** Rows are still waiting to be handed out: poll again at once. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  private async runQuery(dialect: DatabaseDialect): Promise<{ records: SourceRecord[]; full: boolean }> {
    const mode = this.config.mode;
    const incColumn =
      mode === 'incrementing' || mode === 'timestamp+incrementing' ? await this.incrementingColumn(dialect) : null;
    const tsColumns = mode === 'timestamp' || mode === 'timestamp+incrementing' ? this.config.timestampColumns : [];
    const q = (name: string) => dialect.quoteIdentifier(name);
    const tsExpr = tsColumns.length === 1 ? q(tsColumns[0]!) : `COALESCE(${tsColumns.map(q).join(', ')})`;
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return dialect.placeholder(params.length);
    };
    let sql = this.table === null ? this.config.query : `SELECT * FROM ${dialect.tableName(this.table)}`;
    let limited = false;
    if (mode === 'incrementing') {
      sql += ` WHERE ${q(incColumn!)} > ${param(bindIncrementing(this.lastIncrementing))} ORDER BY ${q(incColumn!)} ASC`;
      sql += ` LIMIT ${param(this.config.batchMaxRows)}`;
      limited = true;
    } else if (mode === 'timestamp' || mode === 'timestamp+incrementing') {
      const begin = this.lastTimestamp ?? (await this.initialTimestamp(dialect));
      const now = await dialect.currentTime();
      const end = timestampFromMs(now.ms - this.config.timestampDelayMs);
      if (mode === 'timestamp') {
        sql += ` WHERE ${tsExpr} > ${param(dialect.bindTimestamp(begin))} AND ${tsExpr} < ${param(dialect.bindTimestamp(end))} ORDER BY ${tsExpr} ASC`;
      } else {
        const bound = dialect.bindTimestamp(begin);
        sql += ` WHERE ${tsExpr} < ${param(dialect.bindTimestamp(end))} AND ((${tsExpr} = ${param(bound)} AND ${q(incColumn!)} > ${param(bindIncrementing(this.lastIncrementing))}) OR ${tsExpr} > ${param(bound)}) ORDER BY ${tsExpr}, ${q(incColumn!)} ASC`;
        sql += ` LIMIT ${param(this.config.batchMaxRows)}`;
        limited = true;
      }
    }
    if (this.config.querySuffix !== '') sql += ` ${this.config.querySuffix}`;
    const result = await dialect.query(sql, params);
    const shape = await this.shape(dialect, result.columns);
    const incIndex = incColumn === null ? -1 : result.columns.findIndex((c) => c.name === incColumn);
    if (incColumn !== null && incIndex < 0) {
      throw new ConnectException(`Incrementing column ${incColumn} not found in ${this.name}`);
    }
    const tsIndexes = tsColumns.map((name) => {
      const index = result.columns.findIndex((c) => c.name === name);
      if (index < 0) throw new ConnectException(`Timestamp column ${name} not found in ${this.name}`);
      return index;
    });
    const records: SourceRecord[] = [];
    for (const row of result.rows) {
      const struct = new Struct(shape.schema);
      for (const { index, column, schema } of shape.columns) {
        struct.put(column.name, dialect.toConnectValue(column, schema, row[index]));
      }
      let offset: Record<string, unknown> | null = null;
      if (mode !== 'bulk') {
        offset = {};
        if (incIndex >= 0) {
          // Drivers give integers as number, bigint or (pg's int8) text.
          const raw = row[incIndex];
          if (raw === null || raw === undefined) {
            throw new ConnectException(`Null value in incrementing column ${incColumn} of ${this.name}`);
          }
          const value = BigInt(String(raw));
          this.lastIncrementing =
            value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER)
              ? Number(value)
              : value;
          offset[INCREMENTING_FIELD] = Number(value);
        }
        if (tsIndexes.length > 0) {
          const ts = tsIndexes.map((i) => dialect.toTimestamp(row[i])).find((t) => t !== null) ?? null;
          if (ts !== null && (this.lastTimestamp === null || compareTimestamps(ts, this.lastTimestamp) >= 0)) {
            this.lastTimestamp = ts;
          }
          if (this.lastTimestamp !== null) {
            offset[TIMESTAMP_FIELD] = this.lastTimestamp.ms;
            offset[TIMESTAMP_NANOS_FIELD] = this.lastTimestamp.nanos;
          }
        }
      }
      records.push({
        sourcePartition: this.partition,
        sourceOffset: offset,
        topic: this.topic,
        kafkaPartition: null,
        keySchema: null,
        key: null,
        valueSchema: shape.schema,
        value: struct,
      });
    }
    return { records, full: limited && result.rows.length >= this.config.batchMaxRows };
  }

  private async initialTimestamp(dialect: DatabaseDialect): Promise<SqlTimestamp> {
    const initial = this.config.timestampInitial;
    if (initial === null) return timestampFromMs(0);
    if (initial === -1) return dialect.currentTime();
    return timestampFromMs(initial);
  }

  private async incrementingColumn(dialect: DatabaseDialect): Promise<string> {
    if (this.config.incrementingColumn !== '') return this.config.incrementingColumn;
    const columns = await this.describe(dialect);
    const auto = columns.find((c) => c.autoIncrement);
    if (auto === undefined) {
      throw new ConnectException(
        `Cannot find a suitable incrementing column in ${this.name}: set incrementing.column.name`,
      );
    }
    return auto.name;
  }

  private async describe(dialect: DatabaseDialect): Promise<readonly ColumnDefinition[]> {
    if (this.tableColumns === null && this.table !== null) this.tableColumns = await dialect.describeTable(this.table);
    return this.tableColumns ?? [];
  }

  /**
   * The record schema for these result columns: a struct named after the table (unnamed in query
   * mode), one optional or required field per supported column; nullability from the table's
   * metadata. Rebuilt when the columns change (an ALTER TABLE between polls).
   */
  private async shape(dialect: DatabaseDialect, columns: readonly ColumnDefinition[]) {
    const key = columns.map((c) => `${c.name}:${c.typeName}:${c.precision}:${c.scale}`).join(',');
    if (this.schemaCache?.key === key) return this.schemaCache;
    this.tableColumns = null;
    const described = new Map((await this.describe(dialect)).map((c) => [c.name, c]));
    const builder = SchemaBuilder.struct();
    if (this.table !== null) builder.name(this.table.table);
    const mapped: { index: number; column: ColumnDefinition; schema: Schema }[] = [];
    columns.forEach((resultColumn, index) => {
      const known = described.get(resultColumn.name);
      const column = known === undefined ? resultColumn : { ...resultColumn, nullable: known.nullable };
      const schema = dialect.columnSchema(column, this.config.numericMapping);
      if (schema === null) return; // unsupported type: left out, as Confluent does (it logs a warning)
      builder.field(column.name, schema);
      mapped.push({ index, column, schema });
    });
    this.schemaCache = { key, schema: builder.build(), columns: mapped };
    return this.schemaCache;
  }
}

/** The last incrementing value as a parameter: -1 before the first row, as Confluent starts. */
function bindIncrementing(value: number | bigint | null): number | string {
  if (value === null) return -1;
  return typeof value === 'bigint' ? value.toString() : value;
}
