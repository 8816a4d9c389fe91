import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigException } from '../src/config/config-def.js';
import type { SinkRecord } from '../src/connector/connect-record.js';
import { BigDecimal } from '../src/data/big-decimal.js';
import { LogicalTypes, Schema, SchemaBuilder, Struct } from '../src/data/schema.js';
import { convertToString } from '../src/data/values.js';
import type { Transformation } from '../src/transforms/transformation.js';
import { validateTransformations } from '../src/transforms/transformation-chain.js';
import { TRANSFORMATIONS } from '../src/transforms/transforms.js';

// HeaderFrom (KIP-145) on schemaless and struct records, its config errors with Kafka's
// messages, and the header text Kafka's SimpleHeaderConverter would write (Values.convertToString).

const P = 'org.apache.kafka.connect.transforms.';

function headerFrom(side: 'Key' | 'Value', props: Record<string, string>): Transformation {
  const t = TRANSFORMATIONS.get(`${P}HeaderFrom$${side}`)!();
  t.configure(props);
  return t;
}

function sink(extra: Partial<SinkRecord>): SinkRecord {
  return {
    topic: 'orders',
    kafkaPartition: 0,
    kafkaOffset: 7n,
    keySchema: null,
    key: null,
    valueSchema: null,
    value: null,
    timestamp: 0,
    timestampType: 'CreateTime',
    headers: [{ key: 'existing', value: 'x' }],
    ...extra,
  };
}

const ORDER = SchemaBuilder.struct()
  .name('order')
  .field('id', Schema.INT64_SCHEMA)
  .field('customer', Schema.STRING_SCHEMA)
  .field('note', SchemaBuilder.string().optional().defaultValue('none').build())
  .field('price', LogicalTypes.decimal(2).build())
  .build();

const order = () => new Struct(ORDER).put('id', 42).put('customer', 'ann').put('price', BigDecimal.parse('9.90'));

describe('HeaderFrom', () => {
  test('schemaless copy keeps the fields; move removes them; headers are appended in order', () => {
    const value = { id: 42, customer: 'ann', tags: ['a', 'b'], nested: { x: 1.5 } };
    const copy = headerFrom('Value', {
      fields: 'id,customer,tags,nested,missing',
      headers: 'h_id,h_c,h_t,h_n,h_m',
      operation: 'copy',
    }).apply(sink({ value }))!;
    assert.deepEqual(copy.value, value);
    assert.deepEqual(copy.headers, [
      { key: 'existing', value: 'x' },
      { key: 'h_id', value: '42' },
      { key: 'h_c', value: 'ann' },
      { key: 'h_t', value: '["a","b"]' },
      { key: 'h_n', value: '{"x":1.5}' },
      { key: 'h_m', value: null },
    ]);
    const move = headerFrom('Value', { fields: 'id', headers: 'id', operation: 'move' }).apply(sink({ value }))!;
    assert.deepEqual(move.value, { customer: 'ann', tags: ['a', 'b'], nested: { x: 1.5 } });
    assert.deepEqual(move.headers?.at(-1), { key: 'id', value: '42' });
    assert.equal(value.id, 42, 'the input record is not modified');
  });

  test('struct copy and move (new schema without the moved fields, name kept), on the key too', () => {
    const t = headerFrom('Value', { fields: 'id,price,note', headers: 'id,price,note', operation: 'move' });
    const out = t.apply(sink({ valueSchema: ORDER, value: order() }))!;
    assert.deepEqual(
      out.valueSchema?.fields.map((f) => f.name),
      ['customer'],
    );
    assert.equal(out.valueSchema?.name, 'order');
    assert.equal(String(out.value), 'Struct{customer=ann}');
    assert.deepEqual(out.headers?.slice(1), [
      { key: 'id', value: '42' },
      { key: 'price', value: '9.90' },
      { key: 'note', value: 'none' },
    ]);
    // The moved schema is derived once per input schema.
    assert.equal(t.apply(sink({ valueSchema: ORDER, value: order() }))!.valueSchema, out.valueSchema);

    const noDefault = headerFrom('Value', {
      fields: 'note',
      headers: 'note',
      operation: 'copy',
      'replace.null.with.default': 'false',
    }).apply(sink({ valueSchema: ORDER, value: order() }))!;
    assert.deepEqual(noDefault.headers?.at(-1), { key: 'note', value: null });
    assert.equal(noDefault.value instanceof Struct && noDefault.valueSchema, ORDER);

    const key = headerFrom('Key', { fields: 'customer', headers: 'who', operation: 'copy' }).apply(
      sink({ keySchema: ORDER, key: order(), value: 'v' }),
    )!;
    assert.deepEqual(key.headers?.at(-1), { key: 'who', value: 'ann' });
    assert.equal(key.value, 'v');
  });

  test('a value that is neither a map nor a struct fails with Kafka’s message', () => {
    const t = headerFrom('Value', { fields: 'a', headers: 'b', operation: 'copy' });
    assert.throws(
      () => t.apply(sink({ value: 'text' })),
      /Only Map objects supported in absence of schema for \[header copy\], found: java.lang.String/,
    );
    assert.throws(
      () => t.apply(sink({ valueSchema: Schema.STRING_SCHEMA, value: 'text' })),
      /Only Struct objects supported for \[header copy\], found: java.lang.String/,
    );
  });

  test('config errors name the key, as Kafka’s ConfigDef does', () => {
    assert.throws(
      () => headerFrom('Value', { fields: 'a,b', headers: 'x', operation: 'copy' }),
      (e: Error) =>
        e instanceof ConfigException &&
        e.message === "'fields' config must have the same number of elements as 'headers' config.",
    );
    const errors = (props: Record<string, string>) => {
      const result = validateTransformations({
        transforms: 'h',
        'transforms.h.type': `${P}HeaderFrom$Value`,
        ...props,
      });
      const out: Record<string, string[]> = {};
      for (const [name, value] of result.values) if (value.errors.length > 0) out[name] = value.errors;
      return out;
    };
    assert.deepEqual(errors({ 'transforms.h.fields': 'a', 'transforms.h.headers': 'b' }), {
      'transforms.h.operation': ['Missing required configuration "transforms.h.operation" which has no default value.'],
    });
    assert.deepEqual(
      errors({ 'transforms.h.fields': 'a', 'transforms.h.headers': 'b', 'transforms.h.operation': 'swap' }),
      {
        'transforms.h.operation': [
          'Invalid value swap for configuration transforms.h.operation: String must be one of: move, copy',
        ],
      },
    );
    assert.deepEqual(
      errors({ 'transforms.h.fields': '', 'transforms.h.headers': 'b', 'transforms.h.operation': 'copy' }),
      {
        'transforms.h.fields': ['Invalid value  for configuration transforms.h.fields: Empty list'],
      },
    );
    assert.deepEqual(
      errors({ 'transforms.h.fields': 'a', 'transforms.h.headers': 'b', 'transforms.h.operation': 'move' }),
      {},
    );
    assert.deepEqual(
      errors({ 'transforms.h.fields': 'a,b', 'transforms.h.headers': 'x', 'transforms.h.operation': 'copy' }),
      {
        'transforms.h.type': [
          "Invalid value org.apache.kafka.connect.transforms.HeaderFrom$Value for configuration transforms.h.type: 'fields' config must have the same number of elements as 'headers' config.",
        ],
      },
    );
  });
});

