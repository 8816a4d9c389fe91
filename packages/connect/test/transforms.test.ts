import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigDef } from '../src/config/config-def.js';
import type { SinkRecord, SourceRecord } from '../src/connector/connect-record.js';
import { BigDecimal } from '../src/data/big-decimal.js';
import { LogicalTypes, Schema, SchemaBuilder, Struct } from '../src/data/schema.js';
import { SINK_CONNECTOR_CONFIG_DEF, validateSinkTopics } from '../src/runtime/connector-config.js';
import { PREDICATES } from '../src/transforms/predicates.js';
import { SimpleDateFormat } from '../src/transforms/simple-date-format.js';
import type { Predicate, Transformation } from '../src/transforms/transformation.js';
import {
  buildTransformationChain,
  TransformationError,
  validateTransformations,
} from '../src/transforms/transformation-chain.js';
import { registerTransformation, TRANSFORMATIONS } from '../src/transforms/transforms.js';

// Single message transforms and predicates: records in → records out, with Kafka's documented
// examples where there are some, and config validation.

const P = 'org.apache.kafka.connect.transforms.';

function transform(className: string, props: Record<string, string> = {}): Transformation {
  const factory = TRANSFORMATIONS.get(`${P}${className}`);
  assert.ok(factory, className);
  const t = factory();
  t.configure(props);
  return t;
}

function predicate(className: string, props: Record<string, string> = {}): Predicate {
  const p = PREDICATES.get(`${P}predicates.${className}`)!();
  p.configure(props);
  return p;
}

function sink(value: unknown, extra: Partial<SinkRecord> = {}): SinkRecord {
  return {
    topic: 'orders',
    kafkaPartition: 2,
    kafkaOffset: 42n,
    keySchema: null,
    key: null,
    valueSchema: null,
    value,
    timestamp: Date.UTC(2024, 0, 15, 10, 30, 0),
    timestampType: 'CreateTime',
    headers: [],
    ...extra,
  };
}

function source(value: unknown, extra: Partial<SourceRecord> = {}): SourceRecord {
  return { sourcePartition: { f: 'x' }, sourceOffset: { position: 1 }, topic: 'orders', value, ...extra };
}

const PERSON = SchemaBuilder.struct()
  .name('person')
  .field('name', Schema.STRING_SCHEMA)
  .field('age', Schema.INT32_SCHEMA)
  .field('email', Schema.OPTIONAL_STRING_SCHEMA)
  .build();

function person(name: string, age: number, email: string | null = null): Struct {
  const s = new Struct(PERSON).put('name', name).put('age', age);
  if (email !== null) s.put('email', email);
  return s;
}

describe('InsertField', () => {
  test('schemaless: topic, partition, offset, timestamp and a static field', () => {
    const out = transform('InsertField$Value', {
      'topic.field': 'topic',
      'partition.field': 'partition',
      'offset.field': 'offset',
      'timestamp.field': 'ts',
      'static.field': 'origin',
      'static.value': 'dc1',
    }).apply(sink({ id: 1 }));
    assert.deepEqual(out?.value, {
      id: 1,
      topic: 'orders',
      partition: 2,
      offset: 42,
      ts: Date.UTC(2024, 0, 15, 10, 30, 0),
      origin: 'dc1',
    });
  });

  test('struct: new optional fields appended to the schema (! makes one required)', () => {
    const out = transform('InsertField$Value', {
      'topic.field': 'topic!',
      'static.field': 'origin',
      'static.value': 'dc1',
    }).apply(sink(person('ann', 30), { valueSchema: PERSON }))!;
    assert.deepEqual(
      out.valueSchema?.fields.map((f) => [f.name, f.schema.type, f.schema.optional]),
      [
        ['name', 'STRING', false],
        ['age', 'INT32', false],
        ['email', 'STRING', true],
        ['topic', 'STRING', false],
        ['origin', 'STRING', true],
      ],
    );
    assert.equal(out.valueSchema?.name, 'person');
    const v = out.value as Struct;
    assert.equal(v.get('topic'), 'orders');
    assert.equal(v.get('origin'), 'dc1');
    assert.equal(v.get('name'), 'ann');
  });

  test('a tombstone passes unchanged; offset.field on a source record is a DataException', () => {
    const t = transform('InsertField$Value', { 'offset.field': 'offset' });
    const tombstone = sink(null);
    assert.equal(t.apply(tombstone), tombstone);
    assert.throws(() => t.apply(source({ a: 1 })), /Only SinkRecord supported for \[field insertion\]/);
  });

  test('$Key works on the key; a non-map schemaless value is refused with Kafka message', () => {
    const out = transform('InsertField$Key', { 'static.field': 's', 'static.value': 'v' }).apply(
      sink('x', { key: { k: 1 } }),
    );
    assert.deepEqual(out?.key, { k: 1, s: 'v' });
    assert.throws(
      () => transform('InsertField$Value', { 'topic.field': 't' }).apply(sink('plain')),
      /Only Map objects supported in absence of schema for \[field insertion\], found: java.lang.String/,
    );
  });
});

