import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BigDecimal } from '../../src/data/big-decimal.js';
import { Decimal } from '../../src/data/decimal.js';
import {
  numericSchema,
  numericSchemaType,
  numericValue,
  rescaleHalfUp,
} from '../../src/jdbc/dialect/numeric-mapping.js';

test("numeric.mapping chooses Confluent's types, falling through to Decimal where Confluent does", () => {
  assert.equal(numericSchemaType(10, 2, 'none'), 'DECIMAL');
  assert.equal(numericSchemaType(10, 0, 'none'), 'DECIMAL');
  assert.equal(numericSchemaType(2, 0, 'precision_only'), 'INT8');
  assert.equal(numericSchemaType(4, 0, 'precision_only'), 'INT16');
  assert.equal(numericSchemaType(9, 0, 'precision_only'), 'INT32');
  assert.equal(numericSchemaType(18, 0, 'precision_only'), 'INT64');
  assert.equal(numericSchemaType(19, 0, 'precision_only'), 'DECIMAL');
  assert.equal(numericSchemaType(10, 2, 'precision_only'), 'DECIMAL');
  assert.equal(numericSchemaType(10, 2, 'best_fit'), 'FLOAT64');
  assert.equal(numericSchemaType(18, 2, 'best_fit'), 'FLOAT64');
  assert.equal(numericSchemaType(20, 2, 'best_fit'), 'DECIMAL');
  assert.equal(numericSchemaType(20, 0, 'best_fit'), 'DECIMAL');
  assert.equal(numericSchemaType(20, 2, 'best_fit_eager_double'), 'FLOAT64');
  assert.equal(numericSchemaType(20, 0, 'best_fit_eager_double'), 'DECIMAL');
  assert.equal(numericSchemaType(null, null, 'best_fit'), 'DECIMAL');
});

test('a Decimal schema has the column scale and Confluent precision parameter; unconstrained NUMERIC has scale 127', () => {
  const schema = numericSchema(12, 2, 'none', true);
  assert.equal(schema.name, Decimal.LOGICAL_NAME);
  assert.equal(schema.type, 'BYTES');
  assert.equal(schema.optional, true);
  assert.deepEqual(schema.parameters, { scale: '2', 'connect.decimal.precision': '12' });
  assert.deepEqual(numericSchema(null, null, 'none', false).parameters, {
    scale: '127',
    'connect.decimal.precision': '0',
  });
  assert.equal(numericSchema(9, 0, 'precision_only', false).type, 'INT32');
});

test('NUMERIC values: Decimals parsed exactly from the driver text, never through a float', () => {
  const decimal = numericSchema(12, 2, 'none', false);
  assert.ok((numericValue(decimal, '12345678901.23') as BigDecimal).equals(new BigDecimal(1234567890123n, 2)));
  assert.ok((numericValue(decimal, '-0.05') as BigDecimal).equals(new BigDecimal(-5n, 2)));
  assert.ok((numericValue(decimal, 7n) as BigDecimal).equals(new BigDecimal(700n, 2)));
  assert.ok((numericValue(decimal, 0.1) as BigDecimal).equals(new BigDecimal(10n, 2)));
  const wide = numericSchema(null, null, 'none', false);
  const pi = numericValue(wide, '3.14159265358979323846264338327950288') as BigDecimal;
  assert.equal(pi.scale, 127);
  assert.ok(pi.toPlainString().startsWith('3.14159265358979323846264338327950288000'));
  const int = (precision: number) => numericSchema(precision, 0, 'precision_only', false);
  assert.equal(numericValue(int(9), '42'), 42);
  assert.equal(numericValue(int(18), '9007199254740991'), 9007199254740991);
  assert.equal(numericValue(int(18), '9007199254740993'), 9007199254740993n);
  assert.equal(numericValue(numericSchema(10, 2, 'best_fit', false), '6.25'), 6.25);
});

test('rescaleHalfUp pads, and rounds half away from zero as JDBC getBigDecimal(column, scale)', () => {
  assert.equal(rescaleHalfUp(BigDecimal.parse('1.5'), 3).toPlainString(), '1.500');
  assert.equal(rescaleHalfUp(BigDecimal.parse('1.005'), 2).toPlainString(), '1.01');
  assert.equal(rescaleHalfUp(BigDecimal.parse('-1.005'), 2).toPlainString(), '-1.01');
  assert.equal(rescaleHalfUp(BigDecimal.parse('1.004'), 2).toPlainString(), '1.00');
});
