import { defineApi, f } from '../dsl.js';

export const deleteTopics = defineApi({
  apiKey: 20,
  name: 'DeleteTopics',
  listeners: ['zkBroker', 'broker', 'controller'],
  request: {
    validVersions: '0-6',
    deprecatedVersions: '0',
    flexibleVersions: '4+',
    fields: [
      f('Topics', '[]DeleteTopicState', '6+', {
        fields: [f('Name', 'string', '6+', { nullableVersions: '6+', default: null }), f('TopicId', 'uuid', '6+')],
      }),
      f('TopicNames', '[]string', '0-5', { ignorable: true }),
      f('TimeoutMs', 'int32', '0+'),
    ],
  },
  response: {
    validVersions: '0-6',
    flexibleVersions: '4+',
    fields: [
      f('ThrottleTimeMs', 'int32', '1+', { ignorable: true }),
      f('Responses', '[]DeletableTopicResult', '0+', {
        fields: [
          f('Name', 'string', '0+', { nullableVersions: '6+', mapKey: true }),
          f('TopicId', 'uuid', '6+', { ignorable: true }),
          f('ErrorCode', 'int16', '0+'),
          f('ErrorMessage', 'string', '5+', { nullableVersions: '5+', default: null, ignorable: true }),
        ],
      }),
    ],
  },
});