describe('ReplaceField', () => {
  test('schemaless include/exclude/renames', () => {
    const value = { a: 1, b: 2, c: 3, d: 4 };
    assert.deepEqual(transform('ReplaceField$Value', { exclude: 'b' }).apply(sink(value))?.value, { a: 1, c: 3, d: 4 });
    assert.deepEqual(transform('ReplaceField$Value', { include: 'a,c' }).apply(sink(value))?.value, { a: 1, c: 3 });
    assert.deepEqual(
      transform('ReplaceField$Value', { include: 'a,c,d', exclude: 'd', renames: 'a:x,c:y' }).apply(sink(value))?.value,
      { x: 1, y: 3 },
    );
  });

  test('struct: fields dropped and renamed in the schema', () => {
    const out = transform('ReplaceField$Value', { exclude: 'email', renames: 'name:fullName' }).apply(
      sink(person('bob', 41, 'b@x'), { valueSchema: PERSON }),
    )!;
    assert.deepEqual(
      out.valueSchema?.fields.map((f) => f.name),
      ['fullName', 'age'],
    );
    assert.equal((out.value as Struct).get('fullName'), 'bob');
    assert.equal((out.value as Struct).get('age'), 41);
  });

  test('a bad rename mapping is a config error', () => {
    assert.throws(
      () => transform('ReplaceField$Value', { renames: 'a' }),
      /Invalid value a for configuration renames: Invalid rename mapping: a/,
    );
  });
});

describe('MaskField', () => {
  test('schemaless: type-appropriate empty values, or the replacement', () => {
    const value = { name: 'ann', age: 30, ok: true, tags: ['x'], nested: { a: 1 }, keep: 'k' };
    assert.deepEqual(transform('MaskField$Value', { fields: 'name,age,ok,tags,nested' }).apply(sink(value))?.value, {
      name: '',
      age: 0,
      ok: false,
      tags: [],
      nested: {},
      keep: 'k',
    });
    assert.deepEqual(transform('MaskField$Value', { fields: 'name', replacement: '****' }).apply(sink(value))?.value, {
      ...value,
      name: '****',
    });
    assert.throws(
      () => transform('MaskField$Value', { fields: 'ok', replacement: 'x' }).apply(sink(value)),
      /Cannot mask value of type java.lang.Boolean with custom replacement/,
    );
  });

  test('struct', () => {
    const out = transform('MaskField$Value', { fields: 'email,age' }).apply(
      sink(person('ann', 30, 'a@x'), { valueSchema: PERSON }),
    )!;
    assert.equal((out.value as Struct).toString(), 'Struct{name=ann,age=0,email=}');
  });

  test('a Decimal field is masked with a decimal of its scale', () => {
    const schema = SchemaBuilder.struct().field('price', LogicalTypes.decimal(2).build()).build();
    const record = sink(new Struct(schema).put('price', BigDecimal.parse('19.99')), { valueSchema: schema });
    assert.equal(String(transform('MaskField$Value', { fields: 'price' }).apply(record)?.value), 'Struct{price=0.00}');
    const custom = transform('MaskField$Value', { fields: 'price', replacement: '1' }).apply(record);
    assert.equal(String(custom?.value), 'Struct{price=1.00}');
  });
});

