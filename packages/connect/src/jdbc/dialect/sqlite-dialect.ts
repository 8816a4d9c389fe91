import Database from 'better-sqlite3';
import { BigDecimal } from '../../data/big-decimal.js';
import { DataException, LogicalTypes, type Schema, type SchemaBuilder, type SchemaType } from '../../data/schema.js';
import type { TableId } from '../table-id.js';
import {
  type ColumnDefinition,
  type DatabaseDialect,
  type NumericMapping,
  type QueryResult,
  quoteWith,
  valuesList,
} from './database-dialect.js';
import { numericSchema, numericValue, schemaOf } from './numeric-mapping.js';
import { parseSqlTimestamp, type SqlTimestamp, timestampFromMs } from './sql-timestamp.js';

const MS_PER_DAY = 86_400_000;

/**
 * SQLite through better-sqlite3 (synchronous; each call is short, the file is local). Types
 * follow SQLite's declared-type affinity rules. Timestamps, dates and times are stored as epoch
 * milliseconds (INTEGER values in NUMERIC columns), which is what Confluent's SQLite driver
 * writes by default, so timestamp-mode comparisons are numeric; ISO-8601 text in such a column
 * is read, but is not compared correctly by a timestamp-mode query.
 */
export class SqliteDialect implements DatabaseDialect {
  readonly name = 'SqliteDatabaseDialect';
  readonly multiRowValues = false;
  // SQLITE_MAX_VARIABLE_NUMBER's default since 3.32.
  readonly maxParameters = 32_766;
  private readonly db: Database.Database;
  /** Prepared statements by SQL: a sink batch runs one per row, prepared once. */
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(
    path: string,
    private readonly quoteIdentifiers: boolean,
  ) {
    this.db = new Database(path);
    // A reader in another process (a source on the file a sink writes) sees committed rows only.
    this.db.pragma('busy_timeout = 5000');
  }

  quoteIdentifier(name: string): string {
    return this.quoteIdentifiers ? quoteWith(name, '"') : name;
  }

  tableName(table: TableId): string {
    return table.schema === null
      ? this.quoteIdentifier(table.table)
      : `${this.quoteIdentifier(table.schema)}.${this.quoteIdentifier(table.table)}`;
  }

  placeholder(_index: number): string {
    return '?';
  }

