import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { Consumed } from '../../src/dsl/consumed.js';
import { Produced } from '../../src/dsl/produced.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { LogAndContinueExceptionHandler } from '../../src/errors/deserialization-exception-handler.js';
import type { ConsumerRecord } from '../../src/processor/timestamp-extractor.js';
import { Serdes } from '../../src/serde/serdes.js';
import type { StreamsConfigInput } from '../../src/streams-config.js';
import { TopologyTestDriver } from '../../src/test-utils/topology-test-driver.js';

const S = Serdes.String();
let driver: TopologyTestDriver | undefined;

afterEach(() => {
  driver?.close();
  driver = undefined;
});

function passThrough(config: StreamsConfigInput): TopologyTestDriver {
  const builder = new StreamsBuilder();
  builder.stream('in', Consumed.with(S, S)).to('out', Produced.with(S, S));
  return new TopologyTestDriver(builder.build(), { 'application.id': 'errors', ...config });
}

const out = (d: TopologyTestDriver) =>
  d
    .createOutputTopic('out', S.deserializer(), S.deserializer())
    .readRecordsToList()
    .map((r) => `${r.value}@${r.timestamp}`);

const dropped = (d: TopologyTestDriver) =>
  d
    .metrics()
    .find((m) => m.name === 'dropped-records-total')
    ?.metricValue();

test('default timestamp extractor (FailOnInvalidTimestamp): a negative timestamp stops processing', () => {
  driver = passThrough({});
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('k', 'ok', 5);
  assert.throws(() => input.pipeInput('k', 'bad', -1), /StreamsException|has invalid \(negative\) timestamp/);
  assert.deepEqual(out(driver), ['ok@5']);
});

test('LogAndSkipOnInvalidTimestamp skips and counts; UsePartitionTimeOnInvalidTimestamp uses the partition time', () => {
  driver = passThrough({
    'default.timestamp.extractor': 'org.apache.kafka.streams.processor.LogAndSkipOnInvalidTimestamp',
  });
  let input = driver.createInputTopic('in', S.serializer(), S.serializer());
  input.pipeInput('k', 'bad', -1);
  input.pipeInput('k', 'ok', 7);
  assert.deepEqual(out(driver), ['ok@7']);
  assert.equal(dropped(driver), 1);
  driver.close();

  driver = passThrough({ 'default.timestamp.extractor': 'UsePartitionTimeOnInvalidTimestamp' });
  input = driver.createInputTopic('in', S.serializer(), S.serializer());
  assert.throws(() => input.pipeInput('k', 'first', -1), /because partition time is unknown/);
  input.pipeInput('k', 'a', 100);
  input.pipeInput('k', 'b', -1);
  assert.deepEqual(out(driver), ['a@100', 'b@100']);
});

test('WallclockTimestampExtractor and a user function', () => {
  driver = passThrough({ 'default.timestamp.extractor': 'WallclockTimestampExtractor' });
  const input = driver.createInputTopic('in', S.serializer(), S.serializer());
  const before = Date.now();
  input.pipeInput('k', 'v', 1);
  const after = Date.now();
  const [record] = driver.createOutputTopic('out', S.deserializer(), S.deserializer()).readRecordsToList();
  assert.ok((record?.timestamp ?? 0) >= before && (record?.timestamp ?? 0) <= after);
  driver.close();

  driver = passThrough({
    'default.timestamp.extractor': (record: ConsumerRecord) => Number(String(record.value()).split(':')[1]),
  });
  const input2 = driver.createInputTopic('in', S.serializer(), S.serializer());
  input2.pipeInput('k', 'at:42', 1);
  assert.deepEqual(out(driver), ['at:42@42']);
  assert.throws(() => passThrough({ 'default.timestamp.extractor': 'NoSuchExtractor' }), /could not be found/);
});

test('deserialization errors: LogAndContinueExceptionHandler skips and counts; the default fails naming topic/partition/offset', () => {
  const builder = new StreamsBuilder();
  builder.stream('in', Consumed.with(S, Serdes.Long())).mapValues(String).to('out', Produced.with(S, S));
  const topology = builder.build();
  driver = new TopologyTestDriver(topology, {
    'application.id': 'errors',
    'default.deserialization.exception.handler': new LogAndContinueExceptionHandler(),
  });
  let input = driver.createInputTopic('in', S.serializer(), Serdes.ByteArray().serializer());
  input.pipeInput('k', Buffer.from([1, 2, 3]), 1); // not 8 bytes: not a Long
  input.pipeInput('k', Buffer.alloc(8, 0), 2);
  assert.deepEqual(out(driver), ['0@2']);
  assert.equal(dropped(driver), 1);
  driver.close();

  driver = new TopologyTestDriver(topology, { 'application.id': 'errors' });
  input = driver.createInputTopic('in', S.serializer(), Serdes.ByteArray().serializer());
  input.pipeInput('k', Buffer.alloc(8, 0), 1);
  assert.throws(
    () => input.pipeInput('k', Buffer.from([1]), 2),
    /Deserialization exception handler is set to fail upon a deserialization error.*topic: in, partition: 0, offset: 1/,
  );
});

test('Consumed.withTimestampExtractor: one source reads its timestamps from the value, the other keeps the default', () => {
  const builder = new StreamsBuilder();
  const fromValue = (record: ConsumerRecord) => Number(String(record.value()).split(':')[1]);
  builder
    .stream('timed', Consumed.with(S, S).withTimestampExtractor(fromValue))
    .merge(builder.stream('in', Consumed.with(S, S)))
    .to('out', Produced.with(S, S));
  driver = new TopologyTestDriver(builder.build(), { 'application.id': 'per-source-extractor' });
  driver.createInputTopic('timed', S.serializer(), S.serializer()).pipeInput('k', 'at:42', 1);
  driver.createInputTopic('in', S.serializer(), S.serializer()).pipeInput('k', 'at:99', 7);
  assert.deepEqual(out(driver), ['at:42@42', 'at:99@7']);
  // Consumed.with(keySerde, valueSerde, extractor), as Java's three-argument overload.
  const consumed = Consumed.with(S, S, { extract: () => 5 });
  assert.equal(consumed.timestampExtractor?.extract(undefined as never, -1), 5);
});
