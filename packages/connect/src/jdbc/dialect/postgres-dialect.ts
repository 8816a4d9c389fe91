import pg from 'pg';
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
import { isConnectionLoss, PostgresConnection, type PostgresConnectionOptions } from './postgres-connection.js';
import { formatSqlTimestamp, parseSqlTimestamp, type SqlTimestamp } from './sql-timestamp.js';

/** OIDs pg parses itself (booleans, bytea, 2- and 4-byte ints, floats); every other value stays text. */
const PARSED_OIDS = new Set([16, 17, 21, 23, 700, 701]);
const rawText = (text: string): string => text;

/**
 * PostgreSQL through node-postgres, one connection per task, reopened when lost (see
 * postgres-connection.ts). The session runs in UTC (`TimeZone`), so `timestamp` and
 * `timestamptz` are both read and bound as UTC. Values pg would turn into
 * lossy JS types (int8, numeric, timestamps with microseconds, json) are read as text and
 * converted here, by the Connect type of their column.
 */
export class PostgresDialect implements DatabaseDialect {
  readonly name = 'PostgreSqlDatabaseDialect';
  readonly multiRowValues = true;
  readonly maxParameters = 65_535;
  private readonly connection: PostgresConnection;
  private readonly typeNames = new Map<number, string>();

  constructor(private readonly options: PostgresConnectionOptions) {
    this.connection = new PostgresConnection(options, (oid, format) =>
      PARSED_OIDS.has(oid) ? pg.types.getTypeParser(oid, format) : rawText,
    );
  }

  isConnectionError(error: unknown): boolean {
    return isConnectionLoss(error);
  }

  quoteIdentifier(name: string): string {
    return this.options.quoteIdentifiers ? quoteWith(name, '"') : name;
  }

  tableName(table: TableId): string {
    return table.schema === null
      ? this.quoteIdentifier(table.table)
      : `${this.quoteIdentifier(table.schema)}.${this.quoteIdentifier(table.table)}`;
  }

  placeholder(index: number): string {
    return `$${index}`;
  }

