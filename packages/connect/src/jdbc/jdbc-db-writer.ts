import type { SinkRecord } from '../connector/connect-record.js';
import { Struct } from '../data/schema.js';
import { ConnectException } from './connect-exception.js';
import type { ColumnDefinition, DatabaseDialect } from './dialect/database-dialect.js';
import { valuesList } from './dialect/database-dialect.js';
import { extractFields, type FieldsMetadata } from './fields-metadata.js';
import { type JdbcSinkConfig, TOPIC_PLACEHOLDER } from './jdbc-sink-config.js';
import { type Statement, type StatementBatch, statementBatches } from './statement-batches.js';
import { parseTableId, type TableId, tableFqn } from './table-id.js';

/**
 * Writes one `put()` batch in one transaction: every record's INSERT/UPSERT/UPDATE (or DELETE
 * for a tombstone when `delete.enabled`), in record order and in batches of `batch.size` rows
 * (see statement-batches.ts), then COMMIT. Before the transaction,
 * each destination table is created or altered as `auto.create`/`auto.evolve` allow (DDL runs
 * on its own, as Confluent's DbStructure does). `put` returns only after the commit, so the
 * worker commits Kafka offsets only for rows that are in the database.
 */
export class JdbcDbWriter {
  /** Known columns per table (fqn), from the database; forgotten when a write fails. */
  private readonly tableColumns = new Map<string, ColumnDefinition[]>();

  constructor(
    private readonly config: JdbcSinkConfig,
    private readonly dialect: DatabaseDialect,
    private readonly connectorName: string,
  ) {}

  async write(records: readonly SinkRecord[]): Promise<void> {
    const planned = records.map((record) => {
      this.validate(record);
      const table = this.destinationTable(record.topic);
      return { record, table, fields: extractFields(this.config, tableFqn(table), record) };
    });
    for (const { record, table, fields } of planned) {
      if (record.value !== null) await this.ensureTable(table, fields);
    }
    const statements: { record: SinkRecord; statement: Statement }[] = [];
    for (const { record, table, fields } of planned) {
      const statement = this.statement(table, fields, record.value === null);
      if (statement !== null) statements.push({ record, statement });
    }
    const batches = statementBatches(statements, this.config.batchSize, this.dialect.maxParameters);
    await this.dialect.begin();
    try {
      for (const batch of batches) await this.execute(batch);
      await this.dialect.commit();
    } catch (error) {
      await this.dialect.rollback().catch(() => {});
      this.tableColumns.clear();
      throw error;
    }
  }

  private async execute({ statement, records }: StatementBatch): Promise<void> {
    const bind = (record: SinkRecord) => statement.fields.map((f) => this.dialect.bindValue(f.schema, f.read(record)));
    if (statement.multiRow !== null && records.length > 1) {
      await this.dialect.execute(statement.multiRow(records.length), records.flatMap(bind));
      return;
    }
    for (const record of records) await this.dialect.execute(statement.sql, bind(record));
  }

  private validate(record: SinkRecord): void {
    if (record.value === null && this.config.deleteEnabled) return;
    const schema = record.valueSchema;
    if (schema !== null && schema.type === 'STRUCT' && record.value instanceof Struct) return;
    const valueType =
      record.value === null ? 'null' : record.value instanceof Struct ? 'Struct' : describe(record.value);
    throw new ConnectException(
      `Sink connector '${this.connectorName}' is configured with 'delete.enabled=${this.config.deleteEnabled}' and 'pk.mode=${this.config.pkMode}' and therefore requires records with a non-null Struct value and non-null Struct schema, but found record at (topic='${record.topic}',partition=${record.kafkaPartition},offset=${record.kafkaOffset},timestamp=${record.timestamp}) with a ${valueType} value and ${schema === null ? 'null' : `Schema{${schema.type}}`} value schema.`,
    );
  }

  private destinationTable(topic: string): TableId {
    const name = this.config.tableNameFormat.replaceAll(TOPIC_PLACEHOLDER, topic);
    return parseTableId(name);
  }

