import { UsageError } from '../support/command-errors.js';
import {
  type ArgparseCommand,
  type ArgparseOption,
  type ArgparseParser,
  type ArgparseProgram,
  optionsOf,
  textualName,
} from './argparse-parser.js';
import { argparseError } from './argparse-subparsers-help.js';
import { didYouMean } from './argparse-text.js';
import { type OptionSpec, ParsedOptions } from './option-parser.js';

/** A command line of an argparse4j program with subcommands, parsed. */
export interface ParsedCommandLine {
  /** Every option by dest (`bootstrap-server`, `topic`), with `command` naming the subcommand. */
  readonly options: ParsedOptions;
  /** Absent only when `--help` or `--version` came before the command. */
  readonly command: ArgparseCommand | undefined;
}

const RANGES = {
  Short: [-(2n ** 15n), 2n ** 15n - 1n],
  Integer: [-(2n ** 31n), 2n ** 31n - 1n],
  Long: [-(2n ** 63n), 2n ** 63n - 1n],
} as const;

/**
 * `.type(X.class)`: what X.valueOf accepts, refused with argparse4j's message and the text of
 * Java's NumberFormatException (Short's range is checked after Integer's parse, as Java does).
 */
function checkType(option: ArgparseOption, value: string): string | undefined {
  const type = option.type ?? 'String';
  if (type === 'String') return undefined;
  const refuse = (detail: string) =>
    `argument ${textualName(option)}: could not convert '${value}' to ${type} (${detail})`;
  const parsed = /^[+-]?\d+$/.test(value) ? BigInt(value) : undefined;
  const parseRange = type === 'Long' ? RANGES.Long : RANGES.Integer;
  if (parsed === undefined || parsed < parseRange[0] || parsed > parseRange[1]) {
    return refuse(`For input string: "${value}"`);
  }
  if (type === 'Short' && (parsed < RANGES.Short[0] || parsed > RANGES.Short[1])) {
    return refuse(`Value out of range. Value:"${value}" Radix:10`);
  }
  return undefined;
}

/** A token argparse4j takes for a flag: a dash and more, but not a negative number. */
function isFlag(token: string): boolean {
  return token.startsWith('-') && token.length > 1 && !/^-\d+$/.test(token);
}

/** The option a flag names: exactly, or as the one option it abbreviates (`--boot`). */
function resolve(options: readonly ArgparseOption[], flag: string): ArgparseOption | undefined | string[] {
  const exact = options.find((o) => o.flags.includes(flag));
  if (exact !== undefined) return exact;
  const candidates = options.flatMap((o) => o.flags.filter((f) => f.startsWith(flag)));
  if (candidates.length === 1) return options.find((o) => o.flags.includes(candidates[0] as string));
  return candidates.length === 0 ? undefined : candidates.sort();
}

/** The command a word names: exactly, or as the one command it abbreviates (`describe-p`). */
function resolveCommand(
  program: ArgparseProgram,
  word: string,
  fail: (message: string) => never,
): ArgparseCommand | undefined {
  const exact = program.commands.find((c) => c.name === word);
  if (exact !== undefined || word === '') return exact;
  const candidates = program.commands.filter((c) => c.name.startsWith(word));
  if (candidates.length > 1) {
    fail(
      `ambiguous command: ${word} could match ${candidates
        .map((c) => c.name)
        .sort()
        .join(', ')}`,
    );
  }
  return candidates[0];
}

/** argparse4j's checkRequiredArgument reports the last required option missing. */
function lastMissing(parser: ArgparseParser, given: ReadonlyMap<string, string[]>): string | undefined {
  const missing = optionsOf(parser).filter((o) => o.required === true && !given.has(o.dest));
  const last = missing[missing.length - 1];
  return last === undefined ? undefined : `argument ${textualName(last)} is required`;
}

function toSpec(option: ArgparseOption): OptionSpec {
  return {
    name: option.dest,
    description: option.help,
    ...(option.metavar === undefined ? {} : { arg: 'required' as const, argName: option.metavar }),
    ...(option.defaultValue === undefined ? {} : { defaultValue: option.defaultValue }),
  };
}

