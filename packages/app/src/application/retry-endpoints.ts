import { FixedBackOff } from '../error/back-off.js';
import type { ConsumerRecordRecoverer } from '../error/common-error-handler.js';
import { DeadLetterPublishingRecoverer, type RawRecordPublisher } from '../error/dead-letter-publishing-recoverer.js';
import { DefaultErrorHandler } from '../error/default-error-handler.js';
import type { ConcurrentContainerOptions } from '../listener/concurrent-message-listener-container.js';
import type { ContainerSettings } from '../listener/container-options.js';
import type { RecordListener } from '../listener/listener-context.js';
import { backoffAwareListener } from '../retry/backoff-aware-listener.js';
import { type DestinationTopics, destinationTopics } from '../retry/destination-topics.js';
import { retryTopicForwarder } from '../retry/retry-topic-forwarder.js';
import type { RetryTopicOptions } from '../retry/retry-topic-options.js';
import type { Logger } from '../support/logger.js';
import type { RetryTopicDeclaration } from './topic-initializer.js';

export interface RetryEndpointsInput {
  readonly base: Omit<ContainerSettings<unknown, unknown>, 'errorHandler'> & { readonly concurrency?: number };
  readonly handler: RecordListener<unknown, unknown>;
  readonly retry: RetryTopicOptions;
  readonly publisher: RawRecordPublisher;
  readonly logger: Logger;
  readonly declare: (topic: RetryTopicDeclaration) => void;
}

/**
 * The containers of a `@RetryableTopic` listener (Spring's RetryTopicConfigurer): the main one,
 * one per retry topic (same group, the listener wrapped to wait for each record's due time), and
 * one on the dead-letter topic. Failures never block: every container's error handler forwards a
 * failed record at once, to the next retry topic or the DLT.
 */
export function retryEndpoints(input: RetryEndpointsInput): ConcurrentContainerOptions<unknown, unknown>[] {
  const { base, handler, retry, publisher, logger } = input;
  const mains = base.topics;
  if (mains === undefined || mains.length === 0) {
    throw new Error(`listener ${base.id}: @RetryableTopic needs topics by name (not a pattern or explicit partitions)`);
  }
  const destinations = mains.map((t) => destinationTopics(t, retry));
  const byTopic = new Map<string, DestinationTopics>();
  for (const d of destinations) {
    byTopic.set(d.mainTopic, d);
    for (const r of d.retryTopics) byTopic.set(r.name, d);
  }
  const forwarders = new Map<DestinationTopics, ConsumerRecordRecoverer>(
    destinations.map((d) => [d, retryTopicForwarder(publisher, d, retry, logger)]),
  );
  const forward: ConsumerRecordRecoverer = (failed, error, ctx) => {
    const d = byTopic.get(failed.raw.topic);
    if (d === undefined) throw new Error(`no retry topics for ${failed.raw.topic}`);
    return (forwarders.get(d) as ConsumerRecordRecoverer)(failed, error, ctx);
  };
  // No blocking retries: the first failure forwards (FixedBackOff with 0 retries).
  const forwarding = () => new DefaultErrorHandler({ backOff: new FixedBackOff(0, 0), recoverer: forward, logger });
  const autoCreate = retry.autoCreateTopics ?? true;
  for (const d of destinations) {
    const names = [...new Set(d.retryTopics.map((r) => r.name))];
    if (d.dltTopic !== undefined) names.push(d.dltTopic);
    if (!autoCreate) continue;
    for (const name of names) {
      input.declare({
        name,
        partitionsLike: d.mainTopic,
        ...(retry.numPartitions === undefined ? {} : { numPartitions: retry.numPartitions }),
        ...(retry.replicationFactor === undefined ? {} : { replicationFactor: retry.replicationFactor }),
      });
    }
  }
  const out: ConcurrentContainerOptions<unknown, unknown>[] = [
    { ...base, listener: handler, errorHandler: forwarding() },
  ];
  const levels = Math.max(...destinations.map((d) => d.retryTopics.length));
  for (let level = 0; level < levels; level++) {
    const topics = [...new Set(destinations.flatMap((d) => d.retryTopics[level]?.name ?? []))];
    out.push({
      ...base,
      // Named after the topic's suffix: `<id>-retry-0`, or `<id>-retry` with SINGLE_TOPIC.
      id: `${base.id}${suffixOf(destinations, level)}`,
      topics,
      listener: backoffAwareListener(handler),
      errorHandler: forwarding(),
    });
  }
  const dlts = destinations.flatMap((d) => d.dltTopic ?? []);
  if (dlts.length > 0) {
    // Dead letters are the end of the line: a DLT handler's result is not sent on.
    const { sendTo: _sendTo, replyPublisher: _replyPublisher, ...dltBase } = base;
    const dltRecoverer =
      retry.dltStrategy === 'FAIL_ON_ERROR'
        ? undefined
        : new DeadLetterPublishingRecoverer(publisher, {
            destinationResolver: (failed) => ({ topic: failed.raw.topic, partition: failed.raw.partition }),
          }).recover;
    out.push({
      ...dltBase,
      id: `${base.id}-dlt`,
      topics: dlts,
      listener:
        retry.dltHandler ??
        ((record) => {
          logger.error(`dead letter received: ${record.topic}-${record.partition}@${record.offset}`, {
            listenerId: base.id,
          });
        }),
      errorHandler: new DefaultErrorHandler({
        backOff: new FixedBackOff(0, 0),
        ...(dltRecoverer === undefined ? {} : { recoverer: dltRecoverer }),
        logger,
      }),
    });
  }
  return out;
}

function suffixOf(destinations: readonly DestinationTopics[], level: number): string {
  const d = destinations.find((x) => x.retryTopics[level] !== undefined) as DestinationTopics;
  return (d.retryTopics[level] as { name: string }).name.slice(d.mainTopic.length);
}
