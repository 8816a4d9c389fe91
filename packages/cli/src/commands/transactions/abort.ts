import { type AbortTransactionSpec, abortTransactionSpecString } from '@samsa/client';
import type { ParsedOptions } from '../../options/option-parser.js';
import {
  intOption,
  longOption,
  orFail,
  type TransactionsAdmin,
  type TransactionsRun,
  transactionsFailure,
} from './transactions-admin.js';

/**
 * Kafka's checks of `abort`, before anything is sent: the transaction is named by its start
 * offset (brokers 3.0+, which answer DescribeProducers) or by producer id, epoch and coordinator
 * epoch together. The start offset wins when both are given, as in Kafka.
 */
export function checkAbort(options: ParsedOptions): void {
  if (!options.has('start-offset') && !options.has('producer-id')) {
    throw transactionsFailure(
      'The transaction to abort must be identified either with --start-offset (for brokers on 3.0 or above) ' +
        'or with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)',
    );
  }
  if (options.has('start-offset')) return;
  if (!options.has('producer-epoch')) throw transactionsFailure('Missing required argument --producer-epoch');
  if (!options.has('coordinator-epoch')) throw transactionsFailure('Missing required argument --coordinator-epoch');
}

/** The producer whose open transaction starts at `startOffset`, from the partition leader's producer state. */
async function specAtOffset(
  admin: TransactionsAdmin,
  topic: string,
  partition: number,
  startOffset: bigint,
): Promise<AbortTransactionSpec> {
  const [state] = await orFail(`Failed to validate producer state for partition ${topic}-${partition}`, () =>
    admin.describeProducers([{ topic, partition }]),
  );
  const producer = state?.activeProducers.find(
    (p) => p.currentTransactionStartOffset >= 0n && p.currentTransactionStartOffset === startOffset,
  );
  if (producer === undefined) {
    throw transactionsFailure(
      `Could not find any open transactions starting at offset ${startOffset} on partition ${topic}-${partition}`,
    );
  }
  return {
    topic,
    partition,
    producerId: producer.producerId,
    producerEpoch: producer.producerEpoch,
    coordinatorEpoch: Math.max(producer.coordinatorEpoch, 0),
  };
}

/**
 * `abort`: writes the ABORT marker for the transaction (Admin.abortTransaction). Like Kafka's tool
 * it prints nothing when it succeeds.
 */
export async function abortTransaction({ admin, options }: TransactionsRun): Promise<void> {
  const topic = options.value('topic') as string;
  const partition = intOption(options, 'partition') as number;
  const startOffset = longOption(options, 'start-offset');
  const spec =
    startOffset !== undefined
      ? await specAtOffset(admin, topic, partition, startOffset)
      : {
          topic,
          partition,
          producerId: longOption(options, 'producer-id') as bigint,
          producerEpoch: intOption(options, 'producer-epoch') as number,
          // A producer that hung before its first commit or abort has no coordinator epoch (-1 in
          // DescribeProducers); 0 is at most any epoch a coordinator can have, as Kafka reasons.
          coordinatorEpoch: Math.max(intOption(options, 'coordinator-epoch') as number, 0),
        };
  await orFail(`Failed to abort transaction ${abortTransactionSpecString(spec)}`, () => admin.abortTransaction(spec));
}