  async tableIds(_schemaPattern: string | null): Promise<TableId[]> {
    const rows = this.db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
      )
      .all() as { name: string }[];
    return rows.map((r) => ({ schema: null, table: r.name }));
  }

  async describeTable(table: TableId): Promise<ColumnDefinition[]> {
    const rows = this.db.prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?)').all(table.table) as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[];
    const pkCount = rows.filter((r) => r.pk > 0).length;
    return rows.map((r) => {
      const { precision, scale } = declaredPrecision(r.type);
      return {
        name: r.name,
        typeName: r.type.toLowerCase(),
        nullable: r.notnull === 0 && r.pk === 0,
        precision,
        scale,
        // An INTEGER PRIMARY KEY is the rowid: SQLite assigns it, increasing.
        autoIncrement: pkCount === 1 && r.pk === 1 && r.type.toUpperCase() === 'INTEGER',
        primaryKey: r.pk > 0,
      };
    });
  }

  async query(sql: string, params: readonly unknown[]): Promise<QueryResult> {
    const statement = this.db.prepare(sql);
    statement.safeIntegers(true);
    const columns = statement.columns().map((c): ColumnDefinition => {
      const type = c.type ?? '';
      const { precision, scale } = declaredPrecision(type);
      return {
        name: c.name,
        typeName: type.toLowerCase(),
        nullable: true,
        precision,
        scale,
        autoIncrement: false,
        primaryKey: false,
      };
    });
    const rows = statement.raw(true).all(...params) as unknown[][];
    return { columns, rows };
  }

  async execute(sql: string, params: readonly unknown[]): Promise<number> {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      // A handful of statements per table and mode; a bound keeps a long-lived task's map small.
      if (this.prepared.size >= 64) this.prepared.clear();
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement.run(...params).changes;
  }

  async begin(): Promise<void> {
    this.db.exec('BEGIN IMMEDIATE');
  }

  async commit(): Promise<void> {
    this.db.exec('COMMIT');
  }

  async rollback(): Promise<void> {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  isConnectionError(_error: unknown): boolean {
    return false; // a file, not a connection
  }

  async currentTime(): Promise<SqlTimestamp> {
    return timestampFromMs(Date.now());
  }

  columnSchema(column: ColumnDefinition, numericMapping: NumericMapping): Schema | null {
    const type = connectType(column);
    if (type === 'NUMERIC') return numericSchema(column.precision, column.scale, numericMapping, column.nullable);
    if (typeof type !== 'string') {
      const builder = type();
      if (column.nullable) builder.optional();
      return builder.build();
    }
    return schemaOf(type, column.nullable);
  }

  toConnectValue(_column: ColumnDefinition, schema: Schema, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    switch (schema.name) {
      case LogicalTypes.TIMESTAMP: {
        const ts = this.toTimestamp(value);
        return ts === null ? null : new Date(ts.ms);
      }
      case LogicalTypes.DATE:
        if (typeof value === 'string') return new Date(`${value.slice(0, 10)}T00:00:00Z`);
        return new Date(Math.floor(Number(value) / MS_PER_DAY) * MS_PER_DAY);
      case LogicalTypes.TIME:
        if (typeof value === 'string') return new Date(`1970-01-01T${value}Z`);
        return new Date(((Number(value) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);
      case LogicalTypes.DECIMAL:
        // NUMERIC affinity stores a number as INTEGER or REAL; TEXT only when it is not a number.
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint')
          return numericValue(schema, value);
        return numericValue(schema, String(value));
    }
    switch (schema.type) {
      case 'INT8':
      case 'INT16':
      case 'INT32':
        return Number(value);
      case 'INT64':
        return numericValue(schema, String(value));
      case 'FLOAT32':
      case 'FLOAT64':
        return Number(value);
      case 'BOOLEAN':
        return typeof value === 'string' ? value === '1' || value.toLowerCase() === 'true' : Number(value) !== 0;
      case 'BYTES':
        return Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
      default:
        return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
    }
  }

  toTimestamp(value: unknown): SqlTimestamp | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'bigint' || typeof value === 'number') return timestampFromMs(Number(value));
    return parseSqlTimestamp(String(value));
  }

  bindTimestamp(ts: SqlTimestamp): unknown {
    return ts.ms;
  }

  sqlType(schema: Schema): string {
    switch (schema.name) {
      case LogicalTypes.DECIMAL:
      case LogicalTypes.TIMESTAMP:
      case LogicalTypes.DATE:
      case LogicalTypes.TIME:
        return 'NUMERIC';
    }
    switch (schema.type) {
      case 'INT8':
      case 'INT16':
      case 'INT32':
      case 'INT64':
      case 'BOOLEAN':
        return 'INTEGER';
      case 'FLOAT32':
      case 'FLOAT64':
        return 'REAL';
      case 'STRING':
        return 'TEXT';
      case 'BYTES':
        return 'BLOB';
      default:
        throw new DataException(`${this.name} does not support the type ${schema.type}`);
    }
  }

  bindValue(schema: Schema, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value.getTime();
    if (typeof value === 'boolean') return value ? 1 : 0;
    // As text, as Confluent's SQLite driver binds a BigDecimal. The NUMERIC column's affinity
    // stores it as INTEGER, or as REAL (about 15 significant digits): SQLite has no exact decimal.
    if (value instanceof BigDecimal) return value.toPlainString();
    if (value instanceof Uint8Array) return Buffer.from(value);
    if (typeof value === 'object') throw new DataException(`${this.name} cannot bind a ${schema.type} value`);
    return value;
  }

  upsertStatement(table: TableId, keyColumns: readonly string[], nonKeyColumns: readonly string[], rows = 1): string {
    const all = [...keyColumns, ...nonKeyColumns];
    const insert = `INSERT INTO ${this.tableName(table)} (${all.map((c) => this.quoteIdentifier(c)).join(', ')}) VALUES ${valuesList(this, rows, all.length)}`;
    const conflict = `ON CONFLICT (${keyColumns.map((c) => this.quoteIdentifier(c)).join(', ')})`;
    if (nonKeyColumns.length === 0) return `${insert} ${conflict} DO NOTHING`;
    const set = nonKeyColumns.map((c) => `${this.quoteIdentifier(c)} = excluded.${this.quoteIdentifier(c)}`).join(', ');
    return `${insert} ${conflict} DO UPDATE SET ${set}`;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function declaredPrecision(type: string): { precision: number | null; scale: number | null } {
  const m = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(type);
  if (m === null) return { precision: null, scale: null };
  return { precision: Number(m[1]), scale: m[2] === undefined ? 0 : Number(m[2]) };
}

/**
 * SQLite's affinity rules on the declared type, refined for the types Connect distinguishes;
 * 'NUMERIC' for a NUMERIC/DECIMAL column, whose schema depends on `numeric.mapping`.
 */
function connectType(column: ColumnDefinition): SchemaType | 'NUMERIC' | (() => SchemaBuilder) {
  const type = column.typeName.toUpperCase().replace(/\(.*$/, '').trim();
  if (type === 'BOOLEAN' || type === 'BOOL') return 'BOOLEAN';
  if (type === 'DATETIME' || type.startsWith('TIMESTAMP')) return LogicalTypes.timestamp;
  if (type === 'DATE') return LogicalTypes.date;
  if (type === 'TIME') return LogicalTypes.time;
  if (type === 'TINYINT') return 'INT8';
  if (type === 'SMALLINT' || type === 'INT2') return 'INT16';
  // SQLite integers are 64-bit whatever the declaration says.
  if (type.includes('INT')) return 'INT64';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'STRING';
  if (type.includes('BLOB') || type === '') return type === '' ? 'STRING' : 'BYTES';
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return 'FLOAT64';
  if (type === 'NUMERIC' || type === 'DECIMAL') return 'NUMERIC';
  return 'STRING';
}