  async tableIds(schemaPattern: string | null): Promise<TableId[]> {
    const client = await this.connection.session();
    const result = await client.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
          AND ($1::text IS NULL OR table_schema LIKE $1)
        ORDER BY table_schema, table_name`,
      [schemaPattern],
    );
    return result.rows.map((r) => ({ schema: r.table_schema, table: r.table_name }));
  }

  async describeTable(table: TableId): Promise<ColumnDefinition[]> {
    const client = await this.connection.session();
    const result = await client.query<{
      column_name: string;
      udt_name: string;
      is_nullable: string;
      numeric_precision: number | null;
      numeric_scale: number | null;
      column_default: string | null;
      is_identity: string;
      pk: boolean;
    }>(
      `SELECT c.column_name, c.udt_name, c.is_nullable, c.numeric_precision::int, c.numeric_scale::int,
              c.column_default, c.is_identity,
              EXISTS (SELECT 1 FROM information_schema.table_constraints t
                        JOIN information_schema.key_column_usage k
                          ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema
                       WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = c.table_schema
                         AND t.table_name = c.table_name AND k.column_name = c.column_name) AS pk
         FROM information_schema.columns c
        WHERE c.table_schema = COALESCE($1, current_schema()) AND c.table_name = $2
        ORDER BY c.ordinal_position`,
      [table.schema, table.table],
    );
    return result.rows.map((r) => ({
      name: r.column_name,
      typeName: r.udt_name,
      nullable: r.is_nullable === 'YES',
      precision: r.udt_name === 'numeric' ? r.numeric_precision : null,
      scale: r.udt_name === 'numeric' ? r.numeric_scale : null,
      autoIncrement: r.is_identity === 'YES' || (r.column_default ?? '').startsWith('nextval('),
      primaryKey: r.pk,
    }));
  }

  async query(sql: string, params: readonly unknown[]): Promise<QueryResult> {
    const client = await this.connection.session();
    const result = await client.query({ text: sql, values: [...params], rowMode: 'array' });
    await this.learnTypeNames(result.fields.map((f) => f.dataTypeID));
    const columns = result.fields.map((f): ColumnDefinition => {
      const typeName = this.typeNames.get(f.dataTypeID) ?? '';
      // numeric's typmod packs (precision << 16 | scale) + 4; -1 when unconstrained.
      const constrained = typeName === 'numeric' && f.dataTypeModifier >= 4;
      return {
        name: f.name,
        typeName,
        nullable: true,
        precision: constrained ? ((f.dataTypeModifier - 4) >> 16) & 0xffff : null,
        scale: constrained ? (f.dataTypeModifier - 4) & 0xffff : null,
        autoIncrement: false,
        primaryKey: false,
      };
    });
    return { columns, rows: result.rows as unknown[][] };
  }

  private async learnTypeNames(oids: readonly number[]): Promise<void> {
    const unknown = [...new Set(oids)].filter((oid) => !this.typeNames.has(oid));
    if (unknown.length === 0) return;
    const result = await (await this.connection.session()).query<{ oid: number; typname: string }>(
      'SELECT oid::int AS oid, typname FROM pg_type WHERE oid = ANY($1::oid[])',
      [unknown],
    );
    for (const row of result.rows) this.typeNames.set(row.oid, row.typname);
  }

  async execute(sql: string, params: readonly unknown[]): Promise<number> {
    const client = await this.connection.session();
    const result = await client.query(sql, [...params]);
    return result.rowCount ?? 0;
  }

  begin(): Promise<void> {
    return this.connection.begin();
  }

  commit(): Promise<void> {
    return this.connection.commit();
  }

  rollback(): Promise<void> {
    return this.connection.rollback();
  }

  async currentTime(): Promise<SqlTimestamp> {
    const client = await this.connection.session();
    const result = await client.query<{ now: string }>('SELECT CURRENT_TIMESTAMP AS now');
    return parseSqlTimestamp(result.rows[0]!.now)!;
  }

  columnSchema(column: ColumnDefinition, numericMapping: NumericMapping): Schema | null {
    if (column.typeName === 'numeric')
      return numericSchema(column.precision, column.scale, numericMapping, column.nullable);
    const type = connectType(column);
    if (type === null) return null;
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
        return new Date(`${String(value).slice(0, 10)}T00:00:00Z`);
      case LogicalTypes.TIME:
        return new Date(`1970-01-01T${String(value).slice(0, 12)}Z`);
    }
    // int8 and numeric arrive as text (see PARSED_OIDS): a Decimal is parsed from it exactly.
    if (typeof value === 'string') return numericValue(schema, value);
    return value;
  }

  toTimestamp(value: unknown): SqlTimestamp | null {
    if (value === null || value === undefined) return null;
    return parseSqlTimestamp(String(value));
  }

  bindTimestamp(ts: SqlTimestamp): unknown {
    return formatSqlTimestamp(ts);
  }

  sqlType(schema: Schema): string {
    switch (schema.name) {
      case LogicalTypes.DECIMAL:
        // Unconstrained, as Confluent: any scale a later record's schema has fits.
        return 'DECIMAL';
      case LogicalTypes.TIMESTAMP:
        return 'TIMESTAMP';
      case LogicalTypes.DATE:
        return 'DATE';
      case LogicalTypes.TIME:
        return 'TIME';
    }
    switch (schema.type) {
      case 'INT8':
      case 'INT16':
        return 'SMALLINT';
      case 'INT32':
        return 'INT';
      case 'INT64':
        return 'BIGINT';
      case 'FLOAT32':
        return 'REAL';
      case 'FLOAT64':
        return 'DOUBLE PRECISION';
      case 'BOOLEAN':
        return 'BOOLEAN';
      case 'STRING':
        return 'TEXT';
      case 'BYTES':
        return 'BYTEA';
      default:
        throw new DataException(`${this.name} does not support the type ${schema.type}`);
    }
  }

  bindValue(schema: Schema, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) {
      const iso = value.toISOString();
      if (schema.name === LogicalTypes.DATE) return iso.slice(0, 10);
      if (schema.name === LogicalTypes.TIME) return iso.slice(11, 23);
      return iso.slice(0, 23).replace('T', ' ');
    }
    if (typeof value === 'bigint') return value.toString();
    // The exact digits as text: PostgreSQL parses them into the numeric column without a float.
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
    const set = nonKeyColumns.map((c) => `${this.quoteIdentifier(c)} = EXCLUDED.${this.quoteIdentifier(c)}`).join(', ');
    return `${insert} ${conflict} DO UPDATE SET ${set}`;
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

/** The Connect type of a column other than `numeric` (see numeric-mapping.ts). */
function connectType(column: ColumnDefinition): SchemaType | (() => SchemaBuilder) | null {
  switch (column.typeName) {
    case 'int2':
      return 'INT16';
    case 'int4':
      return 'INT32';
    case 'int8':
    case 'oid':
      return 'INT64';
    case 'float4':
      return 'FLOAT32';
    case 'float8':
      return 'FLOAT64';
    case 'bool':
      return 'BOOLEAN';
    case 'bytea':
      return 'BYTES';
    case 'date':
      return LogicalTypes.date;
    case 'time':
      return LogicalTypes.time;
    case 'timestamp':
    case 'timestamptz':
      return LogicalTypes.timestamp;
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'char':
    case 'name':
    case 'uuid':
    case 'json':
    case 'jsonb':
    case 'xml':
    case 'citext':
    case 'inet':
    case 'cidr':
    case 'macaddr':
    case 'interval':
    case 'money':
    case 'timetz':
      return 'STRING';
    default:
      // Arrays (`_int4`…), geometric and user-defined types: Confluent leaves such columns out too.
      return null;
  }
}
