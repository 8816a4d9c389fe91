import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeAssignment,
  decodeMetadata,
  encodeAssignment,
  encodeMetadata,
} from '../../src/distributed/connect-protocol.js';
import { eagerAssign } from '../../src/distributed/eager-assignor.js';

// Bytes written out by hand from Kafka's ConnectProtocol v0 schemas (INT16 version first;
// STRING = INT16 length + UTF-8; ARRAY = INT32 count; task -1 = the connector itself).

test('worker metadata v0: version, url, config offset', () => {
  const bytes = encodeMetadata({ url: 'http://w1:8083/', configOffset: 42n });
  const expected = Buffer.concat([
    Buffer.from([0x00, 0x00]),
    Buffer.from([0x00, 0x0f]),
    Buffer.from('http://w1:8083/'),
    Buffer.from([0, 0, 0, 0, 0, 0, 0, 42]),
  ]);
  assert.deepEqual(bytes, expected);
  assert.deepEqual(decodeMetadata(bytes), { version: 0, url: 'http://w1:8083/', configOffset: 42n });
});

test('assignment v0: connectors as task -1 first, then their tasks, grouped by connector', () => {
  const assignment = {
    error: 0,
    leader: 'm1',
    leaderUrl: 'http://w1:8083/',
    configOffset: 7n,
    connectors: ['a'],
    tasks: [
      { connector: 'a', task: 1 },
      { connector: 'b', task: 0 },
    ],
  };
  const bytes = encodeAssignment(assignment);
  const int32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return b;
  };
  const expected = Buffer.concat([
    Buffer.from([0x00, 0x00]), // version
    Buffer.from([0x00, 0x00]), // error
    Buffer.from([0x00, 0x02]),
    Buffer.from('m1'),
    Buffer.from([0x00, 0x0f]),
    Buffer.from('http://w1:8083/'),
    Buffer.from([0, 0, 0, 0, 0, 0, 0, 7]),
    int32(2),
    Buffer.from([0x00, 0x01]),
    Buffer.from('a'),
    int32(2),
    int32(-1),
    int32(1),
    Buffer.from([0x00, 0x01]),
    Buffer.from('b'),
    int32(1),
    int32(0),
  ]);
  assert.deepEqual(bytes, expected);
  assert.deepEqual(decodeAssignment(bytes), assignment);
});

test('v1 (compatible): metadata carries the allocation as nullable bytes; assignments add revoked and delay', () => {
  const int32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return b;
  };
  const none = encodeMetadata({ url: 'u', configOffset: 1n, allocation: null }, 1);
  assert.deepEqual(
    none,
    Buffer.concat([Buffer.from([0, 1, 0, 1]), Buffer.from('u'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), int32(-1)]),
  );
  const allocation = {
    error: 0,
    leader: 'm1',
    leaderUrl: 'u',
    configOffset: 1n,
    connectors: ['a'],
    tasks: [],
    revokedConnectors: [],
    revokedTasks: [],
    delayMs: 0,
  };
  const withAllocation = encodeMetadata({ url: 'u', configOffset: 1n, allocation }, 1);
  const allocationBytes = encodeAssignment(allocation, 1);
  assert.deepEqual(withAllocation.subarray(13), Buffer.concat([int32(allocationBytes.length), allocationBytes]));
  assert.deepEqual(decodeMetadata(withAllocation), { version: 1, url: 'u', configOffset: 1n, allocation });

  const assignment = {
    error: 0,
    leader: 'm1',
    leaderUrl: 'u',
    configOffset: 2n,
    connectors: [],
    tasks: [{ connector: 'a', task: 0 }],
    revokedConnectors: ['b'],
    revokedTasks: [{ connector: 'b', task: 1 }],
    delayMs: 3000,
  };
  const bytes = encodeAssignment(assignment, 1);
  assert.deepEqual(
    bytes,
    Buffer.concat([
      Buffer.from([0, 1, 0, 0, 0, 2]),
      Buffer.from('m1'),
      Buffer.from([0, 1]),
      Buffer.from('u'),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 2]),
      int32(1),
      Buffer.from([0, 1]),
      Buffer.from('a'),
      int32(1),
      int32(0),
      int32(1),
      Buffer.from([0, 1]),
      Buffer.from('b'),
      int32(2),
      int32(-1),
      int32(1),
      int32(3000),
    ]),
  );
  assert.deepEqual(decodeAssignment(bytes), assignment);
});

test('a truncated assignment is refused, not misread', () => {
  const bytes = encodeAssignment({
    error: 0,
    leader: 'm1',
    leaderUrl: 'u',
    configOffset: 0n,
    connectors: ['a'],
    tasks: [],
  });
  assert.throws(() => decodeAssignment(bytes.subarray(0, bytes.length - 2)), RangeError);
});

test('eager assignment: members sorted, connectors then tasks dealt round-robin', () => {
  const plan = eagerAssign(
    ['m2', 'm1', 'm3'],
    ['sink', 'source'],
    new Map([
      ['sink', 2],
      ['source', 1],
    ]),
  );
  assert.deepEqual(Object.fromEntries(plan), {
    m1: { connectors: ['sink'], tasks: [{ connector: 'sink', task: 1 }] },
    m2: { connectors: ['source'], tasks: [{ connector: 'source', task: 0 }] },
    m3: { connectors: [], tasks: [{ connector: 'sink', task: 0 }] },
  });
  assert.deepEqual(eagerAssign([], ['a'], new Map()).size, 0);
});
