import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkSourceOffsets,
  offsetsModifiedMessage,
  parseSinkOffsets,
  requireOffsets,
  sinkGroupId,
} from '../src/runtime/connector-offsets.js';

// The request checks of KIP-875's PATCH …/offsets, with Kafka's messages (SinkUtils, ConnectorsResource).

const rejects = (fn: () => unknown, message: string) =>
  assert.throws(fn, (error: Error & { statusCode?: number }) => {
    assert.equal(error.statusCode, 400);
    assert.equal(error.message, message);
    return true;
  });

describe('KIP-875 offsets requests', () => {
  test('a body without offsets is refused', () => {
    for (const body of [undefined, null, {}, { offsets: [] }]) {
      rejects(() => requireOffsets(body), 'Partitions / offsets need to be provided for an alter offsets request');
    }
  });

  test("sink entries: Kafka's checks, numbers given as numbers or strings", () => {
    assert.deepEqual(
      parseSinkOffsets([
        { partition: { kafka_topic: 't', kafka_partition: 1 }, offset: { kafka_offset: 10 } },
        { partition: { kafka_topic: 't', kafka_partition: '2' }, offset: { kafka_offset: '9007199254740993' } },
        { partition: { kafka_topic: 't', kafka_partition: 3 }, offset: null },
      ]),
      [
        { topic: 't', partition: 1, offset: 10n },
        { topic: 't', partition: 2, offset: 9007199254740993n },
        { topic: 't', partition: 3, offset: null },
      ],
    );
    rejects(
      // biome-ignore lint/suspicious/noExplicitAny: a malformed body, as JSON may carry it
      () => parseSinkOffsets([{ partition: null as any, offset: null }]),
      'The partition for a sink connector offset cannot be null or missing',
    );
    rejects(
      () => parseSinkOffsets([{ partition: {}, offset: null }]),
      "The partition for a sink connector offset must contain the keys 'kafka_topic' and 'kafka_partition'",
    );
    rejects(
      () => parseSinkOffsets([{ partition: { kafka_topic: null, kafka_partition: 0 }, offset: null }]),
      'Kafka topic names must be valid strings and may not be null',
    );
    rejects(
      () => parseSinkOffsets([{ partition: { kafka_topic: 't', kafka_partition: 'x' }, offset: null }]),
      "Failed to parse the following Kafka partition value in the provided offsets: 'x'. Partition values for sink connectors need to be integers.",
    );
    rejects(
      () => parseSinkOffsets([{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: {} }]),
      "The offset for a sink connector should either be null or contain the key 'kafka_offset'",
    );
    rejects(
      () => parseSinkOffsets([{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 1.5 } }]),
      "Failed to parse the following Kafka offset value in the provided offsets: '1.5'. Offset values for sink connectors need to be integers.",
    );
  });

  test('source entries: a partition object of primitive values', () => {
    assert.deepEqual(
      // biome-ignore lint/suspicious/noExplicitAny: a missing offset, as JSON may carry it
      checkSourceOffsets([{ partition: { filename: 'a' }, offset: { position: 1 } }, { partition: { a: 1 } } as any]),
      [
        { partition: { filename: 'a' }, offset: { position: 1 } },
        { partition: { a: 1 }, offset: null },
      ],
    );
    // biome-ignore lint/suspicious/noExplicitAny: a malformed body, as JSON may carry it
    rejects(() => checkSourceOffsets([{ partition: null as any, offset: null }]), 'Source partitions may not be null');
    assert.throws(() => checkSourceOffsets([{ partition: { a: { b: 1 } }, offset: null }]), {
      statusCode: 500,
      message: 'Offsets may only contain primitive types as values, but field a contains MAP',
    });
    assert.throws(() => checkSourceOffsets([{ partition: { a: 1 }, offset: { b: [1] } }]), {
      statusCode: 500,
      message: 'Offsets may only contain primitive types as values, but field b contains ARRAY',
    });
  });

  test("Kafka's answers and the sink group", () => {
    assert.equal(offsetsModifiedMessage(false, true), 'The offsets for this connector have been altered successfully');
    assert.equal(offsetsModifiedMessage(true, true), 'The offsets for this connector have been reset successfully');
    assert.match(offsetsModifiedMessage(true, false), /^The Connect framework-managed offsets .* manually reset in/);
    assert.equal(sinkGroupId('s', {}), 'connect-s');
    assert.equal(sinkGroupId('s', { 'consumer.override.group.id': 'g' }), 'g');
  });
});
