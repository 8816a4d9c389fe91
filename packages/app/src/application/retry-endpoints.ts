import { FixedBackOff } from '../error/back-off.js';
import type { ConsumerRecordRecoverer } from '../error/common-error-handler.js';
import { DeadLetterPublishingRecoverer, type RawRecordPublisher } from '../error/dead-letter-publishing-recoverer.js';
import { DefaultErrorHandler } from '../error/default-error-handler.js';
import type { ConcurrentContainerOptions } from '../listener/concurrent-message-listener-container.js';
import type { ContainerSettings } from '../listener/container-options.js';
import type { RecordListener } from '../listener/listener-context.js';
import { backoffAwareListener } from '../retry/backoff-aware-listener.js';
import { type DestinationTopics, destinationTopics, retryDelaysMs } from '../retry/destination-topics.js';
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
 * one per retry topic (the listener wrapped to wait for each record's due time), and one on the
 * dead-letter topic. Failures never block: every container's error handler forwards a failed
 * record at once, to the next retry topic or the DLT.
 *
 * As Spring's SuffixingRetryTopicNamesProvider names them, each retry and DLT container has the
 * topic's suffix on its id, its group (`<group>-retry-0`, `<group>-dlt`) and its client id
 * prefix when one is set: a group of its own, so that retry containers joining and leaving never
 * rebalance the main topic's consumers.
 */
export function retryEndpoints(input: RetryEndpointsInput): ConcurrentContainerOptions<unknown, unknown>[] {
  const { base, handler, retry, publisher, logger } = input;
  const mains = base.topics;
  if (mains === undefined || mains.length === 0) {
    throw new Error(`listener ${base.id}: @RetryableTopic needs topics by name (not a pattern or explicit partitions)`);
  }
  // One draw of the delays for all of the listener's topics (random back-offs stay in step).
  const delays = retryDelaysMs(retry);
  const destinations = mains.map((t) => destinationTopics(t, retry, delays));
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
      ...suffixed(base, retrySuffixOf(destinations, level)),
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
    const withDlt = destinations.find((d) => d.dltTopic !== undefined) as DestinationTopics;
    out.push({
      ...dltBase,
      ...suffixed(base, (withDlt.dltTopic as string).slice(withDlt.mainTopic.length)),
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

/** The main container's group, as the container resolves it: `groupId`, else `group.id`, else the id. */
function groupOf(base: RetryEndpointsInput['base']): string {
  return base.groupId ?? (base.consumerConfig['group.id'] as string | undefined) ?? base.id;
}

/** A retry or DLT container's id, group and client id prefix: the main one's plus the topic suffix. */
function suffixed(
  base: RetryEndpointsInput['base'],
  suffix: string,
): { id: string; groupId: string; clientIdPrefix?: string } {
  return {
    id: `${base.id}${suffix}`,
    groupId: `${groupOf(base)}${suffix}`,
    ...(base.clientIdPrefix === undefined ? {} : { clientIdPrefix: `${base.clientIdPrefix}${suffix}` }),
  };
}

function retrySuffixOf(destinations: readonly DestinationTopics[], level: number): string {
  const d = destinations.find((x) => x.retryTopics[level] !== undefined) as DestinationTopics;
  return (d.retryTopics[level] as { name: string }).name.slice(d.mainTopic.length);
}
