import type { ConsumerRecord } from '@samsa/client';
import { KafkaHeaders } from '../support/kafka-headers.js';
import type { ReplyPublisher } from './container-options.js';
import { lastHeader } from './listener-message.js';

/**
 * Sends a listener's result on (Spring's `@SendTo`). With a topic, the result goes there; with
 * `true` (Spring's `@SendTo` without a value) it answers the request: to the topic in
 * `kafka_replyTopic`, the partition in `kafka_replyPartition` if given, carrying the request's
 * `kafka_correlationId` so that a ReplyingKafkaTemplate matches it. The reply keeps the
 * request's key.
 */
export async function replyTo(
  publisher: ReplyPublisher,
  sendTo: string | true,
  request: ConsumerRecord<unknown, unknown>,
  result: unknown,
): Promise<void> {
  if (sendTo !== true) {
    await publisher.send({ topic: sendTo, key: request.key, value: result });
    return;
  }
  const replyTopic = lastHeader(request.headers, KafkaHeaders.REPLY_TOPIC);
  if (replyTopic === undefined || replyTopic === null) {
    throw new Error(
      `no reply topic: the request ${request.topic}-${request.partition}@${request.offset} has no ${KafkaHeaders.REPLY_TOPIC} header and the listener names no @SendTo topic`,
    );
  }
  const correlation = lastHeader(request.headers, KafkaHeaders.CORRELATION_ID);
  const replyPartition = lastHeader(request.headers, KafkaHeaders.REPLY_PARTITION);
  const headers: { key: string; value: Buffer }[] = [];
  if (correlation !== undefined && correlation !== null)
    headers.push({ key: KafkaHeaders.CORRELATION_ID, value: correlation });
  await publisher.send({
    topic: replyTopic.toString('utf8'),
    ...(replyPartition !== undefined && replyPartition !== null && replyPartition.length === 4
      ? { partition: replyPartition.readInt32BE(0) }
      : {}),
    key: request.key,
    value: result,
    headers,
  });
}
