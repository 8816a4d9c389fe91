/**
 * How argparse4j (0.7, the version Kafka ships) declares a parser with subcommands, as Kafka's
 * `kafka-transactions.sh` uses it: options of the main parser before the command, then the
 * command's own options. The declarations are data; `argparse-subparsers.ts` parses with them and
 * `argparse-subparsers-help.ts` prints their usage and help.
 */

/** One `addArgument(...)`: `.action(store())` with a metavar, or a switch without one. */
export interface ArgparseOption {
  /** As declared, long form last: `['-v', '--version']`, `['--topic']`. */
  readonly flags: readonly string[];
  /** The name in the parsed options (`topic`); argparse4j's dest with dashes. */
  readonly dest: string;
  readonly help: string;
  /** Shown after the flag (`--topic TOPIC`); absent for a switch. */
  readonly metavar?: string;
  /** `.type(X.class)`: values are checked as X.valueOf checks them. */
  readonly type?: 'String' | 'Short' | 'Integer' | 'Long';
  readonly required?: boolean;
  /** `.setDefault(...)`: what `value()` gives when the option is absent. */
  readonly defaultValue?: string;
}

/** `addArgumentGroup(title).description(...)`: options listed in a section of their own in the help. */
export interface ArgparseGroup {
  readonly title: string;
  readonly description: string;
  readonly dests: readonly string[];
}

/** A parser: the main one, or one subcommand's (`subparsers.addParser(name)`). */
export interface ArgparseParser {
  /** `.description(...)`, printed under the usage line of this parser's help. */
  readonly description?: string;
  /** Declaration order, without `-h, --help` (every parser has it first). */
  readonly options: readonly ArgparseOption[];
  readonly groups?: readonly ArgparseGroup[];
}

export interface ArgparseCommand extends ArgparseParser {
  readonly name: string;
  /** `.help(...)`: its line in the main help's command list. */
  readonly help: string;
}

/** The main parser and its subcommands (`addSubparsers().title(...).metavar(...)`). */
export interface ArgparseProgram extends ArgparseParser {
  readonly prog: string;
  readonly commandsTitle: string;
  readonly commandsMetavar: string;
  readonly commands: readonly ArgparseCommand[];
}

/** What argparse4j adds to every parser. */
export const HELP_OPTION: ArgparseOption = {
  flags: ['-h', '--help'],
  dest: 'help',
  help: 'show this help message and exit',
};

/** A parser's options as argparse4j lists them: `-h, --help` first. */
export function optionsOf(parser: ArgparseParser): readonly ArgparseOption[] {
  return [HELP_OPTION, ...parser.options];
}

/** `--partition/-p` style name used in argparse4j's messages (`argument --topic is required`). */
export function textualName(option: ArgparseOption): string {
  return option.flags.join('/');
}
