/**
 * Kafka's BrokerTopicMetrics: what produce, fetch and replication moved, per topic and for all
 * topics together (`kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec[,topic=…]`).
 *
 * Plain counters on the hot paths: an append or a fetch adds to two objects' fields and nothing
 * else — no labels hashed, no allocation. The Prometheus collectors read them when scraped.
 */
export class TopicMetrics {
  messagesIn = 0;
  bytesIn = 0;
  bytesOut = 0;
  /** Bytes of batches refused for their size (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE). */
  bytesRejected = 0;
  totalProduceRequests = 0;
  failedProduceRequests = 0;
  totalFetchRequests = 0;
  failedFetchRequests = 0;
}

/** The all-topics meter also counts replication, which Kafka does not break down by topic. */
export class AllTopicsMetrics extends TopicMetrics {
  replicationBytesIn = 0;
  replicationBytesOut = 0;
}

export class BrokerTopicStats {
  readonly allTopics = new AllTopicsMetrics();
  private readonly byTopic = new Map<string, TopicMetrics>();

  /** The meter of `topic`, created on first use. */
  topic(name: string): TopicMetrics {
    let metrics = this.byTopic.get(name);
    if (metrics === undefined) {
      metrics = new TopicMetrics();
      this.byTopic.set(name, metrics);
    }
    return metrics;
  }

  topics(): IterableIterator<[string, TopicMetrics]> {
    return this.byTopic.entries();
  }

  /** A deleted topic's series go away, as Kafka removes its topic metrics. */
  removeTopic(name: string): void {
    this.byTopic.delete(name);
  }
}
