import type { Tool } from '../../support/tool.js';
import { AdminTopicService } from './admin-topic-service.js';
import type { TopicService } from './topic-service.js';
import { checkArgs, specs } from './topics-options.js';
import { ZkTopicService } from './zk-topic-service.js';

/**
 * `kafka-topics.sh`: create, list, describe, alter (partitions) and delete topics, through a broker
 * (`--bootstrap-server`) or, as Kafka 2.x could, by writing ZooKeeper directly (`--zookeeper`).
 */
export const topicsTool: Tool = {
  name: 'topics',
  script: 'kafka-topics.sh',
  purpose: 'This tool helps to create, delete, describe, or change a topic.',
  specs,
  errorPrefix: 'Error while executing topic command : ',
  async run(options, io) {
    checkArgs(options);
    const service: TopicService = options.has('zookeeper')
      ? await ZkTopicService.connect(options, io)
      : await AdminTopicService.connect(options, io);
    try {
      if (options.has('create')) await service.createTopic(options, io);
      else if (options.has('alter')) await service.alterTopic(options, io);
      else if (options.has('list')) await service.listTopics(options, io);
      else if (options.has('describe')) await service.describeTopics(options, io);
      else await service.deleteTopics(options, io);
      return 0;
    } finally {
      await service.close();
    }
  },
};