describe('ValueToKey, ExtractField, HoistField', () => {
  test('ValueToKey: schemaless and struct', () => {
    assert.deepEqual(transform('ValueToKey', { fields: 'id' }).apply(sink({ id: 7, x: 1 }))?.key, { id: 7 });
    const out = transform('ValueToKey', { fields: 'name' }).apply(sink(person('ann', 3), { valueSchema: PERSON }))!;
    assert.deepEqual(
      out.keySchema?.fields.map((f) => f.name),
      ['name'],
    );
    assert.equal((out.key as Struct).get('name'), 'ann');
    assert.throws(
      () => transform('ValueToKey', { fields: 'nope' }).apply(sink(person('ann', 3), { valueSchema: PERSON })),
      /Field does not exist: nope/,
    );
  });

  test('ExtractField: schemaless, struct, missing field and null', () => {
    assert.equal(transform('ExtractField$Value', { field: 'id' }).apply(sink({ id: 9 }))?.value, 9);
    assert.equal(transform('ExtractField$Value', { field: 'id' }).apply(sink({ x: 9 }))?.value, null);
    assert.equal(transform('ExtractField$Value', { field: 'id' }).apply(sink(null))?.value, null);
    const out = transform('ExtractField$Value', { field: 'age' }).apply(sink(person('a', 5), { valueSchema: PERSON }))!;
    assert.equal(out.value, 5);
    assert.equal(out.valueSchema, Schema.INT32_SCHEMA);
    assert.deepEqual(transform('ExtractField$Key', { field: 'k' }).apply(sink(1, { key: { k: 'kk' } }))?.key, 'kk');
  });

  test('HoistField: schemaless and with a schema', () => {
    assert.deepEqual(transform('HoistField$Value', { field: 'line' }).apply(sink('hello'))?.value, { line: 'hello' });
    const out = transform('HoistField$Value', { field: 'line' }).apply(
      sink('hello', { valueSchema: Schema.STRING_SCHEMA }),
    )!;
    assert.equal(out.valueSchema?.type, 'STRUCT');
    assert.equal((out.value as Struct).get('line'), 'hello');
  });
});

