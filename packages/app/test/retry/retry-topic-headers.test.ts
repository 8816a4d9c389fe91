/**
 * The retry headers' encodings against bytes written by hand as Spring writes them
 * (DeadLetterPublishingRecovererFactory.addHeaders): `retry_topic-original-timestamp` and
 * `retry_topic-backoff-timestamp` as `BigInteger.valueOf(ms).toByteArray()`,
 * `retry_topic-attempts` as `ByteBuffer.allocate(4).putInt(n)`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsumerRecord, RecordHeader } from '@samsa/client';
import type { RawProducerRecord } from '../../src/error/dead-letter-publishing-recoverer.js';
import { silentLogger } from '../../src/index.js';
import { destinationTopics } from '../../src/retry/destination-topics.js';
import { retryTopicForwarder } from '../../src/retry/retry-topic-forwarder.js';
import {
  attemptsOf,
  bigIntegerBytes,
  dueTimestampOf,
  originalTimestampOf,
  readBigInteger,
  retryHeaders,
} from '../../src/retry/retry-topic-headers.js';
import { RetryTopicHeaders } from '../../src/support/kafka-headers.js';

// 1_700_000_000_000 = 0x018B_CFE5_6800: BigInteger.toByteArray() gives these six bytes.
const SPRING_TS = 1_700_000_000_000;
const SPRING_TS_BYTES = Buffer.from([0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00]);
// 1_700_000_001_000 = 0x018B_CFE5_6BE8.
const SPRING_DUE = 1_700_000_001_000;
const SPRING_DUE_BYTES = Buffer.from([0x01, 0x8b, 0xcf, 0xe5, 0x6b, 0xe8]);

const h = (key: string, value: Buffer): RecordHeader => ({ key, value });

describe('retry topic headers', () => {
  it('writes and reads BigInteger.toByteArray() bytes', () => {
    const cases: [bigint, number[]][] = [
      [0n, [0x00]],
      [1n, [0x01]],
      [127n, [0x7f]],
      [128n, [0x00, 0x80]], // a leading zero keeps it positive
      [255n, [0x00, 0xff]],
      [256n, [0x01, 0x00]],
      [-1n, [0xff]], // a record without a timestamp
      [-128n, [0x80]],
      [-129n, [0xff, 0x7f]],
      [0x80_0000_0000n, [0x00, 0x80, 0x00, 0x00, 0x00, 0x00]],
      [BigInt(SPRING_TS), [...SPRING_TS_BYTES]],
      [0x7fff_ffff_ffff_ffffn, [0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
    ];
    for (const [value, bytes] of cases) {
      assert.deepEqual([...bigIntegerBytes(value)], bytes, `toByteArray(${value})`);
      assert.equal(readBigInteger(Buffer.from(bytes)), value, `new BigInteger(${bytes})`);
    }
  });

  it('reads the original timestamp Spring writes (6 bytes), and the 8-byte long written before', () => {
    assert.equal(originalTimestampOf([h(RetryTopicHeaders.ORIGINAL_TIMESTAMP, SPRING_TS_BYTES)], 0), SPRING_TS);
    const long = Buffer.alloc(8);
    long.writeBigInt64BE(BigInt(SPRING_TS));
    assert.equal(originalTimestampOf([h(RetryTopicHeaders.ORIGINAL_TIMESTAMP, long)], 0), SPRING_TS);
    assert.equal(originalTimestampOf([], 42), 42, 'no header: the record’s own timestamp');
    assert.equal(
      originalTimestampOf([h(RetryTopicHeaders.ORIGINAL_TIMESTAMP, Buffer.alloc(0))], 42),
      42,
      'an empty header counts as none',
    );
    assert.equal(dueTimestampOf([h(RetryTopicHeaders.BACKOFF_TIMESTAMP, SPRING_DUE_BYTES)]), SPRING_DUE);
    assert.equal(attemptsOf([h(RetryTopicHeaders.ATTEMPTS, Buffer.from([0, 0, 0, 3]))]), 3);
    assert.equal(attemptsOf([h(RetryTopicHeaders.ATTEMPTS, Buffer.from([2]))]), 2, 'the one byte before 2.7');
  });

  it('writes the headers byte for byte as Spring does', () => {
    const headers = retryHeaders(2, SPRING_TS, SPRING_DUE);
    const byKey = new Map(headers.map((x) => [x.key, x.value]));
    assert.deepEqual(byKey.get(RetryTopicHeaders.ORIGINAL_TIMESTAMP), SPRING_TS_BYTES);
    assert.deepEqual(byKey.get(RetryTopicHeaders.ATTEMPTS), Buffer.from([0, 0, 0, 2]));
    assert.deepEqual(byKey.get(RetryTopicHeaders.BACKOFF_TIMESTAMP), SPRING_DUE_BYTES);
    assert.equal(retryHeaders(3, SPRING_TS, undefined).length, 2, 'no back-off header on the way to the DLT');
  });

  it('forwards a record from a Spring retry topic keeping its 6-byte original timestamp', async () => {
    const sent: RawProducerRecord[] = [];
    const options = { attempts: 3, backoff: { delayMs: 1000 } };
    const topics = destinationTopics('orders', options);
    const forward = retryTopicForwarder(
      { send: async (record) => void sent.push(record) },
      topics,
      options,
      silentLogger,
    );
    const raw: ConsumerRecord<Buffer, Buffer> = {
      topic: 'orders-retry-0',
      partition: 0,
      offset: 5n,
      timestamp: SPRING_TS + 1500, // when Spring republished it; not the original
      timestampType: 'CreateTime',
      key: null,
      value: Buffer.from('x'),
      headers: [
        h(RetryTopicHeaders.ORIGINAL_TIMESTAMP, SPRING_TS_BYTES),
        h(RetryTopicHeaders.ATTEMPTS, Buffer.from([0, 0, 0, 2])),
        h(RetryTopicHeaders.BACKOFF_TIMESTAMP, SPRING_DUE_BYTES),
      ],
      leaderEpoch: -1,
      serializedKeySize: -1,
      serializedValueSize: 1,
    };
    const before = Date.now();
    await forward({ raw, record: undefined }, new Error('still failing'), { groupId: 'g', listenerId: 'l' });
    assert.equal(sent.length, 1);
    const out = sent[0] as RawProducerRecord;
    assert.equal(out.topic, 'orders-retry-1');
    const values = (key: string) => out.headers.filter((x) => x.key === key).map((x) => x.value);
    assert.deepEqual(values(RetryTopicHeaders.ORIGINAL_TIMESTAMP), [SPRING_TS_BYTES], 'carried unchanged, once');
    assert.deepEqual(values(RetryTopicHeaders.ATTEMPTS), [Buffer.from([0, 0, 0, 3])]);
    const [due] = values(RetryTopicHeaders.BACKOFF_TIMESTAMP) as [Buffer];
    assert.equal(due.length, 6, 'BigInteger bytes of an epoch-ms due time');
    assert.ok(Number(readBigInteger(due)) >= before + 1000);
  });
});
