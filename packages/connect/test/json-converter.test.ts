import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ByteArrayConverter } from '../src/converters/byte-array-converter.js';
import { createConverter } from '../src/converters/converters.js';
import { JsonConverter } from '../src/converters/json-converter.js';
import { StringConverter } from '../src/converters/string-converter.js';
import { BigDecimal } from '../src/data/big-decimal.js';
import { Decimal } from '../src/data/decimal.js';
import { DataException, LogicalTypes, Schema, SchemaBuilder, Struct } from '../src/data/schema.js';

function json(schemasEnable: boolean): JsonConverter {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': String(schemasEnable) }, false);
  return c;
}

const text = (b: Buffer | null) => b?.toString('utf8') ?? null;

test('JsonConverter with schemas.enable=true writes Kafka envelope bytes for primitives', () => {
  const c = json(true);
  assert.equal(
    text(c.fromConnectData('t', Schema.STRING_SCHEMA, 'hello')),
    '{"schema":{"type":"string","optional":false},"payload":"hello"}',
  );
  assert.equal(
    text(c.fromConnectData('t', Schema.INT32_SCHEMA, 12)),
    '{"schema":{"type":"int32","optional":false},"payload":12}',
  );
  assert.equal(
    text(c.fromConnectData('t', Schema.OPTIONAL_INT64_SCHEMA, null)),
    '{"schema":{"type":"int64","optional":true},"payload":null}',
  );
  assert.equal(
    text(c.fromConnectData('t', Schema.FLOAT64_SCHEMA, 1)),
    '{"schema":{"type":"double","optional":false},"payload":1.0}',
  );
  assert.equal(
    text(c.fromConnectData('t', Schema.BOOLEAN_SCHEMA, true)),
    '{"schema":{"type":"boolean","optional":false},"payload":true}',
  );
  assert.equal(
    text(c.fromConnectData('t', Schema.BYTES_SCHEMA, Buffer.from('hi'))),
    '{"schema":{"type":"bytes","optional":false},"payload":"aGk="}',
  );
  assert.equal(text(c.fromConnectData('t', null, null)), null);
  assert.equal(text(c.fromConnectData('t', null, { a: 1 })), '{"schema":null,"payload":{"a":1}}');
});

test('JsonConverter writes a struct schema as Kafka does: type, fields (each with "field" last), optional, name', () => {
  const schema = SchemaBuilder.struct()
    .name('com.example.Person')
    .field('name', Schema.STRING_SCHEMA)
    .field('age', Schema.OPTIONAL_INT32_SCHEMA)
    .build();
  const value = new Struct(schema).put('name', 'Ada').put('age', 36);
  const bytes = json(true).fromConnectData('t', schema, value);
  assert.equal(
    text(bytes),
    '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"name"},{"type":"int32","optional":true,"field":"age"}],"optional":false,"name":"com.example.Person"},"payload":{"name":"Ada","age":36}}',
  );
  const back = json(true).toConnectData('t', bytes);
  assert.ok(back.value instanceof Struct);
  assert.equal(back.value.get('name'), 'Ada');
  assert.equal(back.value.get('age'), 36);
  assert.equal(back.schema?.name, 'com.example.Person');
  assert.equal(String(back.value), 'Struct{name=Ada,age=36}');
  assert.equal(text(json(false).fromConnectData('t', schema, value)), '{"name":"Ada","age":36}');
});

test('JsonConverter arrays, maps and defaults', () => {
  const arr = SchemaBuilder.array(Schema.STRING_SCHEMA).build();
  assert.equal(
    text(json(true).fromConnectData('t', arr, ['a', 'b'])),
    '{"schema":{"type":"array","items":{"type":"string","optional":false},"optional":false},"payload":["a","b"]}',
  );
  const map = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build();
  assert.equal(
    text(json(true).fromConnectData('t', map, new Map([['x', 1]]))),
    '{"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":{"x":1}}',
  );
  const withDefault = SchemaBuilder.string().optional().defaultValue('none').build();
  assert.equal(
    text(json(true).fromConnectData('t', withDefault, null)),
    '{"schema":{"type":"string","optional":true,"default":"none"},"payload":"none"}',
  );
});

