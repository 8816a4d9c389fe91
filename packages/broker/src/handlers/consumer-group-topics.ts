import type { TopicsView } from '../coordinator/group/consumer/topics-view.js';
import type { ClusterImage } from '../metadata/cluster-image.js';
import { AclOperationCode, ResourceType } from '../security/authorizer.js';
import { filterAuthorized } from './authorization.js';
import type { RequestContext } from './handler.js';

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

/**
 * A group heartbeat's subscribed topics the principal may not DESCRIBE, as the error message
 * Kafka answers them with (TOPIC_AUTHORIZATION_FAILED), or undefined when every one is allowed.
 */
export function subscriptionRefusal(ctx: RequestContext, names: readonly string[] | null): string | undefined {
  if (names === null || names.length === 0) return undefined;
  const allowed = filterAuthorized(ctx, AclOperationCode.DESCRIBE, ResourceType.TOPIC, names);
  const denied = names.filter((name) => !allowed.has(name));
  if (denied.length === 0) return undefined;
  return `Topic authorization failed for topics: ${[...new Set(denied)].sort().join(', ')}`;
}
