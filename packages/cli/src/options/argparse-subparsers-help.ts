import {
  type ArgparseCommand,
  type ArgparseOption,
  type ArgparseParser,
  type ArgparseProgram,
  optionsOf,
} from './argparse-parser.js';
import { FORMAT_WIDTH, wrapText } from './argparse-text.js';

/**
 * Usage lines, `--help` and error text of an argparse4j program with subcommands, as argparse4j
 * 0.7 prints them (ArgumentParserImpl.printUsage/printHelp/handleError), checked line by line
 * against it for `kafka-transactions.sh`.
 */

/** The help column: titles up to 21 wide share the line with their help, which starts at 25. */
const HELP_COLUMN = 25;
const MAX_INLINE_TITLE = 21;

/** `--topic TOPIC`, `[--broker-id BROKER_ID]`, `[-h]`: the first flag, bracketed unless required. */
function shortSyntax(option: ArgparseOption): string {
  const text = option.metavar === undefined ? option.flags[0] : `${option.flags[0]} ${option.metavar}`;
  return option.required === true ? `${text}` : `[${text}]`;
}

/**
 * `usage: prog ...` for the main parser or a command's: a command's line repeats the main
 * parser's required options and the command name before its own options.
 */
export function argparseUsage(program: ArgparseProgram, command?: ArgparseCommand): string {
  const tokens: string[] = [];
  if (command !== undefined) {
    for (const option of optionsOf(program)) if (option.required === true) tokens.push(shortSyntax(option));
    tokens.push(command.name);
  }
  for (const option of optionsOf(command ?? program)) tokens.push(shortSyntax(option));
  if (command === undefined) tokens.push(program.commandsMetavar, '...');
  const head = `usage: ${program.prog}`;
  // A program name wider than 30 columns puts the options on lines of their own, indented by 6.
  const [offset, first] = head.length > 30 ? [6, `${head}\n${' '.repeat(6)}`] : [head.length, head];
  const indent = ' '.repeat(offset);
  let text = first;
  let column = offset;
  tokens.forEach((token, i) => {
    if (i > 0 && column + token.length + 1 > FORMAT_WIDTH) {
      text += `\n${indent} ${token}`;
      column = offset + 1 + token.length;
    } else {
      text += ` ${token}`;
      column += 1 + token.length;
    }
  });
  return text;
}

/** TextHelper.printHelp: a title and its help, wrapped in the help column. */
function helpEntry(title: string, help: string): string {
  if (help === '') return `  ${title}`;
  const gap =
    title.length <= MAX_INLINE_TITLE ? ' '.repeat(HELP_COLUMN - title.length - 2) : `\n${' '.repeat(HELP_COLUMN)}`;
  return `  ${title}${gap}${wrapText(help, FORMAT_WIDTH, HELP_COLUMN, ' '.repeat(HELP_COLUMN))}`;
}

/** `-h, --help`, `--topic TOPIC`: every flag, each with the metavar. */
function optionTitle(option: ArgparseOption): string {
  return option.flags.map((f) => (option.metavar === undefined ? f : `${f} ${option.metavar}`)).join(', ');
}

function optionSections(parser: ArgparseParser): string[] {
  const grouped = new Set(parser.groups?.flatMap((g) => g.dests) ?? []);
  const lines = ['', 'optional arguments:'];
  for (const option of optionsOf(parser)) {
    if (!grouped.has(option.dest)) lines.push(helpEntry(optionTitle(option), option.help));
  }
  return lines;
}

function groupSections(parser: ArgparseParser): string[] {
  const lines: string[] = [];
  for (const group of parser.groups ?? []) {
    lines.push('', `${group.title}:`, `  ${wrapText(group.description, FORMAT_WIDTH, 2, '  ')}`, '');
    for (const option of parser.options) {
      if (group.dests.includes(option.dest)) lines.push(helpEntry(optionTitle(option), option.help));
    }
  }
  return lines;
}

/** `--help` of the program (no command) or of one command. */
export function argparseHelp(program: ArgparseProgram, command?: ArgparseCommand): string {
  const parser = command ?? program;
  const lines = [argparseUsage(program, command)];
  if (parser.description !== undefined) lines.push('', wrapText(parser.description, FORMAT_WIDTH, 0, ''));
  lines.push(...optionSections(parser));
  if (command === undefined) {
    lines.push('', `${program.commandsTitle}:`, `  ${program.commandsMetavar}`);
    for (const c of program.commands) lines.push(helpEntry(`  ${c.name}`, c.help));
  }
  lines.push(...groupSections(parser));
  return `${lines.join('\n')}\n`;
}

/** handleError: the usage of the parser that failed, then `prog: error: message` wrapped, then any hint. */
export function argparseError(
  program: ArgparseProgram,
  command: ArgparseCommand | undefined,
  message: string,
  hint = '',
): string {
  const error = wrapText(`${program.prog}: error: ${message}\n`, FORMAT_WIDTH, 0, '');
  return `${argparseUsage(program, command)}\n${error}${hint}`;
}
