import { wrap } from './help-formatter.js';
import type { OptionSpec } from './option-parser.js';

const WIDTH = 80;
/** argparse4j's help column: the title padded to 22 after a two-space indent, then a space. */
const TITLE_WIDTH = 22;
const HELP_INDENT = ' '.repeat(24);

/**
 * A mutually exclusive group (argparse4j's `addMutuallyExclusiveGroup`): listed last in the
 * usage line as `(a | b)` and in a section of its own.
 */
export interface ArgparseGroup {
  readonly title: string;
  readonly description: string;
  readonly names: readonly string[];
  readonly required: boolean;
}

/** What argparse4j knows about a tool's arguments beyond their specs. */
export interface ArgparseLayout {
  /** The program name argparse4j prints (`verifiable-producer`), not the script's. */
  readonly prog: string;
  readonly description: string;
  /** Options declared `.required(true)`: shown without brackets in the usage line. */
  readonly required: readonly string[];
  readonly group?: ArgparseGroup;
}

/** Options shown in the help: the tool's own (the parser adds `version`, which argparse4j has not). */
function shown(specs: readonly OptionSpec[]): OptionSpec[] {
  return specs.filter((s) => s.name !== 'help' && s.name !== 'version');
}

function metavar(spec: OptionSpec): string {
  return spec.argName ?? spec.name.replace(/[-.]/g, '').toUpperCase();
}

function invocation(spec: OptionSpec): string {
  return spec.arg === undefined ? `--${spec.name}` : `--${spec.name} ${metavar(spec)}`;
}

/** `usage: prog [-h] --topic TOPIC [--x X] (--a A | --b B)`, wrapped under the program name. */
export function argparseUsage(layout: ArgparseLayout, specs: readonly OptionSpec[]): string {
  const grouped = new Set(layout.group?.names ?? []);
  const tokens = ['[-h]'];
  for (const spec of shown(specs)) {
    if (grouped.has(spec.name)) continue;
    tokens.push(layout.required.includes(spec.name) ? invocation(spec) : `[${invocation(spec)}]`);
  }
  const group = layout.group;
  if (group !== undefined) {
    const members = shown(specs).filter((s) => grouped.has(s.name));
    const [open, close] = group.required ? ['(', ')'] : ['[', ']'];
    members.forEach((spec, i) => {
      const first = i === 0 ? open : '';
      const last = i === members.length - 1 ? close : ' |';
      tokens.push(`${first}${invocation(spec)}${last}`);
    });
  }
  const head = `usage: ${layout.prog} `;
  const indent = ' '.repeat(head.length);
  const lines: string[] = [];
  let line = head;
  for (const token of tokens) {
    if (line.length > head.length && line.length + 1 + token.length > WIDTH) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += line === head || line === indent ? token : ` ${token}`;
  }
  lines.push(line);
  return lines.join('\n');
}

function helpText(spec: OptionSpec): string {
  if (spec.arg === undefined) return `${spec.description} (default: false)`;
  return spec.defaultValue === undefined ? spec.description : `${spec.description} (default: ${spec.defaultValue})`;
}

function argumentLines(title: string, help: string): string[] {
  const body = wrap(help, WIDTH - HELP_INDENT.length);
  if (title.length <= TITLE_WIDTH) {
    const [first = '', ...rest] = body;
    return [`  ${title.padEnd(TITLE_WIDTH)} ${first}`.trimEnd(), ...rest.map((l) => HELP_INDENT + l)];
  }
  return [`  ${title}`, ...body.map((l) => HELP_INDENT + l)];
}

/**
 * `--help` as argparse4j prints it for Kafka's argparse4j tools (the verifiable clients, the
 * perf tools in Kafka's source): usage line, description, `optional arguments:` in declaration
 * order with `(default: …)` appended (`defaultHelp(true)`; switches default to false), then the
 * mutually exclusive group's section. argparse4j also justifies the wrapped text with extra
 * spaces; these lines are left-aligned.
 */
export function formatArgparseHelp(layout: ArgparseLayout, specs: readonly OptionSpec[]): string {
  const grouped = new Set(layout.group?.names ?? []);
  const lines = [argparseUsage(layout, specs), '', ...wrap(layout.description, WIDTH), '', 'optional arguments:'];
  lines.push(...argumentLines('-h, --help', 'show this help message and exit'));
  for (const spec of shown(specs)) {
    if (!grouped.has(spec.name)) lines.push(...argumentLines(invocation(spec), helpText(spec)));
  }
  const group = layout.group;
  if (group !== undefined) {
    lines.push('', `${group.title}:`, ...wrap(group.description, WIDTH - 2).map((l) => `  ${l}`), '');
    for (const spec of shown(specs)) {
      if (grouped.has(spec.name)) lines.push(...argumentLines(invocation(spec), helpText(spec)));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** argparse4j's `handleError`: the usage line, then `prog: error: message`. */
export function argparseError(layout: ArgparseLayout, specs: readonly OptionSpec[], message: string): string {
  return `${argparseUsage(layout, specs)}\n${layout.prog}: error: ${message}`;
}