  /** Creates the table or adds missing columns, as `auto.create`/`auto.evolve` allow. */
  private async ensureTable(table: TableId, fields: FieldsMetadata): Promise<void> {
    const fqn = tableFqn(table);
    let columns = this.tableColumns.get(fqn);
    if (columns === undefined) {
      columns = await this.dialect.describeTable(table);
      if (columns.length === 0) {
        if (!this.config.autoCreate) {
          throw new ConnectException(`Table ${this.dialect.tableName(table)} is missing and auto-creation is disabled`);
        }
        await this.dialect.execute(this.createTable(table, fields), []);
        columns = await this.dialect.describeTable(table);
      }
      this.tableColumns.set(fqn, columns);
    }
    const have = new Set(columns.map((c) => c.name.toLowerCase()));
    const missing = [...fields.keyFields, ...fields.nonKeyFields].filter((f) => !have.has(f.name.toLowerCase()));
    if (missing.length === 0) return;
    if (!this.config.autoEvolve) {
      throw new ConnectException(
        `Table ${this.dialect.tableName(table)} is missing fields (${missing.map((f) => f.name).join(', ')}) and auto-evolution is disabled`,
      );
    }
    for (const field of missing) {
      if (!field.schema.optional && field.schema.defaultValue === null) {
        throw new ConnectException(
          `Cannot ALTER TABLE ${this.dialect.tableName(table)} to add missing field ${field.name}, as the field is not optional and does not have a default value`,
        );
      }
    }
    // One column per statement: SQLite's ALTER TABLE adds a single column.
    for (const field of missing) {
      await this.dialect.execute(
        `ALTER TABLE ${this.dialect.tableName(table)} ADD COLUMN ${this.dialect.quoteIdentifier(field.name)} ${this.dialect.sqlType(field.schema)} NULL`,
        [],
      );
    }
    this.tableColumns.set(fqn, await this.dialect.describeTable(table));
  }

  private createTable(table: TableId, fields: FieldsMetadata): string {
    const q = (name: string) => this.dialect.quoteIdentifier(name);
    const definitions = [
      ...fields.keyFields.map((f) => `${q(f.name)} ${this.dialect.sqlType(f.schema)} NOT NULL`),
      ...fields.nonKeyFields.map(
        (f) => `${q(f.name)} ${this.dialect.sqlType(f.schema)} ${f.schema.optional ? 'NULL' : 'NOT NULL'}`,
      ),
    ];
    if (fields.keyFields.length > 0)
      definitions.push(`PRIMARY KEY(${fields.keyFields.map((f) => q(f.name)).join(', ')})`);
    return `CREATE TABLE ${this.dialect.tableName(table)} (\n${definitions.join(',\n')})`;
  }

  private statement(table: TableId, fields: FieldsMetadata, tombstone: boolean): Statement | null {
    const d = this.dialect;
    const q = (name: string) => d.quoteIdentifier(name);
    const name = d.tableName(table);
    const keys = fields.keyFields;
    const nonKeys = fields.nonKeyFields;
    const where = (first: number) => keys.map((f, i) => `${q(f.name)} = ${d.placeholder(first + i)}`).join(' AND ');
    if (tombstone) {
      return { sql: `DELETE FROM ${name} WHERE ${where(1)}`, fields: keys, multiRow: null, distinctKeys: null };
    }
    switch (this.config.insertMode) {
      case 'insert': {
        const all = [...keys, ...nonKeys];
        const insert = (rows: number) =>
          `INSERT INTO ${name}(${all.map((f) => q(f.name)).join(',')}) VALUES${valuesList(d, rows, all.length)}`;
        return { sql: insert(1), fields: all, multiRow: d.multiRowValues ? insert : null, distinctKeys: null };
      }
      case 'upsert': {
        if (keys.length === 0) {
          throw new ConnectException(
            `Write to table '${tableFqn(table)}' in UPSERT mode requires key field names to be known, check the primary key configuration`,
          );
        }
        const upsert = (rows: number) =>
          d.upsertStatement(
            table,
            keys.map((f) => f.name),
            nonKeys.map((f) => f.name),
            rows,
          );
        return {
          sql: upsert(1),
          fields: [...keys, ...nonKeys],
          multiRow: d.multiRowValues ? upsert : null,
          distinctKeys: keys,
        };
      }
      case 'update': {
        if (keys.length === 0) {
          throw new ConnectException(
            `Write to table '${tableFqn(table)}' in UPDATE mode requires key field names to be known, check the primary key configuration`,
          );
        }
        if (nonKeys.length === 0) return null; // nothing but the key: no column to update
        const set = nonKeys.map((f, i) => `${q(f.name)} = ${d.placeholder(i + 1)}`).join(', ');
        return {
          sql: `UPDATE ${name} SET ${set} WHERE ${where(nonKeys.length + 1)}`,
          fields: [...nonKeys, ...keys],
          multiRow: null,
          distinctKeys: null,
        };
      }
    }
  }
}

function describe(value: unknown): string {
  if (value instanceof Map) return 'HashMap';
  if (Array.isArray(value)) return 'ArrayList';
  if (typeof value === 'object' && value !== null) return 'HashMap';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Long' : 'Double';
  if (typeof value === 'boolean') return 'Boolean';
  return typeof value;
}
