import { prettyPrintTable } from '../../support/pretty-print-table.js';
import { longOption, orFail, type TransactionsRun } from './transactions-admin.js';

export const LIST_HEADERS = ['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState'] as const;

/**
 * `list`: the transactions every broker's coordinator holds, the coordinator's id beside each
 * (Java's `allByBrokerId()`), brokers in id order; `--duration-filter` keeps those running longer.
 */
export async function listTransactions({ admin, options, io }: TransactionsRun): Promise<void> {
  const durationFilterMs = longOption(options, 'duration-filter');
  const listings = await orFail('Failed to list transactions', () =>
    admin.listTransactions(durationFilterMs === undefined ? {} : { durationFilterMs }),
  );
  const rows = listings.map((l) => [l.transactionalId, String(l.coordinatorId), String(l.producerId), l.state]);
  io.stdout.write(prettyPrintTable(LIST_HEADERS, rows));
}