describe('Values.convertToString (the text of a header value)', () => {
  test('primitives, bytes, dates, decimals, lists, maps and structs as Kafka prints them', () => {
    assert.equal(convertToString(null, null), null);
    assert.equal(convertToString(Schema.STRING_SCHEMA, 'a"b'), 'a"b');
    assert.equal(convertToString(Schema.INT32_SCHEMA, 7), '7');
    assert.equal(convertToString(Schema.FLOAT64_SCHEMA, 2), '2.0');
    assert.equal(convertToString(Schema.FLOAT64_SCHEMA, 1.5e10), '1.5E10');
    assert.equal(convertToString(Schema.FLOAT64_SCHEMA, 0.0001), '1.0E-4');
    assert.equal(convertToString(null, 2.5), '2.5');
    assert.equal(convertToString(Schema.BOOLEAN_SCHEMA, false), 'false');
    assert.equal(convertToString(Schema.BYTES_SCHEMA, Buffer.from('hi')), 'aGk=');
    assert.equal(convertToString(LogicalTypes.date().build(), new Date(Date.UTC(2024, 0, 2))), '2024-01-02');
    assert.equal(convertToString(LogicalTypes.time().build(), new Date(3_600_000)), '01:00:00.000Z');
    assert.equal(
      convertToString(LogicalTypes.timestamp().build(), new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))),
      '2024-01-02T03:04:05.006Z',
    );
    assert.equal(convertToString(LogicalTypes.decimal(3).build(), new BigDecimal(-1500n, 3)), '-1.500');
    assert.equal(convertToString(null, ['a', 1, null, 'q"\\']), '["a",1,null,"q\\"\\\\"]');
    assert.equal(convertToString(null, new Map<unknown, unknown>([[1, 'x']])), '{1:"x"}');
    assert.equal(convertToString(ORDER, order()), '{"id":42,"customer":"ann","note":"none","price":9.90}');
  });
});
