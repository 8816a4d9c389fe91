/**
 * Errors a command reports as one line on stderr before exiting with status 1. They carry
 * only what the user needs to read: Kafka's tools print a usage dump or a stack trace here; we
 * print the message alone (and point to --help for usage).
 */

/** A bad command line: unknown flag, missing argument, conflicting options (Kafka's printUsageAndExit). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The command ran but failed; `message` is the complete line to print. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}
