import { formatHelp } from '../options/help-formatter.js';
import { OptionParser, type OptionSpec, type ParsedOptions } from '../options/option-parser.js';
import { CommandError, UsageError } from './command-errors.js';
import type { CommandIo } from './command-io.js';
import { errorLine } from './error-report.js';

/** The version `--version` prints (Samsa's, not a Kafka release). */
export const SAMSA_VERSION = '0.1.0';

/** A renamed flag (KIP-1147 and earlier renames): both spellings work, the old one warns. */
export interface DeprecatedAlias {
  readonly old: string;
  readonly current: string;
  /** Kafka's warning; absent for renames Kafka accepts silently (`--broker-list`). */
  readonly warning?: string;
  /** Both spellings may be given together (the old one then wins, as in Kafka). */
  readonly allowBoth?: boolean;
}

/** One Kafka tool: `samsa <name>` and `bin/<script>`. */
export interface Tool {
  readonly name: string;
  readonly script: string;
  /** The first line of `--help`, Kafka's own wording. */
  readonly purpose: string;
  readonly specs: readonly OptionSpec[];
  readonly aliases?: readonly DeprecatedAlias[];
  /** Prefix Kafka puts before a failure's message (`Error while executing topic command : `). */
  readonly errorPrefix?: string;
  /**
   * `--help` in another layout than joptsimple's (Kafka's argparse4j tools); `options`, when
   * given, is the command line that asked for it (a subcommand's `--help` shows that subcommand).
   */
  formatHelp?(specs: readonly OptionSpec[], options?: ParsedOptions): string;
  /** How a usage error is printed (argparse4j: the usage line, then `prog: error: <message>`). */
  formatUsageError?(message: string): string;
  /**
   * Parses the command line instead of the joptsimple-like parser over `specs`, for tools whose
   * options depend on a subcommand (argparse4j's subparsers: `--bootstrap-server b list`).
   */
  parse?(argv: readonly string[]): ParsedOptions;
  run(options: ParsedOptions, io: CommandIo): Promise<number>;
}

/** Kafka 4.2's wording for a deprecated flag (KIP-1147). */
export function deprecationWarning(old: string, current: string): string {
  return `Warning: --${old} is deprecated and will be removed in a future version. Use --${current} instead.`;
}

/** For tools whose Kafka versions also dropped `--zookeeper`: where to go instead. */
function zookeeperHint(tool: Tool): string {
  return (
    `--zookeeper is not supported by ${tool.script}: ` +
    'talk to the broker directly with --bootstrap-server localhost:9092 instead.'
  );
}

/**
 * Parses a tool's command line and runs it, turning every failure into one line on stderr and
 * exit status 1: usage errors as Kafka words them, Kafka errors with their name, no stack traces.
 */
export async function runTool(tool: Tool, argv: readonly string[], io: CommandIo): Promise<number> {
  const parser = new OptionParser(tool.specs);
  const help = tool.formatHelp?.(tool.specs) ?? formatHelp(tool.purpose, parser.specs.values());
  try {
    const zookeeperFlag = argv.some((a) => a === '--zookeeper' || a.startsWith('--zookeeper='));
    if (zookeeperFlag && !parser.specs.has('zookeeper')) throw new UsageError(zookeeperHint(tool));
    if (argv.length === 0) {
      io.stderr.write(help);
      return 1;
    }
    const options = tool.parse?.(argv) ?? parser.parse(argv);
    if (options.has('help')) {
      io.stdout.write(tool.formatHelp?.(tool.specs, options) ?? help);
      return 0;
    }
    if (options.has('version')) {
      io.stdout.write(`${SAMSA_VERSION} (Samsa)\n`);
      return 0;
    }
    for (const alias of tool.aliases ?? []) {
      if (options.has(alias.old) && options.has(alias.current) && alias.allowBoth !== true) {
        throw new UsageError(`Option "[${alias.old}]" can't be used with option "[${alias.current}]"`);
      }
      if (options.has(alias.old) && alias.warning !== undefined) io.stderr.write(`${alias.warning}\n`);
    }
    return await tool.run(options, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${tool.formatUsageError?.(error.message) ?? error.message}\n`);
      return 1;
    }
    if (error instanceof CommandError) {
      io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`${tool.errorPrefix ?? 'Error: '}${errorLine(error)}\n`);
    return 1;
  }
}

/** The value of whichever spelling of a renamed flag was given (current first). */
export function aliased(options: ParsedOptions, current: string, old: string): string | undefined {
  return options.has(current) ? options.value(current) : options.has(old) ? options.value(old) : options.value(current);
}

export function aliasedValues(options: ParsedOptions, current: string, old: string): string[] {
  return [...options.values(old), ...options.values(current)];
}

/** Kafka's `checkRequiredArgs`. */
export function requireOption(options: ParsedOptions, name: string): string {
  const value = options.value(name);
  if (!options.has(name) || value === undefined) throw new UsageError(`Missing required argument "[${name}]"`);
  return value;
}

/** Kafka's `checkInvalidArgs`: `name` may not be combined with any of `invalid`. */
export function checkInvalidArgs(options: ParsedOptions, name: string, invalid: readonly string[]): void {
  if (!options.has(name)) return;
  for (const other of invalid) {
    if (options.has(other)) throw new UsageError(`Option "[${name}]" can't be used with option "[${other}]"`);
  }
}
