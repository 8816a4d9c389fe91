/**
 * The verifiable clients' JSON events, compared with the lines Kafka's VerifiableProducer and
 * VerifiableConsumer print (Jackson: `timestamp`, `name`, then fields before accessors), and
 * their argparse4j usage and errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ConsumerRecord, KafkaConnectionError, KafkaError } from '@samsa/client';
import {
  commitOffsets,
  offsetsCommittedEvent,
  partitionsEvent,
  recordDataEvent,
  recordsConsumedEvent,
  takeRecords,
  verifiableConsumerTool,
} from '../../src/commands/verifiable-consumer-command.js';
import {
  RepeatingKeys,
  sendErrorEvent,
  sendErrorMessage,
  sendSuccessEvent,
  toolDataEvent,
  verifiableProducerTool,
  verifiableValue,
} from '../../src/commands/verifiable-producer-command.js';
import { javaDouble } from '../../src/support/java-format.js';
import { eventLine } from '../../src/support/json-event.js';
import { ThroughputThrottler } from '../../src/support/throughput-throttler.js';

/** The event with its timestamp replaced, for comparing whole lines. */
const at0 = (line: string) => line.replace(/^\{"timestamp":\d+,/, '{"timestamp":0,');

const record = (partition: number, offset: bigint, value: string): ConsumerRecord<string, string> => ({
  topic: 't',
  partition,
  offset,
  timestamp: 1000 + Number(offset),
  timestampType: 'CreateTime',
  key: null,
  value,
  headers: [],
  leaderEpoch: 0,
  serializedKeySize: -1,
  serializedValueSize: value.length,
});

test("javaDouble prints as Java's Double.toString", () => {
  assert.equal(javaDouble(20), '20.0');
  assert.equal(javaDouble(32.15434083601286), '32.15434083601286');
  assert.equal(javaDouble(0), '0.0');
  assert.equal(javaDouble(0.001), '0.001');
  assert.equal(javaDouble(0.0001), '1.0E-4');
  assert.equal(javaDouble(12345678.9), '1.23456789E7');
  assert.equal(javaDouble(1e7), '1.0E7');
  assert.equal(javaDouble(9999999), '9999999.0');
  assert.equal(javaDouble(Number.NaN), 'NaN');
  assert.equal(javaDouble(Number.POSITIVE_INFINITY), 'Infinity');
});

test('producer events in the field order Kafka prints them', () => {
  assert.equal(at0(eventLine('startup_complete')), '{"timestamp":0,"name":"startup_complete"}\n');
  const metadata = {
    topic: 'verify-test',
    partition: 0,
    offset: 13n,
    timestamp: 0,
    serializedKeySize: -1,
    serializedValueSize: 1,
  };
  assert.equal(
    at0(sendSuccessEvent(null, '0', metadata)),
    '{"timestamp":0,"name":"producer_send_success","key":null,"value":"0","topic":"verify-test","partition":0,"offset":13}\n',
  );
  assert.equal(
    at0(sendSuccessEvent('3', '7.2', { ...metadata, offset: 9007199254740993n })),
    '{"timestamp":0,"name":"producer_send_success","key":"3","value":"7.2","topic":"verify-test","partition":0,"offset":9007199254740993}\n',
  );
  const error = new KafkaError(19, 'producing to rc-topic-001-0');
  assert.equal(
    at0(sendErrorEvent('rc-topic-001', null, '7.4', error)),
    '{"timestamp":0,"name":"producer_send_error","topic":"rc-topic-001","key":null,"value":"7.4","exception":"class org.apache.kafka.common.errors.NotEnoughReplicasException","message":"Messages are rejected since there are fewer in-sync replicas than required."}\n',
  );
  assert.equal(
    at0(toolDataEvent(4, 4, 20, 200)),
    '{"timestamp":0,"name":"tool_data","sent":4,"acked":4,"target_throughput":20,"avg_throughput":20.0}\n',
  );
  assert.equal(at0(toolDataEvent(0, 0, -1, 0)).includes('"avg_throughput":"NaN"'), true);
});

test("a send error's message is the broker's, else the error's standard text, without the client's context", () => {
  assert.equal(
    sendErrorMessage(new KafkaError(6, 'producing to t-1')),
    'For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.',
  );
  assert.equal(sendErrorMessage(new KafkaError(10, 'producing to t-1: too big, 2000 > 1000')), 'too big, 2000 > 1000');
  assert.equal(
    sendErrorMessage(new KafkaConnectionError('127.0.0.1:9092 (id 2)', 'read ECONNRESET')),
    'The server disconnected before a response was received.',
  );
  assert.equal(sendErrorMessage(new Error('first line\nsecond')), 'first line');
});

test('values are the integer sequence with the optional prefix; repeating keys wrap as in Kafka', () => {
  assert.deepEqual(
    [0, 1, 2].map((n) => verifiableValue(n, undefined)),
    ['0', '1', '2'],
  );
  assert.equal(verifiableValue(499999, 1234567), '1234567.499999');
  const keys = new RepeatingKeys(3);
  assert.deepEqual(
    Array.from({ length: 7 }, () => keys.next()),
    ['0', '1', '2', '0', '1', '2', '0'],
  );
  assert.equal(new RepeatingKeys(undefined).next(), null);
  // --repeating-keys 0: the counter is compared after the increment and never wraps.
  const zero = new RepeatingKeys(0);
  assert.deepEqual([zero.next(), zero.next(), zero.next()], ['0', '1', '2']);
});

test('consumer events: a poll by partition, cut at --max-messages, count of the whole poll', () => {
  const batch = [record(1, 5n, 'a'), record(0, 7n, 'b'), record(1, 6n, 'c'), record(0, 8n, 'd')];
  const all = takeRecords(batch, -1);
  assert.deepEqual(
    all.map((p) => [p.partition, p.records.map((r) => r.value)]),
    [
      [1, ['a', 'c']],
      [0, ['b', 'd']],
    ],
  );
  assert.equal(
    at0(recordsConsumedEvent(batch.length, all)),
    '{"timestamp":0,"name":"records_consumed","count":4,"partitions":[{"topic":"t","partition":1,"count":2,"minOffset":5,"maxOffset":6},{"topic":"t","partition":0,"count":2,"minOffset":7,"maxOffset":8}]}\n',
  );
  const cut = takeRecords(batch, 3);
  assert.equal(
    at0(recordsConsumedEvent(batch.length, cut)),
    '{"timestamp":0,"name":"records_consumed","count":4,"partitions":[{"topic":"t","partition":1,"count":2,"minOffset":5,"maxOffset":6},{"topic":"t","partition":0,"count":1,"minOffset":7,"maxOffset":7}]}\n',
  );
  assert.deepEqual(takeRecords(batch, 2).length, 1);
  const offsets = commitOffsets(cut);
  assert.equal(
    at0(offsetsCommittedEvent(offsets, undefined)),
    '{"timestamp":0,"name":"offsets_committed","offsets":[{"topic":"t","partition":1,"offset":7},{"topic":"t","partition":0,"offset":8}],"success":true}\n',
  );
  assert.equal(
    at0(offsetsCommittedEvent(offsets.slice(0, 1), new KafkaError(25, 'commit g: UNKNOWN_MEMBER_ID'))),
    '{"timestamp":0,"name":"offsets_committed","offsets":[{"topic":"t","partition":1,"offset":7}],"error":"The coordinator is not aware of this member.","success":false}\n',
  );
  assert.equal(
    at0(recordDataEvent(record(0, 7n, 'b'))),
    '{"timestamp":0,"name":"record_data","key":null,"value":"b","topic":"t","partition":0,"offset":7}\n',
  );
  assert.equal(
    at0(
      partitionsEvent('partitions_assigned', [
        { topic: 't', partition: 0 },
        { topic: 't', partition: 2 },
      ]),
    ),
    '{"timestamp":0,"name":"partitions_assigned","partitions":[{"topic":"t","partition":0},{"topic":"t","partition":2}]}\n',
  );
  assert.equal(
    at0(partitionsEvent('partitions_revoked', [])),
    '{"timestamp":0,"name":"partitions_revoked","partitions":[]}\n',
  );
});

test("ThroughputThrottler throttles as Kafka's: never below 0, only once ahead of the rate", () => {
  const unlimited = new ThroughputThrottler(-1, 0);
  assert.equal(unlimited.shouldThrottle(1_000_000, 1), false);
  const hundred = new ThroughputThrottler(100, 0);
  assert.equal(hundred.shouldThrottle(5, 0), false, 'no time elapsed yet');
  assert.equal(hundred.shouldThrottle(5, 100), false);
  assert.equal(hundred.shouldThrottle(11, 100), true);
});

test('argparse4j usage and errors', () => {
  const usage = verifiableProducerTool.formatHelp?.(verifiableProducerTool.specs) ?? '';
  const lines = usage.split('\n');
  assert.equal(lines[0], 'usage: verifiable-producer [-h] --topic TOPIC [--max-messages MAX-MESSAGES]');
  assert.ok(lines.includes('                           (--bootstrap-server HOST1:PORT1[,HOST2:PORT2[...]] |'));
  assert.ok(lines.includes('optional arguments:'));
  assert.ok(lines.includes('  -h, --help             show this help message and exit'));
  assert.ok(lines.includes('  --topic TOPIC          Produce messages to this topic.'));
  assert.ok(lines.includes('Connection Group:'));
  assert.ok(lines.every((l) => l.length <= 80 || l.includes('HOST1:PORT1[')));
  assert.equal(
    verifiableConsumerTool.formatUsageError?.('argument --group-id is required').split('\n').at(-1),
    'verifiable-consumer: error: argument --group-id is required',
  );
  const consumerHelp = verifiableConsumerTool.formatHelp?.(verifiableConsumerTool.specs) ?? '';
  assert.match(consumerHelp, /^ {2}--enable-autocommit {4}Enable offset auto-commit on consumer \(default: false\)$/m);
  assert.match(consumerHelp.replace(/\s+/g, ' '), /\(default: org\.apache\.kafka\.clients\.consumer\.RangeAssignor\)/);
});
