import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Schema } from '../../src/data/schema.js';
import type { SinkField } from '../../src/jdbc/fields-metadata.js';
import { type Statement, statementBatches } from '../../src/jdbc/statement-batches.js';
import { sinkRecord } from './sink-records.js';

const id: SinkField = { name: 'id', schema: Schema.INT64_SCHEMA, read: (r) => r.key };
const statement = (sql: string, options: Partial<Statement> = {}): Statement => ({
  sql,
  fields: [id],
  multiRow: (rows) => `${sql} x${rows}`,
  distinctKeys: null,
  ...options,
});
const record = (offset: number, key: number) => sinkRecord('t', offset, Schema.INT64_SCHEMA, key, null, null);
const shape = (batches: ReturnType<typeof statementBatches>) =>
  batches.map((b) => [b.statement.sql, b.records.map((r) => Number(r.kafkaOffset))]);

test('consecutive records of one statement share batches of at most batch.size; a new statement starts a batch', () => {
  const insertA = statement('INSERT a');
  const deleteA = statement('DELETE a', { multiRow: null });
  const entries = [
    { record: record(0, 1), statement: insertA },
    { record: record(1, 2), statement: insertA },
    { record: record(2, 3), statement: insertA },
    { record: record(3, 1), statement: deleteA },
    { record: record(4, 4), statement: insertA },
  ];
  assert.deepEqual(shape(statementBatches(entries, 2, 65_535)), [
    ['INSERT a', [0, 1]],
    ['INSERT a', [2]],
    ['DELETE a', [3]],
    ['INSERT a', [4]],
  ]);
});

test('a multi-row batch stops short of the parameter limit, and where an upsert key repeats', () => {
  const upsert = statement('UPSERT a', { distinctKeys: [id] });
  const keys = [1, 2, 1, 3, 4, 5];
  const entries = keys.map((key, offset) => ({ record: record(offset, key), statement: upsert }));
  assert.deepEqual(shape(statementBatches(entries, 10, 65_535)), [
    ['UPSERT a', [0, 1]],
    ['UPSERT a', [2, 3, 4, 5]],
  ]);
  // One parameter per row, at most 3 parameters per statement.
  assert.deepEqual(shape(statementBatches(entries, 10, 3)), [
    ['UPSERT a', [0, 1]],
    ['UPSERT a', [2, 3, 4]],
    ['UPSERT a', [5]],
  ]);
});
