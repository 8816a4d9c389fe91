import type { ProducerStateDescription } from '@samsa/client';
import { prettyPrintTable } from '../../support/pretty-print-table.js';
import { intOption, orFail, type TransactionsRun } from './transactions-admin.js';

export const DESCRIBE_PRODUCERS_HEADERS = [
  'ProducerId',
  'ProducerEpoch',
  'LatestCoordinatorEpoch',
  'LastSequence',
  'LastTimestamp',
  'CurrentTransactionStartOffset',
] as const;

/** A producer's row: a coordinator epoch never set reads -1, no open transaction `None` (Java's Optionals). */
export function producerRow(p: ProducerStateDescription): string[] {
  return [
    String(p.producerId),
    String(p.producerEpoch),
    String(p.coordinatorEpoch < 0 ? -1 : p.coordinatorEpoch),
    String(p.lastSequence),
    String(p.lastTimestamp),
    p.currentTransactionStartOffset < 0n ? 'None' : String(p.currentTransactionStartOffset),
  ];
}

/** `describe-producers --topic T --partition P [--broker-id B]`: the partition's active producers. */
export async function describeProducers({ admin, options, io }: TransactionsRun): Promise<void> {
  const topic = options.value('topic') as string;
  const partition = intOption(options, 'partition') as number;
  const brokerId = intOption(options, 'broker-id');
  const on = brokerId === undefined ? 'leader' : `broker ${brokerId}`;
  const [state] = await orFail(`Failed to describe producers for partition ${topic}-${partition} on ${on}`, () =>
    admin.describeProducers([{ topic, partition }], brokerId === undefined ? {} : { brokerId }),
  );
  io.stdout.write(prettyPrintTable(DESCRIBE_PRODUCERS_HEADERS, (state?.activeProducers ?? []).map(producerRow)));
}