describe('Cast', () => {
  test('fields of a map and of a struct', () => {
    assert.deepEqual(
      transform('Cast$Value', { spec: 'a:int32,b:string,c:boolean,d:float64' }).apply(
        sink({ a: '12', b: 3.5, c: 'TRUE', d: '1.25', e: 'x' }),
      )?.value,
      { a: 12, b: '3.5', c: true, d: 1.25, e: 'x' },
    );
    const out = transform('Cast$Value', { spec: 'age:string' }).apply(sink(person('a', 5), { valueSchema: PERSON }))!;
    assert.equal(out.valueSchema?.field('age')?.schema.type, 'STRING');
    assert.equal((out.value as Struct).get('age'), '5');
  });

  test('the whole value; int8 wraps as Java does', () => {
    const out = transform('Cast$Value', { spec: 'int64' }).apply(sink('42', { valueSchema: Schema.STRING_SCHEMA }))!;
    assert.equal(out.value, 42);
    assert.equal(out.valueSchema?.type, 'INT64');
    assert.equal(transform('Cast$Value', { spec: 'int8' }).apply(sink(200))?.value, -56);
  });

  test('Decimal fields cast as Java’s Number conversions (truncate, wrap); bytes only to base64 strings', () => {
    const schema = SchemaBuilder.struct()
      .field('price', LogicalTypes.decimal(2).build())
      .field('big', LogicalTypes.decimal(0).build())
      .field('raw', Schema.BYTES_SCHEMA)
      .build();
    const value = new Struct(schema)
      .put('price', BigDecimal.parse('-12.99'))
      .put('big', BigDecimal.parse('300'))
      .put('raw', Buffer.from('hi'));
    const cast = (spec: string) =>
      transform('Cast$Value', { spec }).apply(sink(value, { valueSchema: schema }))!.value as Struct;
    assert.equal(cast('price:int32').get('price'), -12);
    assert.equal(cast('price:float64').get('price'), -12.99);
    assert.equal(cast('price:string').get('price'), '-12.99');
    assert.equal(cast('price:boolean').get('price'), true);
    assert.equal(cast('big:int8').get('big'), 44);
    assert.equal(cast('raw:string').get('raw'), 'aGk=');
    assert.throws(() => cast('raw:int32'), /Unexpected type in Cast transformation: class \[B/);
    const whole = transform('Cast$Value', { spec: 'string' }).apply(
      sink(Buffer.from('hi'), { valueSchema: Schema.BYTES_SCHEMA }),
    )!;
    assert.equal(whole.value, 'aGk=');
  });

  test('bad specs are config errors', () => {
    assert.throws(() => transform('Cast$Value', { spec: 'a:uuid' }), /Invalid type found in casting spec: uuid/);
    assert.throws(() => transform('Cast$Value', { spec: 'int32,a:string' }), /may ony specify a single cast/);
  });
});

describe('RegexRouter and TimestampRouter', () => {
  test("Kafka's example: (.*)-(.*) → $2; no match leaves the topic", () => {
    const t = transform('RegexRouter', { regex: '(.*)-(.*)', replacement: '$2' });
    assert.equal(t.apply(sink(1, { topic: 'dev-orders' }))?.topic, 'orders');
    assert.equal(t.apply(sink(1, { topic: 'orders' }))?.topic, 'orders');
    const prefix = transform('RegexRouter', { regex: '.*', replacement: 'mirror.$0' });
    assert.equal(prefix.apply(sink(1))?.topic, 'mirror.orders');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Kafka's ${topic}/${timestamp} placeholders and Java group references
    const named = transform('RegexRouter', { regex: '(?<env>[a-z]+)_(.*)', replacement: '${env}-$2\\$' });
    assert.equal(named.apply(sink(1, { topic: 'prod_users' }))?.topic, 'prod-users$');
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: Kafka's ${topic}/${timestamp} placeholders and Java group references
  test('TimestampRouter: ${topic}-${timestamp} with yyyyMMdd (UTC) and custom formats', () => {
    assert.equal(transform('TimestampRouter').apply(sink(1))?.topic, 'orders-20240115');
    const t = transform('TimestampRouter', {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Kafka's ${topic}/${timestamp} placeholders and Java group references
      'topic.format': 'logs_${timestamp}_${topic}',
      'timestamp.format': "yyyy-MM-dd'T'HH",
    });
    assert.equal(t.apply(sink(1))?.topic, 'logs_2024-01-15T10_orders');
    assert.throws(() => transform('TimestampRouter').apply(source(1)), /Timestamp missing on record/);
  });
});

describe('Filter and predicates', () => {
  test('Filter drops every record', () => {
    assert.equal(transform('Filter').apply(sink(1)), null);
  });

  test('TopicNameMatches (whole name), HasHeaderKey, RecordIsTombstone', () => {
    const topics = predicate('TopicNameMatches', { pattern: 'ord.*' });
    assert.equal(topics.test(sink(1)), true);
    assert.equal(topics.test(sink(1, { topic: 'xorders' })), false);
    const header = predicate('HasHeaderKey', { name: 'trace' });
    assert.equal(header.test(sink(1, { headers: [{ key: 'trace', value: 'a' }] })), true);
    assert.equal(header.test(sink(1)), false);
    const tomb = predicate('RecordIsTombstone');
    assert.equal(tomb.test(sink(null)), true);
    assert.equal(tomb.test(sink('x')), false);
  });
});

describe('Flatten and TimestampConverter', () => {
  test('Flatten: nested maps and structs with the delimiter', () => {
    assert.deepEqual(
      transform('Flatten$Value', { delimiter: '_' }).apply(sink({ a: { b: { c: 1 }, d: 2 }, e: [1], f: null }))?.value,
      { a_b_c: 1, a_d: 2, e: [1], f: null },
    );
    const inner = SchemaBuilder.struct().field('city', Schema.STRING_SCHEMA).build();
    const outer = SchemaBuilder.struct().field('id', Schema.INT32_SCHEMA).field('addr', inner).build();
    const value = new Struct(outer).put('id', 1).put('addr', new Struct(inner).put('city', 'Oslo'));
    const out = transform('Flatten$Value').apply(sink(value, { valueSchema: outer }))!;
    assert.deepEqual(
      out.valueSchema?.fields.map((f) => f.name),
      ['id', 'addr.city'],
    );
    assert.equal((out.value as Struct).get('addr.city'), 'Oslo');
  });

  test('TimestampConverter: string ⇄ unix ⇄ Timestamp/Date/Time, schemaless and struct', () => {
    const ms = Date.UTC(2024, 0, 15, 10, 30, 5, 123);
    const toText = transform('TimestampConverter$Value', {
      field: 'ts',
      'target.type': 'string',
      format: 'yyyy-MM-dd HH:mm:ss.SSS',
    });
    assert.deepEqual(toText.apply(sink({ ts: ms }))?.value, { ts: '2024-01-15 10:30:05.123' });
    const toUnix = transform('TimestampConverter$Value', {
      field: 'ts',
      'target.type': 'unix',
      format: 'yyyy-MM-dd HH:mm:ss.SSS',
      'unix.precision': 'seconds',
    });
    assert.deepEqual(toUnix.apply(sink({ ts: '2024-01-15 10:30:05.123' }))?.value, { ts: Math.trunc(ms / 1000) });
    const whole = transform('TimestampConverter$Value', { 'target.type': 'Date' }).apply(
      sink(ms, { valueSchema: Schema.INT64_SCHEMA }),
    )!;
    assert.equal(whole.valueSchema?.name, LogicalTypes.DATE);
    assert.equal((whole.value as Date).getTime(), Date.UTC(2024, 0, 15));
    const time = transform('TimestampConverter$Value', { 'target.type': 'Time' }).apply(sink(new Date(ms)))!;
    assert.equal((time.value as Date).getTime(), ms - Date.UTC(2024, 0, 15));
    const schema = SchemaBuilder.struct().field('ts', Schema.INT64_SCHEMA).build();
    const struct = transform('TimestampConverter$Value', { field: 'ts', 'target.type': 'Timestamp' }).apply(
      sink(new Struct(schema).put('ts', ms), { valueSchema: schema }),
    )!;
    assert.equal(struct.valueSchema?.field('ts')?.schema.name, LogicalTypes.TIMESTAMP);
    assert.deepEqual((struct.value as Struct).get('ts'), new Date(ms));
    assert.throws(
      () => transform('TimestampConverter$Value', { 'target.type': 'string' }),
      /requires format option to be specified/,
    );
    assert.throws(
      () => transform('TimestampConverter$Value', { 'target.type': 'epoch' }),
      /Invalid value epoch for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp/,
    );
  });

  test('SimpleDateFormat subset round trip', () => {
    const f = new SimpleDateFormat("yyyyMMdd'T'HHmmss");
    const d = new Date(Date.UTC(2023, 11, 31, 23, 59, 58));
    assert.equal(f.format(d), '20231231T235958');
    assert.deepEqual(f.parse('20231231T235958'), d);
    assert.throws(() => new SimpleDateFormat('yyyy-QQ'), /Illegal pattern character 'Q'/);
  });
});

describe('transformation chain', () => {
  test('applied in order, predicates and negate choose records, null ends the chain', () => {
    const chain = buildTransformationChain<SinkRecord>({
      transforms: 'dropTombstones,route,tag',
      'transforms.dropTombstones.type': `${P}Filter`,
      'transforms.dropTombstones.predicate': 'isTombstone',
      'transforms.route.type': `${P}RegexRouter`,
      'transforms.route.regex': 'dev-(.*)',
      'transforms.route.replacement': '$1',
      'transforms.tag.type': 'InsertField$Value',
      'transforms.tag.static.field': 'tagged',
      'transforms.tag.static.value': 'yes',
      'transforms.tag.predicate': 'isOrders',
      'transforms.tag.negate': 'true',
      predicates: 'isTombstone,isOrders',
      'predicates.isTombstone.type': `${P}predicates.RecordIsTombstone`,
      'predicates.isOrders.type': `${P}predicates.TopicNameMatches`,
      'predicates.isOrders.pattern': 'orders',
    });
    assert.equal(chain.apply(sink(null)), null);
    const routed = chain.apply(sink({ a: 1 }, { topic: 'dev-orders' }))!;
    assert.equal(routed.topic, 'orders');
    assert.deepEqual(routed.value, { a: 1 });
    assert.deepEqual(chain.apply(sink({ a: 1 }, { topic: 'users' }))?.value, { a: 1, tagged: 'yes' });
    assert.equal(routed.kafkaOffset, 42n);
  });

  test('a failing transformation is reported with its class name', () => {
    const chain = buildTransformationChain<SinkRecord>({
      transforms: 'x',
      'transforms.x.type': `${P}ExtractField$Value`,
      'transforms.x.field': 'f',
    });
    assert.throws(
      () => chain.apply(sink('not a map')),
      (error: unknown) => error instanceof TransformationError && error.className === `${P}ExtractField$Value`,
    );
  });

  test('validation names the keys: unknown class, missing type, bad option, unknown predicate', () => {
    const errors = (props: Record<string, string>) => {
      const result = validateTransformations(props);
      const out: Record<string, string[]> = {};
      for (const [name, value] of result.values) if (value.errors.length > 0) out[name] = value.errors;
      if (result.listErrors.transforms.length > 0) out.transforms = result.listErrors.transforms;
      return out;
    };
    assert.deepEqual(errors({ transforms: 'a', 'transforms.a.type': 'com.example.Nope' }), {
      'transforms.a.type': [
        'Invalid value com.example.Nope for configuration transforms.a.type: Class com.example.Nope could not be found.',
      ],
    });
    assert.deepEqual(errors({ transforms: 'a' }), {
      'transforms.a.type': ['Missing required configuration "transforms.a.type" which has no default value.'],
    });
    assert.deepEqual(errors({ transforms: 'a', 'transforms.a.type': `${P}ExtractField$Value` }), {
      'transforms.a.field': ['Missing required configuration "transforms.a.field" which has no default value.'],
    });
    assert.deepEqual(
      errors({ transforms: 'a', 'transforms.a.type': `${P}Cast$Value`, 'transforms.a.spec': 'x:nope' }),
      { 'transforms.a.spec': ['Invalid type found in casting spec: nope'] },
    );
    assert.deepEqual(errors({ transforms: 'a', 'transforms.a.type': `${P}Filter`, 'transforms.a.predicate': 'p' }), {
      'transforms.a.predicate': [
        'Invalid value p for configuration transforms.a.predicate: Predicate alias p not found in predicates',
      ],
    });
    assert.deepEqual(errors({ transforms: 'a,a', 'transforms.a.type': `${P}Filter` }), {
      transforms: ['Invalid value a,a for configuration transforms: Duplicate alias provided.'],
    });
    const ok = validateTransformations({
      transforms: 'a',
      'transforms.a.type': `${P}InsertField$Value`,
      'transforms.a.topic.field': 't',
    });
    assert.ok([...ok.values.values()].every((v) => v.errors.length === 0));
    assert.deepEqual(ok.keys.map((k) => [k.name, k.group]).slice(0, 4), [
      ['transforms.a.type', 'Transforms: a'],
      ['transforms.a.predicate', 'Transforms: a'],
      ['transforms.a.negate', 'Transforms: a'],
      ['transforms.a.topic.field', 'Transforms: a'],
    ]);
  });
});

describe('headers and schema metadata', () => {
  test('InsertHeader adds a literal header, DropHeaders removes every header of those names', () => {
    const withHeader = transform('InsertHeader', { header: 'source', 'value.literal': 'connect' }).apply(
      sink(1, { headers: [{ key: 'a', value: '1' }] }),
    )!;
    assert.deepEqual(withHeader.headers, [
      { key: 'a', value: '1' },
      { key: 'source', value: 'connect' },
    ]);
    const dropped = transform('DropHeaders', { headers: 'a,b' }).apply(
      sink(1, {
        headers: [
          { key: 'a', value: '1' },
          { key: 'c', value: '3' },
          { key: 'b', value: '2' },
          { key: 'a', value: '4' },
        ],
      }),
    )!;
    assert.deepEqual(dropped.headers, [{ key: 'c', value: '3' }]);
  });

  test('SetSchemaMetadata renames the schema and the struct follows; schemaless is refused', () => {
    const out = transform('SetSchemaMetadata$Value', {
      'schema.name': 'com.example.Person',
      'schema.version': '2',
    }).apply(sink(person('ann', 3), { valueSchema: PERSON }))!;
    assert.equal(out.valueSchema?.name, 'com.example.Person');
    assert.equal(out.valueSchema?.version, 2);
    assert.equal((out.value as Struct).schema, out.valueSchema);
    assert.equal((out.value as Struct).get('name'), 'ann');
    assert.throws(
      () => transform('SetSchemaMetadata$Value', { 'schema.name': 'x' }).apply(sink({ a: 1 })),
      /Schema required for \[updating schema metadata\]/,
    );
  });

  test('a registered custom transformation is usable in a chain', () => {
    registerTransformation('com.example.Upper', () => ({
      configure() {},
      config: () => new ConfigDef(),
      apply: (r) => ({ ...r, value: String(r.value).toUpperCase() }),
      close() {},
    }));
    const chain = buildTransformationChain<SinkRecord>({ transforms: 'u', 'transforms.u.type': 'com.example.Upper' });
    assert.equal(chain.apply(sink('abc'))?.value, 'ABC');
  });
});

describe('sink connector checks', () => {
  test('the DLQ topic may not be one of the consumed topics (Kafka message)', () => {
    const check = (props: Record<string, string>) => {
      const values = SINK_CONNECTOR_CONFIG_DEF.validate(props);
      validateSinkTopics(values, props);
      return values.get('errors.deadletterqueue.topic.name')?.errors;
    };
    assert.deepEqual(check({ topics: 'a, dlq', 'errors.deadletterqueue.topic.name': 'dlq' }), [
      "The DLQ topic 'dlq' may not be included in the list of topics ('topics=[a, dlq]') to be consumed.",
    ]);
    assert.deepEqual(check({ 'topics.regex': 'd.*', 'errors.deadletterqueue.topic.name': 'dlq' }), [
      "The DLQ topic 'dlq' may not be included in the regex matching the topics ('topics.regex=d.*') to be consumed.",
    ]);
    assert.deepEqual(check({ topics: 'a', 'errors.deadletterqueue.topic.name': 'dlq' }), []);
  });
});
