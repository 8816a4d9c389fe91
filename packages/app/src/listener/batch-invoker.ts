import type { ConsumerRecord } from '@samsa/client';
import { BatchListenerFailedException } from '../error/batch-listener-failed-exception.js';
import { toError, unwrapListenerError } from '../error/listener-execution-failed-exception.js';
import type { BatchListener, ListenerContext } from './listener-context.js';
import { type InvokerHost, ListenerInvoker } from './listener-invoker.js';
import { batchHeaders } from './listener-message.js';
import { RecoveredRecords } from './recovered-records.js';

type Raw = ConsumerRecord<Buffer, Buffer>;
interface Good<K, V> {
  readonly raw: Raw;
  readonly record: ConsumerRecord<K, V>;
}

/**
 * Hands each poll's records to a batch listener as one list (Spring's batch listener).
 *
 * A record that cannot be deserialized goes to the container's error handler first: recovered,
 * it is left out of the batch and acked, and remembered for the run so that a retry of the batch
 * delivering it again does not recover it twice (`RecoveredRecords`); otherwise the records
 * before it make the batch, and it and the rest of the poll come again with the next poll. When
 * the listener fails (and the listener error handler does not handle it), or sending its result
 * (`sendTo`, to the first record's reply topic for `true`) fails, the container's error handler
 * answers with a `BatchDecision`: from which record the batch comes again. A `nack(index, sleep)`
 * does the same and pauses every partition for its sleep. Redelivery is by seek (`PollSeeks`):
 * the records before that point are acked (in every ack mode), the rest are not, and no record
 * of a partition that the listener or an error handler sought through the `ListenerConsumer` is
 * acked. A batch handled without a `nack` is acked whole, except in the manual ack modes, where
 * the listener's `acknowledge()` does that.
 *
 * Events: `failure`, `retry` and `recovered` for each record that fails deserialization and for
 * each failed batch (naming the failed record, or the first one), `batch` for a handled batch.
 */
export class BatchInvoker<K, V> extends ListenerInvoker<K, V> {
  private readonly recoveredRecords = new RecoveredRecords();

  constructor(
    host: InvokerHost<K, V>,
    private readonly listener: BatchListener<K, V>,
  ) {
    super(host);
  }

  async invoke(raws: Raw[]): Promise<void> {
    await this.invokeBatch(raws);
    // MANUAL_IMMEDIATE: the listener's acknowledge() is committed before the next poll.
    await this.host.committer.settled();
  }

  private async invokeBatch(raws: Raw[]): Promise<void> {
    const { counters, seeks } = this.host;
    this.recoveredRecords.prune(raws);
    const handled: Raw[] = [];
    const good: Good<K, V>[] = [];
    for (let i = 0; i < raws.length; i++) {
      const raw = raws[i] as Raw;
      if (this.recoveredRecords.has(raw)) {
        handled.push(raw);
        continue;
      }
      try {
        good.push({ raw, record: this.deserialize(raw) });
      } catch (thrown) {
        if (await this.deserializationFailed(toError(thrown), raw)) {
          handled.push(raw);
          continue;
        }
        // Deliver what came before now; this record and the rest come again with the next poll.
        seeks.seekRemaining(raws, i);
        break;
      }
    }
    if (good.length === 0) {
      this.done(handled);
      return;
    }
    const records = good.map((g) => g.record);
    const first = good[0] as Good<K, V>;
    const deliveryAttempt = this.host.errorHandler.deliveryAttempt(first.raw, this.host.listenerId);
    const { ctx, decision } = this.context(
      batchHeaders(records, this.host.groupId),
      good.map((g) => g.raw),
      deliveryAttempt,
    );
    const failure = await this.callListener(records, first.record, ctx);
    if (failure !== undefined) return this.batchFailed(failure, good, handled);
    counters.records += good.length;
    counters.batches++;
    this.host.publish('batch', { count: good.length });
    const goodRaws = good.map((g) => g.raw);
    if (decision.nack !== undefined) {
      seeks.seekRemaining(goodRaws, decision.nack.index);
      this.done([...handled, ...goodRaws.slice(0, decision.nack.index)]);
      this.host.pauses.pauseAllFor(decision.nack.sleepMs);
      return;
    }
    for (const r of goodRaws) seeks.handled(r);
    this.done(this.host.committer.isManual ? handled : [...handled, ...goodRaws]);
  }

  /**
   * Runs the listener and sends its result on; on failure, the listener error handler and the
   * send of its result. Answers the error for the container's error handler, if any.
   */
  private async callListener(
    records: ConsumerRecord<K, V>[],
    first: ConsumerRecord<K, V>,
    ctx: ListenerContext,
  ): Promise<Error | undefined> {
    try {
      const result = await this.listener(records, ctx);
      await this.reply(first, result);
      return undefined;
    } catch (thrown) {
      const outcome = await this.listenerErrorHandler(
        toError(thrown),
        records.map((r) => r.value),
        ctx,
      );
      if (outcome.error !== undefined) return outcome.error;
      try {
        await this.reply(first, outcome.result);
        return undefined;
      } catch (replyError) {
        return toError(replyError);
      }
    }
  }

  /** A record that failed deserialization: true when recovered (then it is done). */
  private async deserializationFailed(error: Error, raw: Raw): Promise<boolean> {
    const { counters } = this.host;
    counters.failures++;
    this.publishFor('failure', raw, { error });
    const decision = await this.host.errorHandler.handleRecord(
      error,
      { raw, record: undefined },
      this.errorHandlerContext(),
    );
    if (decision === 'recovered') {
      counters.recovered++;
      this.publishFor('recovered', raw);
      this.recoveredRecords.add(raw);
      return true;
    }
    counters.retries++;
    this.publishFor('retry', raw);
    return false;
  }

  private async batchFailed(error: Error, good: Good<K, V>[], handled: Raw[]): Promise<void> {
    const { counters, seeks } = this.host;
    const goodRaws = good.map((g) => g.raw);
    const cause = unwrapListenerError(error);
    const named = cause instanceof BatchListenerFailedException ? cause.indexIn(good.map((g) => g.record)) : -1;
    counters.failures++;
    this.publishFor('failure', goodRaws[Math.max(named, 0)] as Raw, { count: good.length, error });
    const batchDecision = await this.host.errorHandler.handleBatch(error, good, this.errorHandlerContext());
    const at = goodRaws[Math.max(batchDecision.index, 0)] as Raw;
    let from: number;
    if (batchDecision.decision === 'retry') {
      from = batchDecision.index;
      counters.retries++;
      this.publishFor('retry', at);
    } else {
      from = batchDecision.index + 1;
      // A BatchListenerFailedException's record alone is recovered; else the batch up to index.
      const count = named >= 0 && named === batchDecision.index ? 1 : batchDecision.index + 1;
      counters.recovered += count;
      this.publishFor('recovered', at, { count });
    }
    seeks.seekRemaining(goodRaws, from);
    this.done([...handled, ...goodRaws.slice(0, Math.max(from, 0))]);
  }

  /** Records done with: acked unless their partition was sought back before them. */
  private done(records: readonly Raw[]): void {
    for (const r of records) this.host.seeks.handled(r);
    this.host.seeks.ackUnlessSought(records);
  }
}
