/**
 * `__consumer_offsets` records byte for byte. The expected hex is derived by hand from Kafka's
 * record schemas (OffsetCommitKey/Value, GroupMetadataKey/Value): an int16 version, then the
 * fields in schema order, strings as int16 length + UTF-8, bytes as int32 length + data.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ClassicGroup } from '../../../src/coordinator/group/classic-group.js';
import {
  decodeGroupCoordinatorRecord,
  groupMetadataRecord,
  groupMetadataTombstone,
  offsetCommitRecord,
  offsetCommitTombstone,
} from '../../../src/coordinator/group/group-coordinator-record.js';
import { ShardHarness } from './support/shard-harness.js';

const hex = (parts: string[]): string => parts.join('');

// key version 1 | "my-group" | "orders" | partition 3
const OFFSET_KEY = hex(['0001', '0008', '6d792d67726f7570', '0006', '6f7264657273', '00000003']);

describe('offset commit records', () => {
  test('key v1 and value v3 (offset, leader epoch, metadata, commit timestamp)', () => {
    const record = offsetCommitRecord('my-group', 'orders', 3, {
      committedOffset: 42n,
      leaderEpoch: 5,
      metadata: 'm',
      commitTimestampMs: 1000,
      expireTimestampMs: undefined,
    });
    assert.equal(record.key.toString('hex'), OFFSET_KEY);
    assert.equal(
      record.value?.toString('hex'),
      hex(['0003', '000000000000002a', '00000005', '0001', '6d', '00000000000003e8']),
    );
  });

  test('value v1 (with expire timestamp, no leader epoch) when the commit carried a retention time', () => {
    const record = offsetCommitRecord('my-group', 'orders', 3, {
      committedOffset: 42n,
      leaderEpoch: 5,
      metadata: '',
      commitTimestampMs: 1000,
      expireTimestampMs: 2000,
    });
    assert.equal(
      record.value?.toString('hex'),
      hex(['0001', '000000000000002a', '0000', '00000000000003e8', '00000000000007d0']),
    );
  });

  test('tombstone: the same key, no value', () => {
    const record = offsetCommitTombstone('my-group', 'orders', 3);
    assert.equal(record.key.toString('hex'), OFFSET_KEY);
    assert.equal(record.value, null);
  });

  test('what an OffsetCommit through the shard writes', () => {
    const h = new ShardHarness();
    h.nowMs = 1000;
    h.commit({
      groupId: 'my-group',
      topics: [
        {
          name: 'orders',
          partitions: [
            {
              partitionIndex: 3,
              committedOffset: 42n,
              committedLeaderEpoch: 5,
              commitTimestamp: -1n,
              committedMetadata: 'm',
            },
          ],
        },
      ],
    });
    assert.equal(h.log.length, 1);
    assert.equal(h.log[0]?.key.toString('hex'), OFFSET_KEY);
    assert.equal(
      h.log[0]?.value?.toString('hex'),
      hex(['0003', '000000000000002a', '00000005', '0001', '6d', '00000000000003e8']),
    );
  });
});

describe('group metadata records', () => {
  test('key v2 and value v3 with one member', () => {
    const record = groupMetadataRecord('my-group', {
      protocolType: 'consumer',
      generation: 1,
      protocol: 'range',
      leader: 'm1',
      currentStateTimestamp: 1000n,
      members: [
        {
          memberId: 'm1',
          groupInstanceId: null,
          clientId: 'c',
          clientHost: '/h',
          rebalanceTimeout: 30000,
          sessionTimeout: 10000,
          subscription: Buffer.from([1, 2]),
          assignment: Buffer.from([3]),
        },
      ],
    });
    assert.equal(record.key.toString('hex'), hex(['0002', '0008', '6d792d67726f7570']));
    assert.equal(
      record.value?.toString('hex'),
      hex([
        '0003',
        '0008',
        '636f6e73756d6572', // protocolType "consumer"
        '00000001', // generation
        '0005',
        '72616e6765', // protocol "range"
        '0002',
        '6d31', // leader "m1"
        '00000000000003e8', // currentStateTimestamp
        '00000001', // one member
        '0002',
        '6d31', // memberId
        'ffff', // groupInstanceId null
        '0001',
        '63', // clientId "c"
        '0002',
        '2f68', // clientHost "/h"
        '00007530', // rebalanceTimeout 30000
        '00002710', // sessionTimeout 10000
        '00000002',
        '0102', // subscription
        '00000001',
        '03', // assignment
      ]),
    );
  });

  test('an Empty group: null protocol and leader, no members', () => {
    const record = groupMetadataRecord('g', {
      protocolType: '',
      generation: 0,
      protocol: null,
      leader: null,
      currentStateTimestamp: 1000n,
      members: [],
    });
    assert.equal(
      record.value?.toString('hex'),
      hex(['0003', '0000', '00000000', 'ffff', 'ffff', '00000000000003e8', '00000000']),
    );
    assert.equal(groupMetadataTombstone('g').value, null);
  });

  test('what a completed rebalance writes: the generation, protocol, leader and assignments', () => {
    const h = new ShardHarness();
    h.stableGroup(2);
    const decoded = decodeGroupCoordinatorRecord(h.log.at(-1) as never);
    assert.equal(decoded.type, 'group-metadata');
    assert.ok(decoded.type === 'group-metadata');
    assert.equal(decoded.valueVersion, 3);
    assert.equal(h.log.at(-1)?.key.readInt16BE(0), 2);
    assert.deepEqual(
      decoded.value?.members.map((m) => [
        m.clientId,
        m.clientHost,
        m.assignment.toString(),
        m.rebalanceTimeout,
        m.sessionTimeout,
      ]),
      [
        ['c1', '/127.0.0.1', 'a-c1', 30000, 10000],
        ['c2', '/127.0.0.1', 'a-c2', 30000, 10000],
      ],
    );
    assert.equal(decoded.value?.protocol, 'range');
    assert.equal(decoded.value?.protocolType, 'consumer');
    assert.equal(decoded.value?.generation, 1);
  });
});

describe('decoding', () => {
  test('group metadata value v0 (no rebalance timeout) and unknown record types', () => {
    // v0: protocolType, generation, protocol, leader, members(memberId, clientId, clientHost, sessionTimeout, subscription, assignment)
    const value = Buffer.from(
      hex([
        '0000',
        '0001',
        '78',
        '00000002',
        '0001',
        '72',
        '0001',
        '6d',
        '00000001',
        '0001',
        '6d',
        '0001',
        '63',
        '0001',
        '68',
        '00001770',
        '00000000',
        '00000000',
      ]),
      'hex',
    );
    const decoded = decodeGroupCoordinatorRecord({ key: Buffer.from('000200016d', 'hex'), value });
    assert.ok(decoded.type === 'group-metadata');
    assert.equal(decoded.value?.members[0]?.sessionTimeout, 6000);
    // Before value v1 there was one timeout for both: the rebalance timeout is the session timeout.
    assert.equal(ClassicGroup.fromRecord('g', decoded.value as never).member('m').rebalanceTimeoutMs, 6000);
    // Key version 9 and above: share groups, not served here.
    assert.deepEqual(decodeGroupCoordinatorRecord({ key: Buffer.from('0009', 'hex'), value: null }), {
      type: 'unknown',
      keyVersion: 9,
    });
    // Key version 3: a consumer group (KIP-848) metadata tombstone.
    assert.deepEqual(decodeGroupCoordinatorRecord({ key: Buffer.from('000300016d', 'hex'), value: null }), {
      type: 'consumer-group',
      record: { type: 'group-metadata', groupId: 'm', epoch: null },
    });
    // Key version 0 is an offset commit too.
    const v0 = decodeGroupCoordinatorRecord({
      key: Buffer.from(OFFSET_KEY.replace(/^0001/, '0000'), 'hex'),
      value: null,
    });
    assert.ok(v0.type === 'offset-commit');
    assert.deepEqual(v0.key, { group: 'my-group', topic: 'orders', partition: 3 });
  });

  test('corrupt records are rejected', () => {
    assert.throws(() => decodeGroupCoordinatorRecord({ key: Buffer.from(`${OFFSET_KEY}00`, 'hex'), value: null }));
    assert.throws(() =>
      decodeGroupCoordinatorRecord({ key: Buffer.from(OFFSET_KEY, 'hex'), value: Buffer.from('0009', 'hex') }),
    );
  });
});
