import { prettyPrintTable } from '../../support/pretty-print-table.js';
import { orFail, type TransactionsRun, transactionsFailure } from './transactions-admin.js';

export const DESCRIBE_HEADERS = [
  'CoordinatorId',
  'TransactionalId',
  'ProducerId',
  'ProducerEpoch',
  'TransactionState',
  'TransactionTimeoutMs',
  'CurrentTransactionStartTimeMs',
  'TransactionDurationMs',
  'TopicPartitions',
] as const;

/**
 * `describe --transactional-id X`: one row from X's transaction coordinator. Without an open
 * transaction the start time and duration read `None`; the duration is measured with this
 * machine's clock against the coordinator's start time, as Kafka's tool does.
 */
export async function describeTransaction({ admin, options, io, nowMs }: TransactionsRun): Promise<void> {
  const transactionalId = options.value('transactional-id') as string;
  const failed = `Failed to describe transaction state of transactional-id \`${transactionalId}\``;
  const [result] = await orFail(failed, () => admin.describeTransactions([transactionalId]));
  if (result === undefined || result.description === null) throw transactionsFailure(failed, result?.error);
  const d = result.description;
  const start = d.transactionStartTimeMs;
  const row = [
    String(d.coordinatorId),
    transactionalId,
    String(d.producerId),
    String(d.producerEpoch),
    d.state,
    String(d.transactionTimeoutMs),
    start === null ? 'None' : String(start),
    start === null ? 'None' : String(BigInt(nowMs()) - start),
    d.topicPartitions.map((tp) => `${tp.topic}-${tp.partition}`).join(','),
  ];
  io.stdout.write(prettyPrintTable(DESCRIBE_HEADERS, [row]));
}
