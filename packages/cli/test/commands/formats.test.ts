import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConsumerRecord } from '@samsa/client';
import { parseAddConfig } from '../../src/commands/configs-command.js';
import { consumerPerfHeader } from '../../src/commands/consumer-perf-test-command.js';
import { DefaultMessageFormatter } from '../../src/commands/default-message-formatter.js';
import { LineMessageReader } from '../../src/commands/line-message-reader.js';
import { parseReplicaAssignment } from '../../src/commands/topics/topic-arguments.js';
import { fixed, simpleDateFormat } from '../../src/support/java-format.js';
import { topicFilter } from '../../src/support/topic-partition-filter.js';

const record = (over: Partial<ConsumerRecord<Buffer, Buffer>> = {}): ConsumerRecord<Buffer, Buffer> => ({
  topic: 't',
  partition: 1,
  offset: 7n,
  timestamp: 1700000000000,
  timestampType: 'CreateTime',
  key: Buffer.from('k'),
  value: Buffer.from('v'),
  headers: [{ key: 'h', value: Buffer.from('x') }],
  leaderEpoch: 0,
  serializedKeySize: 1,
  serializedValueSize: 1,
  ...over,
});

test("DefaultMessageFormatter: fields in Kafka's order, tab-separated, null literal", () => {
  const all = new DefaultMessageFormatter(
    new Map([
      ['print.timestamp', 'true'],
      ['print.partition', 'true'],
      ['print.offset', 'true'],
      ['print.headers', 'true'],
      ['print.key', 'true'],
    ]),
  );
  assert.equal(all.format(record()).toString(), 'CreateTime:1700000000000\tPartition:1\tOffset:7\th:x\tk\tv\n');
  const keyOnly = new DefaultMessageFormatter(
    new Map([
      ['print.key', 'true'],
      ['key.separator', ':'],
    ]),
  );
  assert.equal(keyOnly.format(record({ key: null })).toString(), 'null:v\n');
  assert.equal(new DefaultMessageFormatter(new Map()).format(record()).toString(), 'v\n');
});

test('LineMessageReader: headers, key and value; null.marker; missing separator', () => {
  const reader = new LineMessageReader(
    new Map([
      ['parse.key', 'true'],
      ['key.separator', ':'],
      ['parse.headers', 'true'],
      ['null.marker', 'NULL'],
    ]),
  );
  const r = reader.read('a:1,b:NULL\tkey:value:with:colons');
  assert.deepEqual(r.headers, [
    { key: 'a', value: Buffer.from('1') },
    { key: 'b', value: null },
  ]);
  assert.deepEqual([r.key?.toString(), r.value?.toString()], ['key', 'value:with:colons']);
  assert.throws(() => reader.read('no-tab'), /No headers delimiter found on line number 2: 'no-tab'/);
});

test('topics: replica assignments and --topic regular expressions', () => {
  assert.deepEqual(
    [...parseReplicaAssignment('0:1,1:2')],
    [
      [0, [0, 1]],
      [1, [1, 2]],
    ],
  );
  assert.throws(() => parseReplicaAssignment('0:0'), /may not contain duplicate entries: 0/);
  const f = topicFilter('test.*');
  assert.ok(f('test-1') && !f('a-test'));
});

test('configs --add-config groups values in brackets', () => {
  assert.deepEqual(
    [...parseAddConfig('a=1,b=[x,y],c= 3')],
    [
      ['a', '1'],
      ['b', 'x,y'],
      ['c', '3'],
    ],
  );
});

test('Java number and date formatting of the perf tools', () => {
  assert.equal(fixed(1.25, 1), '1.3');
  assert.equal(fixed(0.005, 2), '0.01');
  assert.equal(
    simpleDateFormat('yyyy-MM-dd HH:mm:ss:SSS', new Date(2020, 0, 2, 3, 4, 5, 6).getTime()),
    '2020-01-02 03:04:05:006',
  );
  assert.equal(consumerPerfHeader(false).split(', ').length, 10);
});
