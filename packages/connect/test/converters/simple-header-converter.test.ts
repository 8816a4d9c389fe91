import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ByteArrayConverter } from '../../src/converters/byte-array-converter.js';
import { createHeaderConverter } from '../../src/converters/header-converters.js';
import { SimpleHeaderConverter } from '../../src/converters/simple-header-converter.js';
import { BigDecimal } from '../../src/data/big-decimal.js';
import { LogicalTypes, Schema, SchemaBuilder, Struct } from '../../src/data/schema.js';
import { parseString } from '../../src/data/values-parser.js';
import { fromConnectHeaders, toConnectHeaders } from '../../src/runtime/header-conversion.js';
import { parseWorkerConfig } from '../../src/runtime/worker-config.js';

// Header converters: the bytes Kafka's SimpleHeaderConverter writes (Values.convertToString),
// the schemas it infers reading them back (Values.parseString), and StringConverter,
// JsonConverter and ByteArrayConverter used as header converters.

const simple = new SimpleHeaderConverter();
const write = (schema: Schema | null, value: unknown): string | null =>
  simple.fromConnectHeader('t', 'h', schema, value)?.toString('utf8') ?? null;
const read = (text: string | null) => simple.toConnectHeader('t', 'h', text === null ? null : Buffer.from(text));

describe('SimpleHeaderConverter.fromConnectHeader', () => {
  test('primitives as Java prints them, null as a null header', () => {
    assert.deepEqual(simple.fromConnectHeader('t', 'h', Schema.INT32_SCHEMA, 42), Buffer.from('42'));
    assert.equal(write(Schema.INT64_SCHEMA, 9_007_199_254_740_993n), '9007199254740993');
    assert.equal(write(Schema.FLOAT64_SCHEMA, 1), '1.0');
    assert.equal(write(Schema.FLOAT32_SCHEMA, 2.5), '2.5');
    assert.equal(write(Schema.BOOLEAN_SCHEMA, true), 'true');
    assert.equal(write(Schema.BOOLEAN_SCHEMA, false), 'false');
    assert.equal(write(Schema.STRING_SCHEMA, 'a "b"'), 'a "b"');
    assert.equal(write(Schema.BYTES_SCHEMA, Buffer.from([1, 2, 3])), 'AQID');
    assert.equal(simple.fromConnectHeader('t', 'h', null, null), null);
  });

  test('maps, arrays and structs in Values form', () => {
    const map = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build();
    assert.equal(write(map, new Map([['a', 1]])), '{"a":1}');
    assert.equal(write(null, { a: 1, b: 'x' }), '{"a":1,"b":"x"}');
    assert.equal(write(SchemaBuilder.array(Schema.INT32_SCHEMA).build(), [1, 2, 3]), '[1,2,3]');
    const schema = SchemaBuilder.struct().field('id', Schema.INT32_SCHEMA).field('name', Schema.STRING_SCHEMA).build();
    assert.equal(write(schema, new Struct(schema).put('id', 7).put('name', 'n')), '{"id":7,"name":"n"}');
  });
});

