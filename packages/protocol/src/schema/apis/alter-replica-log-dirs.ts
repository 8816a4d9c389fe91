import { defineApi, f } from '../dsl.js';

export const alterReplicaLogDirs = defineApi({
  apiKey: 34,
  name: 'AlterReplicaLogDirs',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-2',
    deprecatedVersions: '0',
    flexibleVersions: '2+',
    fields: [
      f('Dirs', '[]AlterReplicaLogDir', '0+', {
        fields: [
          f('Path', 'string', '0+', { mapKey: true }),
          f('Topics', '[]AlterReplicaLogDirTopic', '0+', {
            fields: [f('Name', 'string', '0+', { mapKey: true }), f('Partitions', '[]int32', '0+')],
          }),
        ],
      }),
    ],
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('Results', '[]AlterReplicaLogDirTopicResult', '0+', {
        fields: [
          f('TopicName', 'string', '0+'),
          f('Partitions', '[]AlterReplicaLogDirPartitionResult', '0+', {
            fields: [f('PartitionIndex', 'int32', '0+'), f('ErrorCode', 'int16', '0+')],
          }),
        ],
      }),
    ],
  },
});
