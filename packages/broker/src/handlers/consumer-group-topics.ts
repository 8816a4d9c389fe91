import type { TopicsView } from '../coordinator/group/consumer/topics-view.js';
import type { ClusterImage } from '../metadata/cluster-image.js';

/** The cluster's topics as the consumer group coordinator sees them, from one metadata image. */
export function topicsViewOf(image: ClusterImage): TopicsView {
  return {
    topic(name) {
      const topic = image.topic(name);
      return topic === undefined ? undefined : { topicId: topic.topicId, numPartitions: topic.partitions.length };
    },
    topicName: (topicId) => image.topicById(topicId)?.name,
    topicNames: () => image.topics.keys(),
  };
}
