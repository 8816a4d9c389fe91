import type { ArgparseCommand, ArgparseProgram } from '../../options/argparse-parser.js';

/**
 * The arguments of Kafka's TransactionsCommand (tools/src/main/java/org/apache/kafka/tools/
 * TransactionsCommand.java), declared as it declares them with argparse4j: the main parser's
 * options, then one subparser per command, in its order and with its help texts.
 */

const list: ArgparseCommand = {
  name: 'list',
  help: 'list transactions',
  options: [
    {
      flags: ['--duration-filter'],
      dest: 'duration-filter',
      help:
        'Duration (in millis) to filter by: if < 0, all transactions will be returned; otherwise, only ' +
        'transactions running longer than this duration will be returned',
      metavar: 'DURATION_FILTER',
      type: 'Long',
    },
  ],
};

const describe: ArgparseCommand = {
  name: 'describe',
  help: 'describe the state of an active transactional-id',
  description: 'Describe the state of an active transactional-id.',
  options: [
    {
      flags: ['--transactional-id'],
      dest: 'transactional-id',
      help: 'transactional id',
      metavar: 'TRANSACTIONAL_ID',
      required: true,
    },
  ],
};

const describeProducers: ArgparseCommand = {
  name: 'describe-producers',
  help: 'describe the states of active producers for a topic partition',
  options: [
    {
      flags: ['--broker-id'],
      dest: 'broker-id',
      help: 'optional broker id to describe the producer state on a specific replica',
      metavar: 'BROKER_ID',
      type: 'Integer',
    },
    { flags: ['--topic'], dest: 'topic', help: 'topic name', metavar: 'TOPIC', required: true },
    {
      flags: ['--partition'],
      dest: 'partition',
      help: 'partition number',
      metavar: 'PARTITION',
      type: 'Integer',
      required: true,
    },
  ],
};

const abort: ArgparseCommand = {
  name: 'abort',
  help: 'abort a hanging transaction (requires administrative privileges)',
  options: [
    { flags: ['--topic'], dest: 'topic', help: 'topic name', metavar: 'TOPIC', required: true },
    {
      flags: ['--partition'],
      dest: 'partition',
      help: 'partition number',
      metavar: 'PARTITION',
      type: 'Integer',
      required: true,
    },
    {
      flags: ['--start-offset'],
      dest: 'start-offset',
      help: 'start offset of the transaction to abort',
      metavar: 'START_OFFSET',
      type: 'Long',
    },
    { flags: ['--producer-id'], dest: 'producer-id', help: 'producer id', metavar: 'PRODUCER_ID', type: 'Long' },
    {
      flags: ['--producer-epoch'],
      dest: 'producer-epoch',
      help: 'producer epoch',
      metavar: 'PRODUCER_EPOCH',
      type: 'Short',
    },
    {
      flags: ['--coordinator-epoch'],
      dest: 'coordinator-epoch',
      help: 'coordinator epoch',
      metavar: 'COORDINATOR_EPOCH',
      type: 'Integer',
    },
  ],
  groups: [
    {
      title: 'Brokers on versions 3.0 and above',
      description: 'For newer brokers, only the start offset of the transaction to be aborted is required',
      dests: ['start-offset'],
    },
    {
      title: 'Brokers on versions older than 3.0',
      description: 'For older brokers, you must provide all of these arguments',
      dests: ['producer-id', 'producer-epoch', 'coordinator-epoch'],
    },
  ],
};

const findHanging: ArgparseCommand = {
  name: 'find-hanging',
  help: 'find hanging transactions',
  options: [
    {
      flags: ['--broker-id'],
      dest: 'broker-id',
      help: 'broker id to search for hanging transactions',
      metavar: 'BROKER_ID',
      type: 'Integer',
    },
    {
      flags: ['--max-transaction-timeout'],
      dest: 'max-transaction-timeout',
      help: 'maximum transaction timeout in minutes to limit the scope of the search (15 minutes by default)',
      metavar: 'MAX_TRANSACTION_TIMEOUT',
      type: 'Integer',
      defaultValue: '15',
    },
    {
      flags: ['--topic'],
      dest: 'topic',
      help: 'topic name to limit search to (required if --partition is specified)',
      metavar: 'TOPIC',
    },
    { flags: ['--partition'], dest: 'partition', help: 'partition number', metavar: 'PARTITION', type: 'Integer' },
  ],
};

export const TRANSACTIONS_PROGRAM: ArgparseProgram = {
  prog: 'kafka-transactions.sh',
  description:
    'This tool is used to analyze the transactional state of producers in the cluster. It can be used to ' +
    'detect and recover from hanging transactions.',
  options: [
    { flags: ['-v', '--version'], dest: 'version', help: 'show the version of this Kafka distribution and exit' },
    {
      flags: ['--command-config'],
      dest: 'command-config',
      help: 'property file containing configs to be passed to admin client',
      metavar: 'FILE',
    },
    {
      flags: ['--bootstrap-server'],
      dest: 'bootstrap-server',
      help:
        'hostname and port for the broker to connect to, in the form `host:port`  (multiple comma-separated ' +
        'entries can be given)',
      metavar: 'host:port',
      required: true,
    },
  ],
  commandsTitle: 'commands',
  commandsMetavar: 'COMMAND',
  commands: [list, describe, describeProducers, abort, findHanging],
};