describe('SimpleHeaderConverter.toConnectHeader (Values.parseString)', () => {
  test('integers take the smallest type holding them', () => {
    assert.deepEqual(read('42'), { schema: Schema.INT8_SCHEMA, value: 42 });
    assert.deepEqual(read('-128'), { schema: Schema.INT8_SCHEMA, value: -128 });
    assert.deepEqual(read('128'), { schema: Schema.INT16_SCHEMA, value: 128 });
    assert.deepEqual(read('40000'), { schema: Schema.INT32_SCHEMA, value: 40000 });
    assert.deepEqual(read('3000000000'), { schema: Schema.INT64_SCHEMA, value: 3_000_000_000 });
    // Java's byteValueExact accepts a zero fraction: a double 1.0 reads back as INT8 1, as in Kafka.
    assert.deepEqual(read('1.0'), { schema: Schema.INT8_SCHEMA, value: 1 });
  });

  test('fractions are FLOAT32 when in range; integers past INT64 are Decimals', () => {
    assert.deepEqual(read('2.5'), { schema: Schema.FLOAT32_SCHEMA, value: 2.5 });
    assert.deepEqual(read('1.5e300'), { schema: Schema.FLOAT64_SCHEMA, value: 1.5e300 });
    // Past a double too: a Decimal of the scale as written (Java's BigDecimal("1.5e400") has scale -399).
    assert.equal(read('1.5e400').schema?.parameters?.scale, '-399');
    const big = read('99999999999999999999');
    assert.equal(big.schema?.name, LogicalTypes.DECIMAL);
    assert.ok((big.value as BigDecimal).equals(BigDecimal.parse('99999999999999999999')));
  });

  test('booleans, null, strings, empty', () => {
    assert.deepEqual(read('true'), { schema: Schema.BOOLEAN_SCHEMA, value: true });
    assert.deepEqual(read('false'), { schema: Schema.BOOLEAN_SCHEMA, value: false });
    assert.deepEqual(read(null), { schema: null, value: null });
    assert.deepEqual(read('null'), { schema: null, value: null });
    assert.deepEqual(read('hello world'), { schema: Schema.STRING_SCHEMA, value: 'hello world' });
    assert.deepEqual(read('true}'), { schema: Schema.STRING_SCHEMA, value: 'true}' });
    assert.deepEqual(read('{"a":'), { schema: Schema.STRING_SCHEMA, value: '{"a":' });
    assert.deepEqual(read(''), { schema: Schema.STRING_SCHEMA, value: '' });
  });

  test('maps and arrays with a common element schema', () => {
    assert.deepEqual(read('{"a":1}'), {
      schema: SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT8_SCHEMA).build(),
      value: new Map([['a', 1]]),
    });
    assert.deepEqual(read('[1,200,3]'), {
      schema: SchemaBuilder.array(Schema.INT16_SCHEMA).build(),
      value: [1, 200, 3],
    });
    assert.deepEqual(read('[1,3000000000]').value, [1, 3_000_000_000]);
    // No common schema once two elements disagree (Kafka's SchemaMerger); nulls do not count.
    assert.equal(read('[1,"a",2]').schema?.valueSchema, null);
    assert.deepEqual(read('[1,"a",2]').value, [1, 'a', 2]);
    assert.deepEqual(read('[null,5]').schema, SchemaBuilder.array(Schema.INT8_SCHEMA).build());
    // Blanks around tokens are passed over, as Kafka's parser does.
    assert.deepEqual(
      read('{ "a" : 1 , "b" : 2 }').value,
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    assert.deepEqual(read('[1, 2]').value, [1, 2]);
    // An embedded escaped quote keeps its backslash (Kafka does not unescape).
    assert.deepEqual(read('["a\\"b"]').value, ['a\\"b']);
  });

  test('temporal texts are Date, Time and Timestamp', () => {
    assert.equal(read('2024-03-01').schema?.name, LogicalTypes.DATE);
    assert.deepEqual(read('2024-03-01').value, new Date('2024-03-01T00:00:00.000Z'));
    assert.equal(read('2024-03-01T10:20:30.400Z').schema?.name, LogicalTypes.TIMESTAMP);
    assert.equal(read('10:20:30.400Z').schema?.name, LogicalTypes.TIME);
  });

  test('what it writes it reads back', () => {
    const values: [Schema, unknown][] = [
      [Schema.INT8_SCHEMA, 7],
      [Schema.INT16_SCHEMA, -300],
      [Schema.INT32_SCHEMA, 70000],
      [Schema.INT64_SCHEMA, -5_000_000_000],
      [Schema.INT64_SCHEMA, 9_007_199_254_740_993n],
      [Schema.BOOLEAN_SCHEMA, true],
      [Schema.STRING_SCHEMA, 'text'],
      [SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.BOOLEAN_SCHEMA).build(), new Map([['k', false]])],
    ];
    for (const [schema, value] of values) {
      assert.deepEqual(read(write(schema, value)), { schema, value });
    }
    assert.deepEqual(parseString('[]').value, []);
  });
});

