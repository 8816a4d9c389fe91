import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatMembersTable,
  formatOffsetsTable,
  formatStateTable,
} from '../../../src/commands/consumer-groups/describe.js';

test('consumer groups: offsets and members tables (Kafka 4.0 columns)', () => {
  const table = formatOffsetsTable([
    {
      group: 'g',
      topic: 't',
      partition: '0',
      currentOffset: '1',
      logEndOffset: '3',
      lag: '2',
      consumerId: 'c',
      host: '/h',
      clientId: 'id',
    },
  ]);
  assert.equal(
    table,
    '\nGROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID' +
      '\ng               t               0          1               3               2               c               /h              id\n',
  );
  const members = formatMembersTable(
    [
      {
        group: 'g',
        consumerId: 'c',
        groupInstanceId: '',
        host: '/h',
        clientId: 'id',
        assignment: [
          { topic: 't', partition: 1 },
          { topic: 't', partition: 0 },
        ],
      },
    ],
    true,
  );
  assert.equal(
    members.split('\n')[2],
    'g               c               /h              id              2               -               t:0,1                -               -',
  );
  assert.equal(
    members.split('\n')[1],
    'GROUP           CONSUMER-ID     HOST            CLIENT-ID       #PARTITIONS     CURRENT-EPOCH   CURRENT-ASSIGNMENT   TARGET-EPOCH    TARGET-ASSIGNMENT',
  );
});

test('consumer groups: --verbose columns of a consumer-protocol group', () => {
  const row = {
    group: 'g',
    consumerId: 'm1',
    groupInstanceId: '',
    host: '/h',
    clientId: 'id',
    assignment: [{ topic: 't', partition: 0 }],
    currentEpoch: 5,
    targetEpoch: 6,
    targetAssignment: [
      { topic: 't', partition: 0 },
      { topic: 'u', partition: 2 },
    ],
  };
  const lines = formatMembersTable([row, { ...row, consumerId: 'm2', upgraded: false }], true).split('\n');
  assert.equal(lines[1]?.trim().split(/\s+/).at(-1), 'UPGRADED');
  assert.equal(
    lines[2],
    'g               m1              /h              id              1               5               t:0                  6               t:0;u:2              -',
  );
  assert.equal(lines[3]?.trim().split(/\s+/).at(-1), 'false');
  const state = formatStateTable(
    {
      group: 'g',
      coordinator: 'h:9092  (0)',
      assignmentStrategy: 'uniform',
      state: 'Stable',
      groupEpoch: 3,
      targetAssignmentEpoch: 3,
      members: 2,
    },
    true,
  ).split('\n');
  assert.deepEqual(state[1]?.split(/\s+/), [
    'GROUP',
    'COORDINATOR',
    '(ID)',
    'ASSIGNMENT-STRATEGY',
    'STATE',
    'GROUP-EPOCH',
    'TARGET-ASSIGNMENT-EPOCH',
    '#MEMBERS',
  ]);
  assert.deepEqual(state[2]?.split(/\s+/), ['g', 'h:9092', '(0)', 'uniform', 'Stable', '3', '3', '2']);
  const offsets = formatOffsetsTable(
    [
      {
        group: 'g',
        topic: 't',
        partition: '0',
        leaderEpoch: '0',
        currentOffset: '1',
        logEndOffset: '3',
        lag: '2',
        consumerId: 'c',
        host: '/h',
        clientId: 'id',
      },
    ],
    true,
  ).split('\n');
  assert.deepEqual(offsets[1]?.split(/\s+/), [
    'GROUP',
    'TOPIC',
    'PARTITION',
    'LEADER-EPOCH',
    'CURRENT-OFFSET',
    'LOG-END-OFFSET',
    'LAG',
    'CONSUMER-ID',
    'HOST',
    'CLIENT-ID',
  ]);
});
