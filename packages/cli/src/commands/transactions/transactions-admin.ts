import type { Admin } from '@samsa/client';
import type { ParsedOptions } from '../../options/option-parser.js';
import { CommandError } from '../../support/command-errors.js';
import type { CommandIo } from '../../support/command-io.js';
import { errorLine } from '../../support/error-report.js';

/** The admin calls `kafka-transactions.sh` makes: the real Admin, or a stub in unit tests. */
export type TransactionsAdmin = Pick<
  Admin,
  | 'listTransactions'
  | 'describeTransactions'
  | 'describeProducers'
  | 'abortTransaction'
  | 'listTopics'
  | 'describeTopics'
>;

/** What one subcommand runs with; the clock is passed in so that durations can be tested. */
export interface TransactionsRun {
  readonly admin: TransactionsAdmin;
  readonly options: ParsedOptions;
  readonly io: CommandIo;
  readonly nowMs: () => number;
}

/**
 * TransactionsCommand.printErrorAndExit: the message alone, or with the cause as Kafka words it
 * (`<message>: <cause>. Enable debug logging for additional detail.`) — the cause with its Kafka
 * error name, as Samsa's tools report errors. Printed on stderr, exit status 1.
 */
export function transactionsFailure(message: string, cause?: unknown): CommandError {
  if (cause === undefined) return new CommandError(message);
  return new CommandError(`${message}: ${errorLine(cause)}. Enable debug logging for additional detail.`);
}

/** Runs one admin call; its failure ends the command with `message` and the cause. */
export async function orFail<T>(message: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw transactionsFailure(message, error);
  }
}

/** An option checked as a number by the parser (`.type(Integer.class)`), or undefined. */
export function intOption(options: ParsedOptions, name: string): number | undefined {
  const value = options.value(name);
  return value === undefined ? undefined : Number(value);
}

/** An option checked as a Long by the parser, as a bigint (producer ids and offsets are int64). */
export function longOption(options: ParsedOptions, name: string): bigint | undefined {
  const value = options.value(name);
  return value === undefined ? undefined : BigInt(value);
}
