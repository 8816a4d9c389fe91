import { defineApi, f, struct } from '../dsl.js';

// Version 0 was Kafka 4.0's early access to KIP-932 and is gone from 4.1; version 1 is the first
// stable one, which librdkafka 2.15 speaks.

export const shareGroupDescribe = defineApi({
  apiKey: 77,
  name: 'ShareGroupDescribe',
  listeners: ['broker'],
  request: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: [f('GroupIds', '[]string', '0+'), f('IncludeAuthorizedOperations', 'bool', '0+')],
  },
  response: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('Groups', '[]DescribedGroup', '0+', {
        fields: [
          f('ErrorCode', 'int16', '0+'),
          f('ErrorMessage', 'string', '0+', { nullableVersions: '0+', default: null }),
          f('GroupId', 'string', '0+'),
          f('GroupState', 'string', '0+'),
          f('GroupEpoch', 'int32', '0+'),
          f('AssignmentEpoch', 'int32', '0+'),
          f('AssignorName', 'string', '0+'),
          f('Members', '[]Member', '0+', {
            fields: [
              f('MemberId', 'string', '0+'),
              f('RackId', 'string', '0+', { nullableVersions: '0+', default: null }),
              f('MemberEpoch', 'int32', '0+'),
              f('ClientId', 'string', '0+'),
              f('ClientHost', 'string', '0+'),
              f('SubscribedTopicNames', '[]string', '0+'),
              f('Assignment', 'Assignment', '0+'),
            ],
          }),
          f('AuthorizedOperations', 'int32', '0+', { default: -2147483648 }),
        ],
      }),
    ],
    commonStructs: [
      struct('TopicPartitions', '0+', [
        f('TopicId', 'uuid', '0+'),
        f('TopicName', 'string', '0+'),
        f('Partitions', '[]int32', '0+'),
      ]),
      struct('Assignment', '0+', [f('TopicPartitions', '[]TopicPartitions', '0+')]),
    ],
  },
});
