import type { ProducerStateDescription, TopicPartition, TransactionDescription } from '@samsa/client';
import type { ParsedOptions } from '../../options/option-parser.js';
import { prettyPrintTable } from '../../support/pretty-print-table.js';
import {
  intOption,
  orFail,
  type TransactionsAdmin,
  type TransactionsRun,
  transactionsFailure,
} from './transactions-admin.js';

export const FIND_HANGING_HEADERS = [
  'Topic',
  'Partition',
  'ProducerId',
  'ProducerEpoch',
  'CoordinatorEpoch',
  'StartOffset',
  'LastTimestamp',
  'Duration(min)',
] as const;

/** Topics per DescribeTopics and partitions per DescribeProducers request, as Kafka batches them. */
const MAX_BATCH_SIZE = 500;

/** A transaction open on one partition, from that partition's producer state. */
export interface OpenTransaction extends TopicPartition {
  readonly producer: ProducerStateDescription;
}

/** Kafka's checks of `find-hanging`, before anything is sent. */
export function checkFindHanging(options: ParsedOptions): void {
  if (!options.has('topic') && !options.has('broker-id')) {
    throw transactionsFailure(
      'The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search',
    );
  }
  if (options.has('partition') && !options.has('topic')) {
    throw transactionsFailure('The --partition argument requires --topic to be provided');
  }
}

function batches<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_BATCH_SIZE) out.push(items.slice(i, i + MAX_BATCH_SIZE));
  return out;
}

/** The partitions to search: the one named, the topic's, or every topic's (internal ones too) on the broker. */
async function partitionsToSearch(
  admin: TransactionsAdmin,
  topic: string | undefined,
  partition: number | undefined,
  brokerId: number | undefined,
): Promise<TopicPartition[]> {
  if (topic !== undefined && partition !== undefined) return [{ topic, partition }];
  const topics =
    topic !== undefined
      ? [topic]
      : await orFail('Failed to list topics', () => admin.listTopics({ listInternal: true }));
  const out: TopicPartition[] = [];
  for (const batch of batches(topics)) {
    const described = await orFail(`Failed to describe ${batch.length} topics`, () => admin.describeTopics(batch));
    for (const t of described) {
      for (const p of t.partitions) {
        if (brokerId === undefined || p.replicas.includes(brokerId))
          out.push({ topic: t.name, partition: p.partition });
      }
    }
  }
  return out;
}

/**
 * Open transactions older than the longest transaction timeout allowed: their coordinator should
 * have aborted them by now, so they may hang. `brokerId` reads that replica's producer state.
 */
async function candidates(
  admin: TransactionsAdmin,
  partitions: readonly TopicPartition[],
  brokerId: number | undefined,
  maxTransactionTimeoutMs: number,
  nowMs: () => number,
): Promise<OpenTransaction[]> {
  const out: OpenTransaction[] = [];
  for (const batch of batches(partitions)) {
    // Kafka prints the Optional<Integer> as it is: `on broker Optional[1]` or `Optional.empty`.
    const on = brokerId === undefined ? 'Optional.empty' : `Optional[${brokerId}]`;
    const states = await orFail(`Failed to describe producers for ${batch.length} partitions on broker ${on}`, () =>
      admin.describeProducers(batch, brokerId === undefined ? {} : { brokerId }),
    );
    const now = BigInt(nowMs());
    for (const state of states) {
      for (const producer of state.activeProducers) {
        if (producer.currentTransactionStartOffset >= 0n && now - producer.lastTimestamp > maxTransactionTimeoutMs) {
          out.push({ topic: state.topic, partition: state.partition, producer });
        }
      }
    }
  }
  return out;
}

/**
 * Which candidates hang: those whose producer id no coordinator lists, whose transactional id no
 * coordinator can describe, or whose coordinator does not count the partition in the open
 * transaction (DescribeTransactions lists the partitions of an ongoing transaction and those still
 * waiting for a marker in PrepareCommit/PrepareAbort — a partition among them still gets one).
 */
