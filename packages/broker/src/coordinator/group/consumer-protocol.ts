import { ConsumerProtocolSubscriptionCodec, Reader } from '@samsa/protocol';

/** The protocol type of groups of Kafka consumers (`ConsumerProtocol.PROTOCOL_TYPE`). */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/**
 * The topics a consumer subscribes to, from its JoinGroup protocol metadata (a versioned
 * `ConsumerProtocolSubscription`). Like Kafka, it reads only the version-0 prefix (topics, user
 * data), which every later version starts with, so that future versions still parse; anything
 * after the prefix is ignored. Returns undefined when the bytes do not parse: the caller then
 * cannot know the subscription and must assume the worst.
 */
export function subscribedTopicsOf(metadata: Buffer): string[] | undefined {
  try {
    const reader = new Reader(metadata);
    if (reader.readInt16() < 0) return undefined;
    return ConsumerProtocolSubscriptionCodec.read(reader, 0).topics;
  } catch {
    return undefined;
  }
}
