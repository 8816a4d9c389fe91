import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiKey, ErrorCode } from '@samsa/protocol';
import { Admin } from '../../src/admin/admin.js';
import { FakeBroker } from '../support/fake-broker.js';

describe('Admin.deleteRecords', () => {
  let broker: FakeBroker | undefined;
  let admin: Admin | undefined;
  afterEach(async () => {
    await admin?.close();
    await broker?.close();
  });

  it('gives every partition its own outcome', async () => {
    broker = await FakeBroker.start((r) => {
      if (r.apiKey !== ApiKey.DeleteRecords) return undefined;
      return {
        topics: r.body.topics.map((t: { name: string; partitions: { partitionIndex: number; offset: bigint }[] }) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partitionIndex,
            lowWatermark: p.offset > 5n ? -1n : p.offset,
            errorCode: p.offset > 5n ? ErrorCode.OFFSET_OUT_OF_RANGE : 0,
          })),
        })),
      };
    });
    broker.topics.set('t', 2);
    admin = new Admin({ 'bootstrap.servers': broker.bootstrap });
    const results = await admin.deleteRecords([
      { topic: 't', partition: 1, offset: 9n },
      { topic: 't', partition: 0, offset: 3n },
      { topic: 'missing', partition: 0, offset: 1n },
    ]);
    assert.deepEqual(
      results.map((r) => [r.topic, r.partition, r.lowWatermark, r.error?.errorName ?? null]),
      [
        ['missing', 0, null, 'UNKNOWN_TOPIC_OR_PARTITION'],
        ['t', 0, 3n, null],
        ['t', 1, null, 'OFFSET_OUT_OF_RANGE'],
      ],
    );
  });
});
