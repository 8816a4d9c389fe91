import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMembersTable, formatOffsetsTable } from '../../../src/commands/consumer-groups/describe.js';

test('consumer groups: offsets and members tables', () => {
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
    'g               c               /h              id              2               (0,1)',
  );
});