describe('header.converter', () => {
  test('SimpleHeaderConverter by name; StringConverter, JsonConverter and ByteArrayConverter for headers', () => {
    assert.ok(
      createHeaderConverter('org.apache.kafka.connect.storage.SimpleHeaderConverter', {}) instanceof
        SimpleHeaderConverter,
    );
    const string = createHeaderConverter('org.apache.kafka.connect.storage.StringConverter', {});
    assert.deepEqual(string.fromConnectHeader('t', 'h', Schema.INT32_SCHEMA, 42), Buffer.from('42'));
    assert.deepEqual(string.toConnectHeader('t', 'h', Buffer.from('42')), {
      schema: Schema.OPTIONAL_STRING_SCHEMA,
      value: '42',
    });
    const json = createHeaderConverter('org.apache.kafka.connect.json.JsonConverter', {
      'header.converter.schemas.enable': 'false',
    });
    assert.equal(json.fromConnectHeader('t', 'h', null, { a: 1 })?.toString(), '{"a":1}');
    const withSchema = createHeaderConverter('org.apache.kafka.connect.json.JsonConverter', {});
    assert.equal(
      withSchema.fromConnectHeader('t', 'h', Schema.INT32_SCHEMA, 42)?.toString(),
      '{"schema":{"type":"int32","optional":false},"payload":42}',
    );
    assert.deepEqual(
      withSchema.toConnectHeader('t', 'h', withSchema.fromConnectHeader('t', 'h', Schema.INT32_SCHEMA, 42)),
      {
        schema: Schema.INT32_SCHEMA,
        value: 42,
      },
    );
    const bytes = createHeaderConverter(ByteArrayConverter.CLASS, {});
    assert.deepEqual(
      bytes.fromConnectHeader('t', 'h', Schema.BYTES_SCHEMA, Buffer.from([0, 255])),
      Buffer.from([0, 255]),
    );
    assert.throws(() => createHeaderConverter('com.example.Nope', {}), /Class com.example.Nope could not be found/);
  });

  test('a worker with an unknown header.converter does not start', () => {
    const worker = {
      'bootstrap.servers': 'localhost:9092',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'offset.storage.file.filename': '/tmp/offsets',
    };
    assert.equal(parseWorkerConfig(worker).props['header.converter'], undefined);
    assert.throws(
      () => parseWorkerConfig({ ...worker, 'header.converter': 'com.example.Nope' }),
      /Invalid value com.example.Nope for configuration header.converter: Class com.example.Nope could not be found./,
    );
    parseWorkerConfig({ ...worker, 'header.converter': 'org.apache.kafka.connect.storage.StringConverter' });
  });

  test('source headers to bytes and sink bytes back to typed headers', () => {
    const out = fromConnectHeaders(undefined, 't', [
      { key: 'n', schema: Schema.INT32_SCHEMA, value: 42 },
      { key: 'm', value: { a: 1 } },
      { key: 'z', value: null },
    ]);
    assert.deepEqual(out, [
      { key: 'n', value: Buffer.from('42') },
      { key: 'm', value: Buffer.from('{"a":1}') },
      { key: 'z', value: null },
    ]);
    assert.deepEqual(toConnectHeaders(undefined, 't', out!), [
      { key: 'n', schema: Schema.INT8_SCHEMA, value: 42 },
      {
        key: 'm',
        schema: SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT8_SCHEMA).build(),
        value: new Map([['a', 1]]),
      },
      { key: 'z', schema: null, value: null },
    ]);
    assert.equal(fromConnectHeaders(undefined, 't', []), undefined);
  });
});
