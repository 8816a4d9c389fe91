import type { ConsumerRecord } from '@samsa/client';
import { toError } from '../error/listener-execution-failed-exception.js';
import { stderrLogger } from '../support/logger.js';
import type { BatchListener } from './listener-context.js';
import { type InvokerHost, ListenerInvoker } from './listener-invoker.js';
import { batchHeaders } from './listener-message.js';

/**
 * Hands each poll's records to a batch listener as one list (Spring's batch listener).
 *
 * A record that cannot be deserialized goes to the container's error handler first: recovered,
 * it is left out of the batch and acked; otherwise the records before it make the batch, and it
 * and the rest of the poll come again with the next poll. When the listener fails (and the
 * listener error handler does not handle it), the container's error handler answers with a
 * `BatchDecision`: from which record the batch comes again. A `nack(index, sleep)` does the same
 * and pauses every partition for its sleep. Redelivery is by seek (`PollSeeks`): the records before that point are acked
 * (in every ack mode), the rest are not, and no record of a partition that the listener or an
 * error handler sought through the `ListenerConsumer` is acked. A batch handled without a
 * `nack` is acked whole, except in the manual ack modes, where the listener's `acknowledge()`
 * does that.
 */
export class BatchInvoker<K, V> extends ListenerInvoker<K, V> {
  constructor(
    host: InvokerHost<K, V>,
    private readonly listener: BatchListener<K, V>,
  ) {
    super(host);
  }

  async invoke(raws: ConsumerRecord<Buffer, Buffer>[]): Promise<void> {
    const { errorHandler, counters, seeks } = this.host;
    const handled: ConsumerRecord<Buffer, Buffer>[] = [];
    const good: { raw: ConsumerRecord<Buffer, Buffer>; record: ConsumerRecord<K, V> }[] = [];
    for (let i = 0; i < raws.length; i++) {
      const raw = raws[i] as ConsumerRecord<Buffer, Buffer>;
      try {
        good.push({ raw, record: this.deserialize(raw) });
      } catch (thrown) {
        const error = toError(thrown);
        counters.failures++;
        const decision = await errorHandler.handleRecord(error, { raw, record: undefined }, this.errorHandlerContext());
        if (decision === 'recovered') {
          counters.recovered++;
          handled.push(raw);
          continue;
        }
        counters.retries++;
        // Deliver what came before now; this record and the rest come again with the next poll.
        seeks.seekRemaining(raws, i);
        break;
      }
    }
    if (good.length === 0) {
      seeks.ackUnlessSought(handled);
      return;
    }
    const records = good.map((g) => g.record);
    const first = good[0] as (typeof good)[number];
    const deliveryAttempt = errorHandler.deliveryAttempt(first.raw, this.host.listenerId);
    const { ctx, decision } = this.context(
      batchHeaders(records, this.host.groupId),
      good.map((g) => g.raw),
      deliveryAttempt,
    );
    try {
      await this.listener(records, ctx);
    } catch (thrown) {
      const outcome = await this.listenerErrorHandler(
        toError(thrown),
        records.map((r) => r.value),
        ctx,
      );
      if (outcome.error === undefined) {
        try {
          await this.reply(first.record, outcome.result);
        } catch (replyError) {
          // The batch was handled by the error handler; a failed send of its result is reported,
          // never a reason to stop the container.
          const error = toError(replyError);
          counters.failures++;
          this.host.publish('failure', { error });
          (this.host.settings.logger ?? stderrLogger).error(
            `listener ${this.host.listenerId}: sending the error handler's result failed`,
            { error },
          );
        }
      } else {
        counters.failures++;
        const batchDecision = await errorHandler.handleBatch(outcome.error, good, this.errorHandlerContext());
        const goodRaws = good.map((g) => g.raw);
        const from = batchDecision.decision === 'retry' ? batchDecision.index : batchDecision.index + 1;
        if (batchDecision.decision === 'retry') counters.retries++;
        else counters.recovered += batchDecision.index + 1;
        seeks.seekRemaining(goodRaws, from);
        seeks.ackUnlessSought([...handled, ...goodRaws.slice(0, Math.max(from, 0))]);
        return;
      }
    }
    counters.records += good.length;
    counters.batches++;
    this.host.publish('batch', { count: good.length });
    const goodRaws = good.map((g) => g.raw);
    if (decision.nack !== undefined) {
      seeks.seekRemaining(goodRaws, decision.nack.index);
      seeks.ackUnlessSought([...handled, ...goodRaws.slice(0, decision.nack.index)]);
      this.host.pauses.pauseAllFor(decision.nack.sleepMs);
      return;
    }
    if (this.host.committer.isManual) seeks.ackUnlessSought(handled);
    else seeks.ackUnlessSought([...handled, ...goodRaws]);
  }
}
