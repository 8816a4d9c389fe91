import { defineApi, f, struct } from '../dsl.js';

// Version 0 was Kafka 4.0's early access to KIP-932 and is gone from 4.1; version 1 is the first
// stable one, which librdkafka 2.15 speaks.

export const shareGroupHeartbeat = defineApi({
  apiKey: 76,
  name: 'ShareGroupHeartbeat',
  listeners: ['broker'],
  request: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: [
      f('GroupId', 'string', '0+'),
      f('MemberId', 'string', '0+'),
      f('MemberEpoch', 'int32', '0+'),
      f('RackId', 'string', '0+', { nullableVersions: '0+', default: null }),
      f('SubscribedTopicNames', '[]string', '0+', { nullableVersions: '0+', default: null }),
    ],
  },
  response: {
    validVersions: '1',
    flexibleVersions: '0+',
    fields: [
      f('ThrottleTimeMs', 'int32', '0+'),
      f('ErrorCode', 'int16', '0+'),
      f('ErrorMessage', 'string', '0+', { nullableVersions: '0+', default: null }),
      f('MemberId', 'string', '0+', { nullableVersions: '0+', default: null }),
      f('MemberEpoch', 'int32', '0+'),
      f('HeartbeatIntervalMs', 'int32', '0+'),
      f('Assignment', 'Assignment', '0+', {
        nullableVersions: '0+',
        default: null,
        fields: [f('TopicPartitions', '[]TopicPartitions', '0+')],
      }),
    ],
    commonStructs: [struct('TopicPartitions', '0+', [f('TopicId', 'uuid', '0+'), f('Partitions', '[]int32', '0+')])],
  },
});
