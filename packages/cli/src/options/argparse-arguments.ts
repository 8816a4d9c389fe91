import { UsageError } from '../support/command-errors.js';
import type { ParsedOptions } from './option-parser.js';

/**
 * Argument checks as argparse4j words them, for Kafka's argparse4j tools (the verifiable
 * clients). The messages go through the tool's `formatUsageError`, which puts the usage line and
 * `prog: error:` before them.
 */

/** `.required(true)`. */
export function requireArguments(options: ParsedOptions, names: readonly string[]): void {
  for (const name of names) {
    if (!options.has(name)) throw new UsageError(`argument --${name} is required`);
  }
}

/**
 * A required mutually exclusive group: exactly one of `names`. Returns the one given.
 */
export function exactlyOneOf(options: ParsedOptions, names: readonly string[]): string {
  const given = names.filter((n) => options.has(n));
  if (given.length === 0) {
    throw new UsageError(`one of the arguments ${names.map((n) => `--${n}`).join(' ')} is required`);
  }
  if (given.length > 1) throw new UsageError(`argument --${given[1]}: not allowed with argument --${given[0]}`);
  return given[0] as string;
}

const RANGES = {
  Integer: [-(2 ** 31), 2 ** 31 - 1],
  Long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
} as const;

/**
 * `.type(Integer.class)` / `.type(Long.class)`: the value (or the declared default), refused as
 * argparse4j refuses what `Integer.valueOf` cannot parse. Longs are kept within the integers a
 * JavaScript number holds exactly (timestamps and counts are far below that).
 */
export function integerArgument(options: ParsedOptions, name: string, type: 'Integer' | 'Long'): number | undefined {
  const raw = options.value(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const [min, max] = RANGES[type];
  if (!/^[-+]?\d+$/.test(raw) || n < min || n > max) {
    throw new UsageError(`argument --${name}: could not convert '${raw}' to ${type} (For input string: "${raw}")`);
  }
  return n;
}

/** `.choices(...)`. */
export function checkChoice(name: string, value: number | string, choices: readonly (number | string)[]): void {
  if (!choices.includes(value)) {
    throw new UsageError(`argument --${name}: invalid choice: '${value}' (choose from {${choices.join(',')}})`);
  }
}
