import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from '../../src/consumer/consumer-protocol.js';

describe('consumer protocol bytes', () => {
  it('round-trips a v3 subscription with owned partitions, generation and rack', () => {
    const bytes = encodeSubscription({
      topics: ['b', 'a'],
      userData: Buffer.from('u'),
      ownedPartitions: [
        { topic: 'a', partition: 1 },
        { topic: 'a', partition: 0 },
        { topic: 'b', partition: 2 },
      ],
      generationId: 7,
      rackId: 'r1',
    });
    assert.equal(bytes.readInt16BE(0), 3);
    const sub = decodeSubscription('m', 'i', bytes);
    assert.deepEqual(sub.topics, ['b', 'a']);
    assert.equal(sub.userData?.toString(), 'u');
    assert.deepEqual(sub.ownedPartitions, [
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 1 },
      { topic: 'b', partition: 2 },
    ]);
    assert.equal(sub.generationId, 7);
    assert.equal(sub.rackId, 'r1');
    assert.equal(sub.groupInstanceId, 'i');
  });

  it('reads a v0 subscription as librdkafka and KafkaJS write it (no owned partitions, generation -1)', () => {
    // version 0, topics ["t"], userData null
    const v0 = Buffer.from([0, 0, 0, 0, 0, 1, 0, 1, 0x74, 0xff, 0xff, 0xff, 0xff]);
    const sub = decodeSubscription('m', null, v0);
    assert.deepEqual(sub.topics, ['t']);
    assert.equal(sub.userData, null);
    assert.deepEqual(sub.ownedPartitions, []);
    assert.equal(sub.generationId, -1);
  });

  it('round-trips an assignment and reads an empty one as nothing assigned', () => {
    const bytes = encodeAssignment({
      partitions: [
        { topic: 't', partition: 3 },
        { topic: 't', partition: 1 },
      ],
    });
    assert.deepEqual(decodeAssignment(bytes), [
      { topic: 't', partition: 1 },
      { topic: 't', partition: 3 },
    ]);
    assert.deepEqual(decodeAssignment(Buffer.alloc(0)), []);
  });
});