test('JsonConverter reads envelopes and plain JSON, and refuses plain JSON when schemas are enabled', () => {
  const c = json(true);
  const read = c.toConnectData('t', Buffer.from('{"schema":{"type":"string","optional":false},"payload":"hello"}'));
  assert.equal(read.schema?.type, 'STRING');
  assert.equal(read.value, 'hello');
  assert.deepEqual(c.toConnectData('t', null), { schema: null, value: null });
  assert.throws(
    () => c.toConnectData('t', Buffer.from('{"name":"x"}')),
    (e: Error) =>
      e instanceof DataException &&
      e.message ===
        'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.',
  );
  assert.deepEqual(json(false).toConnectData('t', Buffer.from('{"name":"x"}')), { schema: null, value: { name: 'x' } });
  assert.throws(() => c.toConnectData('t', Buffer.from('{not json')), DataException);
});

test('StringConverter and ByteArrayConverter', () => {
  const s = new StringConverter();
  assert.equal(text(s.fromConnectData('t', Schema.STRING_SCHEMA, 'héllo')), 'héllo');
  assert.equal(s.fromConnectData('t', null, null), null);
  assert.deepEqual(s.toConnectData('t', Buffer.from('x')), { schema: Schema.OPTIONAL_STRING_SCHEMA, value: 'x' });
  const b = new ByteArrayConverter();
  assert.deepEqual(b.fromConnectData('t', Schema.BYTES_SCHEMA, Buffer.from([1, 2])), Buffer.from([1, 2]));
  assert.throws(
    () => b.fromConnectData('t', Schema.STRING_SCHEMA, 'x'),
    /Invalid schema type for ByteArrayConverter: STRING/,
  );
  assert.deepEqual(b.toConnectData('t', Buffer.from([3])).value, Buffer.from([3]));
});

test('converters are chosen by Kafka class name with their prefixed settings', () => {
  const props = {
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
  };
  const c = createConverter('value.converter', props['value.converter'], props, false);
  assert.equal(text(c.fromConnectData('t', Schema.STRING_SCHEMA, 'x')), '"x"');
  assert.ok(
    createConverter('key.converter', 'org.apache.kafka.connect.storage.StringConverter', {}, true) instanceof
      StringConverter,
  );
  assert.throws(
    () => createConverter('key.converter', 'com.example.Nope', {}, true),
    /Invalid value com.example.Nope for configuration key.converter: Class com.example.Nope could not be found./,
  );
  assert.throws(
    () => createConverter('value.converter', JsonConverter.CLASS, { 'value.converter.schemas.enable': 'maybe' }, false),
    /value\.converter\.schemas\.enable/,
  );
});

test('JsonConverter logical types: Timestamp, Date and Time as Kafka writes them (name, version; Date values)', () => {
  const c = json(true);
  const ts = LogicalTypes.timestamp().build();
  const bytes = c.fromConnectData('t', ts, new Date(1_700_000_000_123));
  assert.equal(
    text(bytes),
    '{"schema":{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1},"payload":1700000000123}',
  );
  const back = c.toConnectData('t', bytes);
  assert.ok(back.value instanceof Date);
  assert.equal(back.value.getTime(), 1_700_000_000_123);

  const date = LogicalTypes.date().build();
  assert.equal(
    text(c.fromConnectData('t', date, new Date(Date.UTC(2024, 0, 2)))),
    '{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":19724}',
  );
  assert.throws(
    () => c.fromConnectData('t', date, new Date(Date.UTC(2024, 0, 2, 3))),
    /should not have any time fields/,
  );
  const time = LogicalTypes.time().build();
  assert.equal(
    (c.toConnectData('t', c.fromConnectData('t', time, new Date(3_600_000))).value as Date).getTime(),
    3_600_000,
  );

  const withParams = SchemaBuilder.string().name('x').parameter('length', '10').build();
  assert.equal(
    text(c.fromConnectData('t', withParams, 'a')),
    '{"schema":{"type":"string","optional":false,"name":"x","parameters":{"length":"10"}},"payload":"a"}',
  );
  assert.deepEqual(c.toConnectData('t', c.fromConnectData('t', withParams, 'a')).schema?.parameters, { length: '10' });
});