/**
 * Parses `argv` as argparse4j 0.7 parses it for a program with subcommands: the main parser's
 * options up to the first word, which names the command, then that command's options. Flags and
 * commands may be abbreviated; `--flag=value` works; a repeated option keeps its last value. `-h` (and the
 * main parser's `-v`) take effect where they stand, before any check. Errors are thrown as
 * UsageError carrying argparse4j's complete text (usage of the parser that failed,
 * `prog: error: ...`, "Did you mean" hints); a required option missing is reported only if
 * nothing else went wrong, the main parser's first.
 */
export function parseCommandLine(program: ArgparseProgram, argv: readonly string[]): ParsedCommandLine {
  const given = new Map<string, string[]>();
  let command: ArgparseCommand | undefined;
  let deferred: { message: string; command: ArgparseCommand | undefined } | undefined;
  let separatorSeen = false;
  const fail: (message: string, hint?: string) => never = (message, hint = '') => {
    throw new UsageError(argparseError(program, command, message, hint).replace(/\n$/, ''));
  };
  const result = (): ParsedCommandLine => {
    const all = [...optionsOf(program), ...(command === undefined ? [] : optionsOf(command))];
    const specs = new Map<string, OptionSpec>(all.map((o) => [o.dest, toSpec(o)]));
    specs.set('command', { name: 'command', description: 'the subcommand', arg: 'required' });
    return { options: new ParsedOptions(specs, given, []), command };
  };

  for (let i = 0; i < argv.length; ) {
    const term = argv[i] as string;
    const parser: ArgparseParser = command ?? program;
    if (term === '--' && !separatorSeen) {
      separatorSeen = true;
      i++;
    } else if (isFlag(term) && !separatorSeen) {
      const eq = term.indexOf('=');
      const flag = eq < 0 ? term : term.slice(0, eq);
      const embedded = eq < 0 ? undefined : term.slice(eq + 1);
      const option = resolve(optionsOf(parser), flag);
      if (Array.isArray(option)) fail(`ambiguous option: ${flag} could match ${option.join(', ')}`);
      if (option === undefined) {
        const body = term.replace(/^-+/, '');
        const subjects = optionsOf(parser).flatMap((o) =>
          o.flags.map((f) => ({ subject: f, body: f.replace(/^-+/, '') })).filter((s) => s.body.length > 1),
        );
        fail(`unrecognized arguments: '${term}'`, body.length >= 2 ? didYouMean(body, subjects) : '');
      }
      i++;
      if (option.metavar === undefined) {
        if (embedded !== undefined) fail(`argument ${textualName(option)}: ignore implicit argument '${embedded}'`);
        given.set(option.dest, ['']);
        if (option.dest === 'help' || option.dest === 'version') return result();
        continue;
      }
      let value = embedded;
      if (value === undefined && i < argv.length && !(isFlag(argv[i] as string) && !separatorSeen)) value = argv[i++];
      if (value === undefined) fail(`argument ${textualName(option)}: expected one argument`);
      const refused = checkType(option, value);
      if (refused !== undefined) fail(refused);
      given.set(option.dest, [value]);
    } else if (command === undefined && !separatorSeen) {
      const missing = lastMissing(program, given);
      if (missing !== undefined) deferred ??= { message: missing, command: undefined };
      command = resolveCommand(program, term, fail);
      if (command === undefined) {
        const names = program.commands.map((c) => `'${c.name}'`).join(', ');
        const subjects = program.commands.map((c) => ({ subject: c.name, body: c.name }));
        fail(`invalid choice: '${term}' (choose from ${names})`, didYouMean(term, subjects));
      }
      given.set('command', [command.name]);
      i++;
    } else {
      fail(`unrecognized arguments: '${argv.slice(i).join(' ')}'`);
    }
  }
  if (command === undefined) fail('too few arguments');
  const missing = lastMissing(command, given);
  if (missing !== undefined) deferred ??= { message: missing, command };
  if (deferred !== undefined) {
    command = deferred.command;
    fail(deferred.message);
  }
  return result();
}
