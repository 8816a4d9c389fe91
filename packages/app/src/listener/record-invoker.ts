import type { ConsumerRecord } from '@samsa/client';
import type { FailedRecord } from '../error/common-error-handler.js';
import { toError } from '../error/listener-execution-failed-exception.js';
import { KafkaBackoffException } from './kafka-backoff-exception.js';
import type { RecordListener } from './listener-context.js';
import { type InvokerHost, ListenerInvoker } from './listener-invoker.js';
import { recordHeaders } from './listener-message.js';

/**
 * Hands a poll's records to a record listener one at a time, in the poll's order. A failure
 * goes to the listener error handler, then to the container's error handler, which recovers the
 * record (it is acked and the poll goes on) or has it delivered again: then the record's
 * partition is sought back to it, the others to their first record left, and the rest of the
 * poll is dropped (`PollSeeks`). A `nack` does the same and pauses every partition for its
 * sleep; a `KafkaBackoffException` seeks back and pauses only that record's partition, and the
 * other partitions go on.
 *
 * A record is acked once handled or recovered, unless its partition was sought during this
 * poll; in the manual ack modes a handled record is acked by the listener's `acknowledge()`
 * only, a recovered one still by the container. With `immediateStop`, a stop drops the rest of
 * the poll after the record in hand, seeking back to it.
 */
export class RecordInvoker<K, V> extends ListenerInvoker<K, V> {
  constructor(
    host: InvokerHost<K, V>,
    private readonly listener: RecordListener<K, V>,
  ) {
    super(host);
  }

  async invoke(records: ConsumerRecord<Buffer, Buffer>[]): Promise<void> {
    const { seeks, committer } = this.host;
    for (let i = 0; i < records.length; i++) {
      const raw = records[i] as ConsumerRecord<Buffer, Buffer>;
      if (seeks.isSought(raw)) continue;
      if (this.host.isStopping() && this.host.settings.immediateStop === true) {
        seeks.seekRemaining(records, i);
        return;
      }
      const step = await this.handleRecord(raw, records, i);
      // MANUAL_IMMEDIATE: the listener's acknowledge() is committed before the next record.
      await committer.settled();
      if (step === 'break') return;
      seeks.handled(raw);
      await committer.afterRecord();
    }
  }

  private async handleRecord(
    raw: ConsumerRecord<Buffer, Buffer>,
    records: ConsumerRecord<Buffer, Buffer>[],
    index: number,
  ): Promise<Step> {
    const { errorHandler, seeks, committer } = this.host;
    let record: ConsumerRecord<K, V>;
    try {
      record = this.deserialize(raw);
    } catch (error) {
      return this.recordFailed(toError(error), { raw, record: undefined }, records, index);
    }
    const deliveryAttempt = errorHandler.deliveryAttempt(raw, this.host.listenerId);
    const { ctx, decision } = this.context(
      recordHeaders(record, this.host.groupId, deliveryAttempt),
      [raw],
      deliveryAttempt,
    );
    try {
      const result = await this.listener(record, ctx);
      await this.reply(record, result);
    } catch (thrown) {
      const error = toError(thrown);
      if (error instanceof KafkaBackoffException) return this.backOff(error, raw);
      const handled = await this.listenerErrorHandler(error, record.value, ctx);
      if (handled.error !== undefined) return this.recordFailed(handled.error, { raw, record }, records, index);
      try {
        await this.reply(record, handled.result);
      } catch (replyError) {
        // Sending the error handler's result failed: the container's error handler decides, as
        // in Spring; it must not stop the container.
        return this.recordFailed(toError(replyError), { raw, record }, records, index);
      }
    }
    errorHandler.clear?.(raw, this.host.listenerId);
    this.host.counters.records++;
    this.publishFor('record', raw);
    if (decision.nack !== undefined) {
      seeks.seekRemaining(records, index);
      this.host.pauses.pauseAllFor(decision.nack.sleepMs);
      return 'break';
    }
    if (!seeks.isSought(raw) && !committer.isManual) committer.ack(raw);
    return 'next';
  }

  private async recordFailed(
    error: Error,
    failed: FailedRecord,
    records: ConsumerRecord<Buffer, Buffer>[],
    index: number,
  ): Promise<Step> {
    const { counters, seeks } = this.host;
    const raw = failed.raw;
    counters.failures++;
    this.publishFor('failure', raw, { error });
    const decision = await this.host.errorHandler.handleRecord(error, failed, this.errorHandlerContext());
    if (decision === 'recovered') {
      counters.recovered++;
      this.publishFor('recovered', raw);
      if (!seeks.isSought(raw)) this.host.committer.ack(raw);
      return 'next';
    }
    counters.retries++;
    this.publishFor('retry', raw);
    seeks.seekRemaining(records, index);
    return 'break';
  }

  /** Not a failure: the record waits, its partition paused, until it is due. */
  private backOff(error: KafkaBackoffException, raw: ConsumerRecord<Buffer, Buffer>): Step {
    this.host.seeks.seekBack(raw);
    this.host.pauses.pauseUntil(raw, error.dueTimestampMs);
    return 'next';
  }
}

/** After a record: go on with the poll's next record, or drop the rest of the poll. */
type Step = 'next' | 'break';