// Kafka's JsonConverterTest: Decimal.schema(2) with 1.56 is `AJw=` (bytes 00 9c) or, with
// decimal.format=NUMERIC, the number 1.56; 1.5600 at scale 4 keeps its zeros; either form is read.
const DECIMAL_2_SCHEMA =
  '{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}';

test('JsonConverter writes Decimal as Kafka does: base64 two’s complement by default', () => {
  const c = json(true);
  const schema = LogicalTypes.decimal(2).build();
  assert.equal(schema.name, Decimal.LOGICAL_NAME);
  assert.deepEqual(schema.parameters, { scale: '2' });
  const bytes = c.fromConnectData('t', schema, new BigDecimal(156n, 2));
  assert.equal(text(bytes), `{"schema":${DECIMAL_2_SCHEMA},"payload":"AJw="}`);
  assert.equal(
    text(c.fromConnectData('t', schema, BigDecimal.parse('-1.56'))),
    `{"schema":${DECIMAL_2_SCHEMA},"payload":"/2Q="}`,
  );
  const back = c.toConnectData('t', bytes);
  assert.deepEqual(back.value, new BigDecimal(156n, 2));
  assert.deepEqual(back.schema, schema);
  // The same bytes again: the round trip is exact.
  assert.equal(text(c.fromConnectData('t', back.schema, back.value)), text(bytes));
  assert.throws(
    () => c.fromConnectData('t', schema, BigDecimal.parse('1.560')),
    (e: Error) =>
      e instanceof DataException &&
      e.message ===
        'Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 3.',
  );
  assert.throws(
    () => c.fromConnectData('t', schema, 1.56),
    /Invalid type for Decimal, expected BigDecimal but was class java.lang.Double/,
  );
  assert.throws(
    () => c.fromConnectData('t', null, new BigDecimal(156n, 2)),
    /Java class class java.math.BigDecimal does not have corresponding schema type./,
  );
});

test('JsonConverter decimal.format=NUMERIC writes Java’s BigDecimal.toString(), case-insensitively configured', () => {
  const c = new JsonConverter();
  c.configure({ 'decimal.format': 'numeric' }, false);
  assert.equal(
    text(c.fromConnectData('t', LogicalTypes.decimal(2).build(), new BigDecimal(156n, 2))),
    `{"schema":${DECIMAL_2_SCHEMA},"payload":1.56}`,
  );
  assert.equal(
    text(c.fromConnectData('t', LogicalTypes.decimal(4).build(), new BigDecimal(15600n, 4))),
    '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"4"}},"payload":1.5600}',
  );
  const tiny = LogicalTypes.decimal(9).build();
  assert.equal(JSON.parse(text(c.fromConnectData('t', tiny, new BigDecimal(12n, 9))) ?? '').payload, 1.2e-8);
  assert.match(text(c.fromConnectData('t', tiny, new BigDecimal(12n, 9))) ?? '', /"payload":1\.2E-8}$/);
  // A struct with an optional decimal field and a default, schemas off.
  const struct = SchemaBuilder.struct()
    .field('price', LogicalTypes.decimal(2).build())
    .field('discount', LogicalTypes.decimal(2).optional().defaultValue(new BigDecimal(0n, 2)).build())
    .build();
  const plain = new JsonConverter();
  plain.configure({ 'schemas.enable': 'false', 'decimal.format': 'NUMERIC' }, false);
  assert.equal(
    text(plain.fromConnectData('t', struct, new Struct(struct).put('price', BigDecimal.parse('19.99')))),
    '{"price":19.99,"discount":0.00}',
  );
  assert.throws(
    () => createConverter('value.converter', JsonConverter.CLASS, { 'value.converter.decimal.format': 'HEX' }, false),
    (e: Error) =>
      e.message ===
      'Invalid value HEX for configuration value.converter.decimal.format: String must be one of (case insensitive): BASE64, NUMERIC',
  );
});

