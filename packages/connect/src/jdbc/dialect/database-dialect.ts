import type { Schema } from '../../data/schema.js';
import type { TableId } from '../table-id.js';
import type { SqlTimestamp } from './sql-timestamp.js';

/** A column as the database describes it, for building a record schema or comparing with one. */
export interface ColumnDefinition {
  readonly name: string;
  /** The database's type name, lower case (`int4`, `timestamptz`, SQLite's declared type); '' if none. */
  readonly typeName: string;
  readonly nullable: boolean;
  /** NUMERIC/DECIMAL precision and scale when declared, else null. */
  readonly precision: number | null;
  readonly scale: number | null;
  /** An identity/serial column, or SQLite's rowid alias: the default incrementing column. */
  readonly autoIncrement: boolean;
  readonly primaryKey: boolean;
}

/** Rows as arrays of driver values, in `columns` order. */
export interface QueryResult {
  readonly columns: readonly ColumnDefinition[];
  readonly rows: readonly (readonly unknown[])[];
}

/** Confluent's `numeric.mapping`: how NUMERIC/DECIMAL columns become Connect types. */
export type NumericMapping = 'none' | 'precision_only' | 'best_fit' | 'best_fit_eager_double';

/**
 * Everything that differs between databases, in one place per database: identifier quoting,
 * parameter placeholders, how tables and columns are listed, how driver values map to Connect
 * values and back, the column types of CREATE/ALTER TABLE and the upsert statement. A dialect
 * owns one connection; it is used by one task at a time (never concurrently), so statements
 * between `begin` and `commit` form one transaction.
 */
export interface DatabaseDialect {
  /** Confluent's dialect name (`PostgreSqlDatabaseDialect`, `SqliteDatabaseDialect`). */
  readonly name: string;
  /** `"a""b"` for `a"b`; with quoting off (`quote.sql.identifiers=never`) the name unchanged. */
  quoteIdentifier(name: string): string;
  /** The table as it appears in SQL, each part quoted. */
  tableName(table: TableId): string;
  /** The placeholder of the `index`-th parameter (from 1): `$1` or `?`. */
  placeholder(index: number): string;
  /**
   * Whether the sink sends up to `batch.size` rows as one multi-row `INSERT … VALUES (…), (…)`
   * (PostgreSQL: one round trip instead of one per row), or runs one reused prepared statement
   * per row (SQLite: in-process calls cost nothing, one statement stays prepared).
   */
  readonly multiRowValues: boolean;
  /** The most parameters one statement may bind (PostgreSQL's protocol counts them in 16 bits). */
  readonly maxParameters: number;

  tableIds(schemaPattern: string | null): Promise<TableId[]>;
  /** The table's columns in order; empty when it does not exist. */
  describeTable(table: TableId): Promise<ColumnDefinition[]>;
  query(sql: string, params: readonly unknown[]): Promise<QueryResult>;
  execute(sql: string, params: readonly unknown[]): Promise<number>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /**
   * The error is the connection's, not the statement's: the next use of the dialect opens a new
   * connection, so the operation can be retried.
   */
  isConnectionError(error: unknown): boolean;
  /** The database's clock (timestamp mode's upper bound is read from it, as Confluent does). */
  currentTime(): Promise<SqlTimestamp>;

  /** The Connect schema for a column, or null when the type is not supported (the column is left out). */
  columnSchema(column: ColumnDefinition, numericMapping: NumericMapping): Schema | null;
  /** A driver value of `column` to the Connect value for `schema`. */
  toConnectValue(column: ColumnDefinition, schema: Schema, value: unknown): unknown;
  /** A driver value of a timestamp column, with its full precision. */
  toTimestamp(value: unknown): SqlTimestamp | null;
  /** A timestamp to bind as a query parameter against a timestamp column. */
  bindTimestamp(ts: SqlTimestamp): unknown;

  /** The column type CREATE/ALTER TABLE uses for a field of this schema. */
  sqlType(schema: Schema): string;
  /** A Connect value to bind as a parameter for a column made from `schema`. */
  bindValue(schema: Schema, value: unknown): unknown;
  /** INSERT … of `rows` rows that updates the non-key columns when a row with the same key exists. */
  upsertStatement(
    table: TableId,
    keyColumns: readonly string[],
    nonKeyColumns: readonly string[],
    rows?: number,
  ): string;

  close(): Promise<void>;
}

/** `$1, $2…` or `?, ?…` for `count` parameters starting at `first`. */
export function placeholders(dialect: DatabaseDialect, count: number, first = 1): string {
  return Array.from({ length: count }, (_, i) => dialect.placeholder(first + i)).join(', ');
}

/** `($1, $2), ($3, $4)` (or with `?`): the VALUES list of `rows` rows of `columns` parameters each. */
export function valuesList(dialect: DatabaseDialect, rows: number, columns: number): string {
  return Array.from({ length: rows }, (_, row) => `(${placeholders(dialect, columns, row * columns + 1)})`).join(', ');
}

/** Doubles embedded quotes, the SQL standard's escaping for a delimited identifier. */
export function quoteWith(name: string, quote: '"' | '`'): string {
  return `${quote}${name.split(quote).join(quote + quote)}${quote}`;
}
