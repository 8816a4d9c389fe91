#!/usr/bin/env node
// TransactionProducerCli of librdkafka's suite (tests/java/TransactionProducerCli.java), ported
// to Samsa's own client: 0098_consumer_txn runs it through java/run-class.sh and
// compat/bin/kafka-run-class.sh to produce committed, aborted and open transactions that its
// librdkafka consumer then reads. Kafka's Java client is not available here, so this port stands
// in for it (which means the Java client itself is not exercised; see compat/README.md).
//
//   transaction-producer-cli.mjs <bootstrap.servers> <command>...
//
// Commands, one argument each, fields split on commas with the blanks around them (as the
// Java's `split("\\s*,\\s*")`):
//   topic,<name>            the topic of the following producerN commands
//   testid,<id>             part of the transactional.id of producers created afterwards
//   sleep,<ms>              pause
//   exit,<code>             exit at once, as System.exit: producers are not closed, so open
//                           transactions stay open and unsent records are lost
//   producerN,<partition>,<idStart>,<count>,<TransactionType>,<FlushType>
//                           with producer N (created on first use; transactional unless its
//                           first TransactionType is None), begin a transaction unless the type is
//                           None or Continue*, send <count> records to <partition> (-1: the
//                           partitioner's choice) with the one-byte key (i + idStart) and the value
//                           10 20 30 40 (hex), flush if DoFlush, then commit or abort as the
//                           type says (*Commit, *Abort; *Open leaves the transaction open).
// Numbers are read as Java's Integer.decode (decimal, 0x/# hex, 0 octal). At the end every
// producer is closed (which sends what is still buffered). An error ends the process with exit
// code 1 and the message on stderr, as an uncaught Java exception, without closing producers.
import { Producer } from '@samsa/client';

const TRANSACTION_TYPES = [
  'None',
  'BeginAbort',
  'BeginCommit',
  'BeginOpen',
  'ContinueAbort',
  'ContinueCommit',
  'ContinueOpen',
];
const FLUSH_TYPES = ['DoFlush', 'DontFlush'];
const PAYLOAD = Buffer.from([0x10, 0x20, 0x30, 0x40]);

/** An exception of the Java program: its class name is printed as the JVM prints it. */
class JavaException extends Error {
  constructor(javaClass, message) {
    super(message);
    this.javaClass = javaClass;
  }
}

/** Java's Integer.decode: optional sign, then 0x/0X/# (hex), 0 (octal) or decimal digits. */
function decodeInteger(text) {
  const invalid = () => new JavaException('java.lang.NumberFormatException', `For input string: "${text}"`);
  if (typeof text !== 'string' || text.length === 0) {
    throw new JavaException('java.lang.NumberFormatException', 'Zero length string');
  }
  let index = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    index = 1;
  }
  let radix = 10;
  if (text.startsWith('0x', index) || text.startsWith('0X', index)) {
    radix = 16;
    index += 2;
  } else if (text.startsWith('#', index)) {
    radix = 16;
    index += 1;
  } else if (text.startsWith('0', index) && text.length > index + 1) {
    radix = 8;
    index += 1;
  }
  const digits = text.slice(index);
  const pattern = { 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[radix];
  if (!pattern.test(digits)) throw invalid();
  const value = (negative ? -1 : 1) * Number.parseInt(digits, radix);
  if (value > 2147483647 || value < -2147483648) throw invalid();
  return value;
}

/** Java's `Enum.valueOf`: the exact constant name or IllegalArgumentException. */
function enumValue(names, enumName, text) {
  if (!names.includes(text)) {
    throw new JavaException(
      'java.lang.IllegalArgumentException',
      `No enum constant TransactionProducerCli.${enumName}.${text}`,
    );
  }
  return text;
}

/** `cmd[i]` of the Java program: a missing field is its ArrayIndexOutOfBoundsException. */
function field(cmd, index) {
  if (index >= cmd.length) {
    throw new JavaException(
      'java.lang.ArrayIndexOutOfBoundsException',
      `Index ${index} out of bounds for length ${cmd.length}`,
    );
  }
  return cmd[index];
}