test('JsonConverter reads a Decimal from base64 or a number (exact digits and written scale), with defaults', () => {
  const c = json(true);
  const read = (payload: string, scale = 2, extra = '') =>
    c.toConnectData(
      't',
      Buffer.from(
        `{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1${extra}, "parameters": { "scale": "${scale}" } }, "payload": ${payload} }`,
      ),
    );
  assert.deepEqual(read('"AJw="').value, new BigDecimal(156n, 2));
  assert.deepEqual(read('1.56').value, new BigDecimal(156n, 2));
  assert.deepEqual(read('1.5600', 4).value, new BigDecimal(15600n, 4));
  assert.deepEqual(read('1.23456789123456789', 17).value, BigDecimal.parse('1.23456789123456789'));
  assert.deepEqual(
    read('123456789012345678901234567890.12').value,
    BigDecimal.parse('123456789012345678901234567890.12'),
  );
  assert.equal(read('null', 2, ', "optional": true').value, null);
  assert.deepEqual(read('null', 2, ', "default": "AJw="').value, new BigDecimal(156n, 2));
  assert.deepEqual(
    read('null', 2, ', "optional": true, "default": "AJw="').schema?.defaultValue,
    new BigDecimal(156n, 2),
  );
  assert.throws(
    () => read('true'),
    (e: Error) =>
      e instanceof DataException &&
      e.message === 'Invalid type for Decimal, underlying representation should be numeric or bytes but was BOOLEAN',
  );
  // Other numbers in a message that has a Decimal are still plain JS numbers.
  const struct = c.toConnectData(
    't',
    Buffer.from(
      `{"schema":{"type":"struct","fields":[{"type":"double","optional":false,"field":"d"},{"type":"int64","optional":false,"field":"n"},${DECIMAL_2_SCHEMA.slice(0, -1)},"field":"p"}],"optional":false},"payload":{"d":0.10,"n":12345678901234567890,"p":"AJw="}}`,
    ),
  );
  assert.ok(struct.value instanceof Struct);
  assert.equal(struct.value.get('d'), 0.1);
  assert.equal(struct.value.get('n'), 12345678901234567890n);
  assert.deepEqual(struct.value.get('p'), new BigDecimal(156n, 2));
  assert.equal(String(struct.value), 'Struct{d=0.1,n=12345678901234567890,p=1.56}');
});

test('Struct takes only BigDecimal for a Decimal field; Date/Time/Timestamp read as Kafka’s tests', () => {
  const schema = SchemaBuilder.struct().field('p', LogicalTypes.decimal(2).build()).build();
  assert.throws(
    () => new Struct(schema).put('p', Buffer.from([0, 0x9c])),
    /Invalid Java object for schema "org.apache.kafka.connect.data.Decimal" with type BYTES/,
  );
  const c = json(true);
  const date = c.toConnectData(
    't',
    Buffer.from(
      '{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1 }, "payload": 10000 }',
    ),
  );
  assert.equal((date.value as Date).toISOString(), '1997-05-19T00:00:00.000Z');
  const time = c.toConnectData(
    't',
    Buffer.from(
      '{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Time", "version": 1 }, "payload": 14400000 }',
    ),
  );
  assert.equal((time.value as Date).getTime(), 14_400_000);
  const ts = c.toConnectData(
    't',
    Buffer.from(
      '{ "schema": { "type": "int64", "name": "org.apache.kafka.connect.data.Timestamp", "version": 1, "optional": true, "default": 42 }, "payload": null }',
    ),
  );
  assert.equal((ts.value as Date).getTime(), 42);
  assert.equal(
    text(c.fromConnectData('t', LogicalTypes.timestamp().build(), new Date(4_000_000_000))),
    '{"schema":{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1},"payload":4000000000}',
  );
});
