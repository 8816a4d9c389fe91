import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numericSchemaType, numericValue } from '../../src/jdbc/dialect/numeric-mapping.js';

test("numeric.mapping chooses Confluent's types, STRING where Confluent has Decimal", () => {
  assert.equal(numericSchemaType(10, 2, 'none'), 'STRING');
  assert.equal(numericSchemaType(2, 0, 'precision_only'), 'INT8');
  assert.equal(numericSchemaType(4, 0, 'precision_only'), 'INT16');
  assert.equal(numericSchemaType(9, 0, 'precision_only'), 'INT32');
  assert.equal(numericSchemaType(18, 0, 'precision_only'), 'INT64');
  assert.equal(numericSchemaType(19, 0, 'precision_only'), 'STRING');
  assert.equal(numericSchemaType(10, 2, 'precision_only'), 'STRING');
  assert.equal(numericSchemaType(10, 2, 'best_fit'), 'FLOAT64');
  assert.equal(numericSchemaType(20, 2, 'best_fit'), 'STRING');
  assert.equal(numericSchemaType(20, 2, 'best_fit_eager_double'), 'FLOAT64');
  assert.equal(numericSchemaType(null, null, 'best_fit'), 'STRING');
});

test('values: exact text, safe integers as numbers, larger ones as bigint', () => {
  assert.equal(numericValue('STRING', '3.14159265358979323846'), '3.14159265358979323846');
  assert.equal(numericValue('INT32', '42'), 42);
  assert.equal(numericValue('INT64', '9007199254740991'), 9007199254740991);
  assert.equal(numericValue('INT64', '9007199254740993'), 9007199254740993n);
  assert.equal(numericValue('FLOAT64', '6.25'), 6.25);
});