/** Java's `split("\\s*,\\s*")`: trailing empty fields are dropped, as String.split drops them. */
function csvSplit(input) {
  const parts = input.split(/\s*,\s*/);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

async function createProducer(testid, id, bootstrapServers, transactional) {
  const producer = new Producer({
    'bootstrap.servers': bootstrapServers,
    'client.id': transactional ? `transactional-producer-${id}` : `producer-${id}`,
    'enable.idempotence': true,
    ...(transactional ? { 'transactional.id': `test-transactional-id-${testid}-${id}` } : {}),
    'linger.ms': 5, // ensure batching, as the Java program says
  });
  if (transactional) await producer.initTransactions();
  return producer;
}

async function makeTestMessages(producer, topic, partition, idStart, count, transactionType, flushType) {
  if (!['None', 'ContinueOpen', 'ContinueCommit', 'ContinueAbort'].includes(transactionType)) {
    producer.beginTransaction();
  }
  if (topic === null) throw new JavaException('java.lang.IllegalArgumentException', 'Topic cannot be null.');
  for (let i = 0; i < count; i++) {
    const record = {
      topic,
      key: Buffer.from([(i + idStart) & 0xff]), // Java's (byte)(i + idStart)
      value: PAYLOAD,
      ...(partition !== -1 ? { partition } : {}),
    };
    // The Java program ignores the Future send returns: a failed record (such as one dropped by
    // an abort) is not reported, and must not become an unhandled rejection here either.
    producer.send(record, () => {});
  }
  if (flushType === 'DoFlush') await producer.flush();
  if (transactionType === 'BeginAbort' || transactionType === 'ContinueAbort') {
    await producer.abortTransaction();
  } else if (transactionType === 'BeginCommit' || transactionType === 'ContinueCommit') {
    await producer.commitTransaction();
  }
}

async function main(args) {
  if (args.length < 1) {
    throw new JavaException('java.lang.ArrayIndexOutOfBoundsException', 'Index 0 out of bounds for length 0');
  }
  const bootstrapServers = args[0];
  const producers = new Map();
  let topic = null;
  let testid = null;

  for (const arg of args.slice(1)) {
    const cmd = csvSplit(arg);
    process.stdout.write(`TransactionProducerCli.java: command: '${arg}'\n`);

    if (cmd[0] === 'sleep') {
      const ms = decodeInteger(field(cmd, 1));
      if (ms < 0) throw new JavaException('java.lang.IllegalArgumentException', 'timeout value is negative');
      await new Promise((resolve) => setTimeout(resolve, ms));
    } else if (cmd[0] === 'exit') {
      // System.exit: nothing is closed or flushed.
      process.exit(decodeInteger(field(cmd, 1)) & 0xff);
    } else if (cmd[0] === 'topic') {
      topic = field(cmd, 1);
    } else if (cmd[0] === 'testid') {
      testid = field(cmd, 1);
    } else if (cmd[0].startsWith('producer')) {
      let producer = producers.get(cmd[0]);
      if (producer === undefined) {
        const transactional = enumValue(TRANSACTION_TYPES, 'TransactionType', field(cmd, 4)) !== 'None';
        producer = await createProducer(testid, cmd[0], bootstrapServers, transactional);
        producers.set(cmd[0], producer);
      }
      await makeTestMessages(
        producer,
        topic,
        decodeInteger(field(cmd, 1)), // partition, or -1 for any
        decodeInteger(field(cmd, 2)), // idStart
        decodeInteger(field(cmd, 3)), // msg count
        enumValue(TRANSACTION_TYPES, 'TransactionType', field(cmd, 4)),
        enumValue(FLUSH_TYPES, 'FlushType', field(cmd, 5)),
      );
    } else {
      throw new JavaException('java.lang.Exception', `Unknown command: ${arg}`);
    }
  }

  for (const producer of producers.values()) await producer.close();
}

try {
  await main(process.argv.slice(2));
  process.exit(0);
} catch (error) {
  // As the JVM reports an uncaught exception; producers stay unclosed, as their threads are
  // daemons that die with the JVM.
  const name = error instanceof JavaException ? error.javaClass : (error?.name ?? 'Error');
  process.stderr.write(`Exception in thread "main" ${name}: ${error?.message ?? String(error)}\n`);
  process.exit(1);
}
