import { KafkaError } from '@samsa/client';
import { CommandError } from '../../support/command-errors.js';
import { brokerMessage } from '../../support/error-report.js';
import { javaExceptionClass } from '../../support/java-exception.js';

/**
 * The two ways ReassignPartitionsCommand ends in failure (exit status 1 both): a TerseException
 * prints its message alone; any other exception prints `Error: <message>` and a stack trace, of
 * which Samsa keeps the first line. Kafka prints both to stdout; Samsa, as its other tools, to
 * stderr.
 */

/** Kafka's TerseException: expected failures, worded for the operator. */
export function terseFailure(message: string): CommandError {
  return new CommandError(message);
}

/** Kafka's AdminCommandFailedException, AdminOperationException, JsonMappingException... */
export function toolFailure(message: string): CommandError {
  return new CommandError(`Error: ${message}`);
}

/**
 * A failed admin call as Kafka prints it: `KafkaFuture.get()` wraps the error in an
 * ExecutionException, whose message is the cause's `toString()` — `<class>: <message>`.
 */
export function adminFailure(error: KafkaError): CommandError {
  return toolFailure(`${javaExceptionClass(error.errorName)}: ${brokerMessage(error.message)}`);
}

/** `adminFailure` for Kafka errors; anything else is left to the tool's error report. */
export function asToolFailure(error: unknown): unknown {
  return error instanceof KafkaError ? adminFailure(error) : error;
}

/** Java's `List.toString()`: `[1, 2, 3]`. */
export function javaList(values: readonly (string | number)[]): string {
  return `[${values.join(', ')}]`;
}
