import type { Consumer, TopicPartition } from '@samsa/client';
import { StreamsException } from '../processor/topology-exception.js';

/**
 * SHUTDOWN_APPLICATION across instances, through the consumer group. Java sets an error code
 * (`AssignorError.SHUTDOWN_REQUESTED`) in the Streams assignor's SubscriptionInfo, so every member
 * learns it at the next rebalance. Samsa's runtime has no Streams assignor yet, so the request
 * travels in the group's committed offsets instead: the failing instance re-commits the offsets
 * already committed for its partitions with this metadata, and every instance reads the
 * application's committed offsets at each commit and shuts down on a request made after it
 * started (an old request left in the offsets does not stop a restarted application).
 */
const MARKER = 'samsa.streams.shutdown.requested=';

/** Committed-offset metadata that is a shutdown request (not Java's TopicPartitionMetadata). */
export function isShutdownRequest(metadata: string): boolean {
  return metadata.startsWith(MARKER);
}

/** Thrown in the stream thread of an instance that saw another instance's request. */
export class ShutdownRequestedException extends StreamsException {
  constructor(requestedAtMs: number) {
    super(
      `An instance of this application requested its shutdown (SHUTDOWN_APPLICATION) at ${new Date(requestedAtMs).toISOString()}; shutting down this client.`,
    );
  }
}

/** Marks the group's committed offsets of `partitions` (those that have one) with a shutdown request. */
export async function requestApplicationShutdown(
  consumer: Consumer<Buffer, Buffer>,
  partitions: readonly TopicPartition[],
  nowMs: number,
): Promise<number> {
  if (partitions.length === 0) return 0;
  const committed = await consumer.committed(partitions);
  const marked = committed
    .filter((c) => c.offset >= 0n)
    .map((c) => ({ topic: c.topic, partition: c.partition, offset: c.offset, metadata: `${MARKER}${nowMs}` }));
  if (marked.length > 0) await consumer.commitSync(marked);
  return marked.length;
}

/** The time of a shutdown request made at or after `sinceMs` in the committed offsets of `partitions`, if any. */
export async function shutdownRequestedSince(
  consumer: Consumer<Buffer, Buffer>,
  partitions: readonly TopicPartition[],
  sinceMs: number,
): Promise<number | undefined> {
  if (partitions.length === 0) return undefined;
  for (const c of await consumer.committed(partitions)) {
    const metadata = (c as { metadata?: string | null }).metadata;
    if (typeof metadata !== 'string' || !metadata.startsWith(MARKER)) continue;
    const at = Number(metadata.slice(MARKER.length));
    if (at >= sinceMs) return at;
  }
  return undefined;
}
