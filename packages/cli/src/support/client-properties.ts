import { readFileSync } from 'node:fs';
import { CONFIG_DEFINITIONS, parseProperties } from '@samsa/client';
import { CommandError } from './command-errors.js';

/**
 * Kafka's `CommandLineUtils.parseKeyValueArgs`: each `key=value` splits at the first `=`; a key
 * without a value gets the empty string.
 */
export function parseKeyValueArgs(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq < 0) out.set(arg, '');
    else out.set(arg.slice(0, eq), arg.slice(eq + 1));
  }
  return out;
}

/** Kafka's `Utils.loadProps`: a Java `.properties` file. */
export function loadProps(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CommandError(
      `${path} (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (error as Error).message})`,
    );
  }
  return parseProperties(text);
}

/**
 * Client settings for Samsa's client from Kafka-style properties. Java's clients warn about keys
 * they do not know and go on ("The configuration 'x' was supplied but isn't a known config."),
 * whereas Samsa's client refuses unknown keys; the tools must accept any file written for Java's
 * tools, so unknown keys (and Java-only ones such as `send.buffer.bytes`) are dropped with Kafka's
 * warning. `quiet` keys are dropped silently (the tools' own defaults for Java-only settings).
 */
export function clientSettings(
  role: 'producer' | 'consumer' | 'admin',
  props: ReadonlyMap<string, string>,
  warn: (line: string) => void,
  quiet: ReadonlySet<string> = new Set(),
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of props) {
    const def = CONFIG_DEFINITIONS.find((d) => d.key === key && d.camelOnly !== true);
    const applies =
      def !== undefined && (def.roles.includes('common') || def.roles.includes(role as 'producer' | 'consumer'));
    if (!applies) {
      if (!quiet.has(key)) warn(`WARN The configuration '${key}' was supplied but isn't a known config.`);
      continue;
    }
    out[key] = value;
  }
  return out;
}
