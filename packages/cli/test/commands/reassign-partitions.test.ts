import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBrokerList, proposeAssignment } from '../../src/commands/reassign-partitions/generate-assignment.js';
import {
  checkExecutable,
  parseReassignment,
  parseTopicsToMove,
  reassignmentJson,
} from '../../src/commands/reassign-partitions/reassignment-json.js';
import {
  currentReassignmentsText,
  partitionStatesText,
  replicaMoveStatesText,
} from '../../src/commands/reassign-partitions/reassignment-status.js';
import {
  followerThrottles,
  leaderThrottles,
  proposedMoveMap,
  reassigningBrokers,
} from '../../src/commands/reassign-partitions/reassignment-throttles.js';
import { CommandError } from '../../src/support/command-errors.js';

/** The line the command would print for `fn`'s failure. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CommandError, String(error));
    return error.message;
  }
  assert.fail('expected a failure');
}

test('reassignment JSON: Kafka\'s one-line format, partitions sorted, "any" log dirs', () => {
  const json = reassignmentJson([
    { topic: 'b', partition: 0, replicas: [2] },
    { topic: 'a', partition: 10, replicas: [1, 2] },
    { topic: 'a', partition: 2, replicas: [3, 1] },
  ]);
  assert.equal(
    json,
    '{"version":1,"partitions":[' +
      '{"topic":"a","partition":2,"replicas":[3,1],"log_dirs":["any","any"]},' +
      '{"topic":"a","partition":10,"replicas":[1,2],"log_dirs":["any","any"]},' +
      '{"topic":"b","partition":0,"replicas":[2],"log_dirs":["any"]}]}',
  );
  assert.deepEqual(parseReassignment(json).partitions[0], { topic: 'a', partition: 2, replicas: [3, 1] });
});

test('reassignment JSON: log_dirs optional, named dirs kept per replica, decoding errors as Kafka words them', () => {
  const data = parseReassignment(
    '{"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any","/d2"]},{"topic":"t","partition":1,"replicas":[3]}]}',
  );
  assert.deepEqual(data.logDirs, [{ topic: 't', partition: 0, brokerId: 2, logDir: '/d2' }]);
  assert.equal(data.partitions.length, 2);
  assert.deepEqual(parseReassignment('{"version":1}'), { partitions: [], logDirs: [] });
  const bad = (text: string) => failure(() => parseReassignment(text));
  assert.match(bad('{"partitions": ['), /^Error: com\.fasterxml\.jackson\.core\.JsonParseException: /);
  assert.equal(bad(''), "Error: com.fasterxml.jackson.core.JsonParseException: The input string shouldn't be empty");
  assert.equal(bad('[1]'), 'Error: Expected JSON object, received [1]');
  assert.equal(bad('{"version":2}'), 'Error: Not supported version field value 2');
  assert.equal(bad('{"partitions":[{"topic":"t","partition":0}]}'), 'Error: No such field exists: `replicas`');
  assert.equal(
    bad('{"partitions":[{"topic":"t","partition":"0","replicas":[1]}]}'),
    'Error: Expected `Integer` value, received "0"',
  );
  assert.equal(
    bad('{"partitions":[{"topic":"t","partition":0,"replicas":1}]}'),
    'Error: Expected `JSON array` value, received 1',
  );
  assert.equal(
    bad('{"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any"]}]}'),
    'Error: Size of replicas list [1, 2] is different from size of log dirs list [any] for partition t-0',
  );
});

test('--execute refuses empty lists and duplicates before asking the cluster', () => {
  const check = (text: string) => failure(() => checkExecutable(parseReassignment(text)));
  assert.equal(check('{"partitions":[]}'), 'Error: Partition reassignment list cannot be empty');
  assert.equal(
    check('{"partitions":[{"topic":"t","partition":0,"replicas":[]}]}'),
    'Error: Partition replica list cannot be empty',
  );
  assert.equal(
    check('{"partitions":[{"topic":"t","partition":0,"replicas":[1]},{"topic":"t","partition":0,"replicas":[2]}]}'),
    'Error: Partition reassignment contains duplicate topic partitions: t-0',
  );
  assert.equal(
    check(
      '{"partitions":[{"topic":"t","partition":0,"replicas":[1,2,1]},{"topic":"u","partition":3,"replicas":[4,4]}]}',
    ),
    'Error: Partition replica lists may not contain duplicate entries: t-0 contains multiple entries for 1. u-3 contains multiple entries for 4',
  );
});

test('topics to move and the broker list', () => {
  assert.deepEqual(parseTopicsToMove('{"topics":[{"topic":"a"},{"topic":"b"}],"version":1}'), ['a', 'b']);
  assert.deepEqual(parseTopicsToMove('{}'), []);
  assert.equal(
    failure(() => parseTopicsToMove('nope')),
    'Error: The input string is not a valid JSON',
  );
  assert.equal(
    failure(() => parseTopicsToMove('{"topics":[{"name":"a"}]}')),
    'Error: No such field exists: `topic`',
  );
  assert.deepEqual(parseBrokerList('0,1,2,'), [0, 1, 2]);
  assert.equal(
    failure(() => parseBrokerList('0,x')),
    'Error: For input string: "x"',
  );
  assert.equal(
    failure(() => parseBrokerList('3,1,3,1')),
    'Error: Broker list contains duplicate entries: [1, 3]',
  );
});

test("proposals keep each topic's partition count and replication factor, on the listed brokers", () => {
  const current = [0, 1, 2, 3, 4, 5].map((partition) => ({ topic: 't', partition, replicas: [0, 1, 2] }));
  const brokers = [4, 5, 6, 7].map((brokerId) => ({ brokerId, rack: brokerId < 6 ? 'a' : 'b' }));
  const proposed = proposeAssignment(current, brokers);
  assert.deepEqual(
    proposed.map((p) => p.partition),
    [0, 1, 2, 3, 4, 5],
  );
  for (const p of proposed) {
    assert.equal(new Set(p.replicas).size, 3);
    assert.ok(p.replicas.every((b) => b >= 4 && b <= 7));
    assert.ok(p.replicas.some((b) => b < 6) && p.replicas.some((b) => b >= 6), `both racks in ${p.replicas}`);
  }
  assert.equal(
    failure(() => proposeAssignment(current, brokers.slice(0, 2))),
    'Error: Replication factor: 3 larger than available brokers: 2.',
  );
});

test("throttles: sources lead, new replicas follow, a move under way keeps its sources (Kafka's move map)", () => {
  const moves = proposedMoveMap(
    [{ topic: 'other', partition: 0, replicas: [5, 1, 2], addingReplicas: [5], removingReplicas: [2] }],
    [
      { topic: 't', partition: 0, replicas: [2, 3] },
      { topic: 't', partition: 10, replicas: [1, 0] },
    ],
    [
      { topic: 't', partition: 0, replicas: [0, 1] },
      { topic: 't', partition: 10, replicas: [0, 1] },
    ],
  );
  assert.deepEqual(
    leaderThrottles(moves),
    new Map([
      ['other', '0:1,0:2'],
      ['t', '0:0,0:1,10:0,10:1'],
    ]),
  );
  assert.deepEqual(
    followerThrottles(moves),
    new Map([
      ['other', '0:5'],
      ['t', '0:2,0:3'],
    ]),
  );
  assert.deepEqual(reassigningBrokers(moves), [0, 1, 2, 3, 5]);
});

test("status lines in Kafka's words", () => {
  assert.equal(
    partitionStatesText([
      { topic: 't', partition: 0, replicas: [1, 2], currentReplicas: [1, 2], done: true },
      { topic: 't', partition: 1, replicas: [1, 2], currentReplicas: [1, 2, 0], done: false },
      { topic: 't', partition: 2, replicas: [1, 2], currentReplicas: [2, 1], done: true },
      { topic: 'u', partition: 0, replicas: [3], currentReplicas: [], done: true },
    ]),
    [
      'Status of partition reassignment:',
      'Reassignment of partition t-0 is completed.',
      'Reassignment of partition t-1 is still in progress.',
      'There is no active reassignment of partition t-2, but replica set is 2,1 rather than 1,2.',
      'There is no active reassignment of partition u-0, but replica set is  rather than 3.',
    ].join('\n'),
  );
  assert.equal(
    replicaMoveStatesText([
      { topic: 't', partition: 0, brokerId: 2, logDir: '/a', state: { kind: 'completed' } },
      { topic: 't', partition: 0, brokerId: 1, logDir: '/a', state: { kind: 'cancelled', currentLogDir: '/b' } },
      { topic: 't', partition: 1, brokerId: 1, logDir: '/a', state: { kind: 'missing-log-dir' } },
    ]),
    [
      'Partition t-0 on broker 1 is not being moved from log dir /b to /a.',
      'Partition t-1 is not found in any live log dir on broker 1. There is likely an offline log directory on the broker.',
      'Reassignment of replica t-0-2 completed successfully.',
    ].join('\n'),
  );
});

test('--list text', async () => {
  const admin = (reassignments: unknown[]) =>
    ({ listPartitionReassignments: async () => reassignments }) as unknown as Parameters<
      typeof currentReassignmentsText
    >[0];
  assert.equal(await currentReassignmentsText(admin([])), 'No partition reassignments found.');
  assert.equal(
    await currentReassignmentsText(
      admin([
        { topic: 't', partition: 1, replicas: [3, 1], addingReplicas: [], removingReplicas: [] },
        { topic: 't', partition: 0, replicas: [2, 3, 0], addingReplicas: [3], removingReplicas: [0] },
      ]),
    ),
    'Current partition reassignments:\nt-0: replicas: 2,3,0. adding: 3. removing: 0.\nt-1: replicas: 3,1.',
  );
});
