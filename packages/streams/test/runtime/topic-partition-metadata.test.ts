import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeTopicPartitionMetadata,
  encodeTopicPartitionMetadata,
  UNKNOWN_PARTITION_TIME,
} from '../../src/runtime/topic-partition-metadata.js';

// Java's TopicPartitionMetadata bytes, written out by hand: magic 2, int64 partition time, then
// ProcessorMetadata as int32 count and (int32 key length, UTF-8 key, int64 value) per entry.
const javaBytes = Buffer.concat([
  Buffer.from([2]),
  Buffer.from([0, 0, 0, 0, 0, 0, 0x04, 0xd2]), // 1234
  Buffer.from([0, 0, 0, 1]),
  Buffer.from([0, 0, 0, 5]),
  Buffer.from('store', 'utf8'),
  Buffer.from([0, 0, 1, 0x8b, 0xcf, 0xe5, 0x68, 0x00]), // 1_700_000_000_000
]);

test("encodes as Java's TopicPartitionMetadata.encode (base64)", () => {
  assert.equal(
    encodeTopicPartitionMetadata(1234, new Map([['store', 1_700_000_000_000]])),
    javaBytes.toString('base64'),
  );
  // No processor metadata: magic and partition time only (Java serializes an empty map as nothing).
  assert.equal(
    encodeTopicPartitionMetadata(-1, new Map()),
    Buffer.from([2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).toString('base64'),
  );
});

test('decodes versions 2 and 1; anything else is unknown, as Java treats it', () => {
  const decoded = decodeTopicPartitionMetadata(javaBytes.toString('base64'));
  assert.equal(decoded.partitionTime, 1234);
  assert.deepEqual([...decoded.processorMetadata], [['store', 1_700_000_000_000]]);
  const v1 = decodeTopicPartitionMetadata(Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 7]).toString('base64'));
  assert.deepEqual([v1.partitionTime, v1.processorMetadata.size], [7, 0]);
  for (const bad of ['', null, Buffer.from([9, 0, 0, 0, 0, 0, 0, 0, 7]).toString('base64'), 'AQ==']) {
    const unknown = decodeTopicPartitionMetadata(bad);
    assert.deepEqual([unknown.partitionTime, unknown.processorMetadata.size], [UNKNOWN_PARTITION_TIME, 0]);
  }
  // An entry that claims more bytes than there are: unknown, not a crash.
  const truncated = Buffer.concat([javaBytes.subarray(0, 13), Buffer.from([0, 0, 0, 50])]);
  assert.equal(decodeTopicPartitionMetadata(truncated.toString('base64')).partitionTime, UNKNOWN_PARTITION_TIME);
});
