import { defineApi, f } from '../dsl.js';

export const describeLogDirs = defineApi({
  apiKey: 35,
  name: 'DescribeLogDirs',
  listeners: ['zkBroker', 'broker'],
  request: {
    validVersions: '0-4',
    deprecatedVersions: '0',
    flexibleVersions: '2+',
    fields: [
      f('Topics', '[]DescribableLogDirTopic', '0+', {
        nullableVersions: '0+',
        fields: [f('Topic', 'string', '0+', { mapKey: true }), f('Partitions', '[]int32', '0+')],
      }),
    ],
  },
  response: {
    validVersions: '0-4',
    flexibleVersions: '2+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '3+', { ignorable: true }),
      f('Results', '[]DescribeLogDirsResult', '0+', {
        fields: [
          f('ErrorCode', 'int16', '0+'),
          f('LogDir', 'string', '0+'),
          f('Topics', '[]DescribeLogDirsTopic', '0+', {
            fields: [
              f('Name', 'string', '0+'),
              f('Partitions', '[]DescribeLogDirsPartition', '0+', {
                fields: [
                  f('PartitionIndex', 'int32', '0+'),
                  f('PartitionSize', 'int64', '0+'),
                  f('OffsetLag', 'int64', '0+'),
                  f('IsFutureKey', 'bool', '0+'),
                ],
              }),
            ],
          }),
          f('TotalBytes', 'int64', '4+', { default: -1, ignorable: true }),
          f('UsableBytes', 'int64', '4+', { default: -1, ignorable: true }),
        ],
      }),
    ],
  },
});
