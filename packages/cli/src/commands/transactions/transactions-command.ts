import { parseCommandLine } from '../../options/argparse-subparsers.js';
import { argparseHelp } from '../../options/argparse-subparsers-help.js';
import type { OptionSpec, ParsedOptions } from '../../options/option-parser.js';
import { connectAdmin } from '../../support/admin-client.js';
import type { CommandIo } from '../../support/command-io.js';
import type { Tool } from '../../support/tool.js';
import { abortTransaction, checkAbort } from './abort.js';
import { describeTransaction } from './describe.js';
import { describeProducers } from './describe-producers.js';
import { checkFindHanging, findHanging } from './find-hanging.js';
import { listTransactions } from './list.js';
import type { TransactionsAdmin, TransactionsRun } from './transactions-admin.js';
import { TRANSACTIONS_PROGRAM } from './transactions-program.js';

/** One subcommand: checks of its arguments that need no broker, then what it does. */
interface Subcommand {
  check?(options: ParsedOptions): void;
  run(run: TransactionsRun): Promise<void>;
}

const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  list: { run: listTransactions },
  describe: { run: describeTransaction },
  'describe-producers': { run: describeProducers },
  abort: { check: checkAbort, run: abortTransaction },
  'find-hanging': { check: checkFindHanging, run: findHanging },
};

function subcommandOf(options: ParsedOptions): Subcommand {
  const name = options.value('command') as string;
  return SUBCOMMANDS[name] as Subcommand;
}

/** The checks Kafka makes once the command line parsed, before any request. */
export function checkTransactionsCommand(options: ParsedOptions): void {
  subcommandOf(options).check?.(options);
}

/** Runs a parsed `kafka-transactions.sh` command line with an admin client (a stub in unit tests). */
export async function executeTransactionsCommand(
  admin: TransactionsAdmin,
  options: ParsedOptions,
  io: CommandIo,
  nowMs: () => number = Date.now,
): Promise<void> {
  await subcommandOf(options).run({ admin, options, io, nowMs });
}

/** What `runTool` parses with for the `--zookeeper` check; the command line itself goes through `parse`. */
const specs: OptionSpec[] = [
  { name: 'bootstrap-server', description: 'hostname and port for the broker to connect to', arg: 'required' },
  {
    name: 'command-config',
    description: 'property file containing configs to be passed to admin client',
    arg: 'required',
  },
];

/**
 * `kafka-transactions.sh` (Kafka's TransactionsCommand, KIP-664): list and describe transactions,
 * describe a partition's producers, find hanging transactions and abort them. Its command line is
 * argparse4j's with subcommands: `--bootstrap-server b list`, options of the command after it.
 */
export const transactionsTool: Tool = {
  name: 'transactions',
  script: 'kafka-transactions.sh',
  purpose: TRANSACTIONS_PROGRAM.description as string,
  specs,
  parse: (argv) => parseCommandLine(TRANSACTIONS_PROGRAM, argv).options,
  formatHelp(_specs, options) {
    const name = options?.value('command');
    return argparseHelp(
      TRANSACTIONS_PROGRAM,
      TRANSACTIONS_PROGRAM.commands.find((c) => c.name === name),
    );
  },
  async run(options, io: CommandIo) {
    checkTransactionsCommand(options);
    const admin = await connectAdmin(options.value('bootstrap-server'), options.value('command-config'), io);
    try {
      await executeTransactionsCommand(admin, options, io);
      return 0;
    } finally {
      await admin.close();
    }
  },
};