export function hangingOf(
  open: readonly OpenTransaction[],
  transactionalIds: ReadonlyMap<bigint, string>,
  descriptions: ReadonlyMap<string, TransactionDescription | null>,
): OpenTransaction[] {
  return open.filter((t) => {
    const transactionalId = transactionalIds.get(t.producer.producerId);
    if (transactionalId === undefined) return true;
    const description = descriptions.get(transactionalId);
    if (description === undefined || description === null) return true;
    return !description.topicPartitions.some((tp) => tp.topic === t.topic && tp.partition === t.partition);
  });
}

/** The coordinators' transactional ids of `producerIds` (ListTransactions filtered by producer id). */
async function transactionalIdsOf(
  admin: TransactionsAdmin,
  producerIds: readonly bigint[],
): Promise<Map<bigint, string>> {
  const listings = await orFail(`Failed to list transactions for ${producerIds.length} producers`, () =>
    admin.listTransactions({ producerIdFilters: producerIds }),
  );
  // A listing for a producer not asked about is ignored, as Kafka only logs it.
  return new Map(
    listings.filter((l) => producerIds.includes(l.producerId)).map((l) => [l.producerId, l.transactionalId]),
  );
}

/** Descriptions by transactional id; null for an id no coordinator knows, any other error fails. */
async function descriptionsOf(
  admin: TransactionsAdmin,
  transactionalIds: readonly string[],
): Promise<Map<string, TransactionDescription | null>> {
  const failed = `Failed to describe ${transactionalIds.length} transactions`;
  const results = await orFail(failed, () => admin.describeTransactions(transactionalIds));
  const out = new Map<string, TransactionDescription | null>();
  for (const r of results) {
    if (r.error !== null && r.error.errorName !== 'TRANSACTIONAL_ID_NOT_FOUND')
      throw transactionsFailure(failed, r.error);
    out.set(r.transactionalId, r.description);
  }
  return out;
}

/** A hanging transaction's row; its duration in whole minutes since the producer last wrote. */
export function hangingRow(t: OpenTransaction, nowMs: number): string[] {
  const p = t.producer;
  return [
    t.topic,
    String(t.partition),
    String(p.producerId),
    String(p.producerEpoch),
    String(p.coordinatorEpoch < 0 ? -1 : p.coordinatorEpoch),
    String(p.currentTransactionStartOffset < 0n ? -1n : p.currentTransactionStartOffset),
    String(p.lastTimestamp),
    String((BigInt(nowMs) - p.lastTimestamp) / 60000n),
  ];
}

/**
 * `find-hanging`: Kafka's search for transactions left open on a broker's partitions — candidates
 * from the producer states, then checked with the coordinators (ListTransactions by producer id,
 * DescribeTransactions), printed one row per partition, grouped by producer id.
 */
export async function findHanging({ admin, options, io, nowMs }: TransactionsRun): Promise<void> {
  const brokerId = intOption(options, 'broker-id');
  const maxTransactionTimeoutMs = (intOption(options, 'max-transaction-timeout') as number) * 60_000;
  const partitions = await partitionsToSearch(admin, options.value('topic'), intOption(options, 'partition'), brokerId);
  const open = await candidates(admin, partitions, brokerId, maxTransactionTimeoutMs, nowMs);
  let hanging: OpenTransaction[] = [];
  if (open.length > 0) {
    const producerIds = [...new Set(open.map((t) => t.producer.producerId))].sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    const transactionalIds = await transactionalIdsOf(admin, producerIds);
    const descriptions = await descriptionsOf(admin, [...transactionalIds.values()]);
    const byProducer = producerIds.flatMap((id) => open.filter((t) => t.producer.producerId === id));
    hanging = hangingOf(byProducer, transactionalIds, descriptions);
  }
  const now = nowMs();
  io.stdout.write(
    prettyPrintTable(
      FIND_HANGING_HEADERS,
      hanging.map((t) => hangingRow(t, now)),
    ),
  );
}
