import { readFileSync } from 'node:fs';
import { CommandError } from './command-errors.js';

/**
 * The JSON files Kafka's admin tools take (`--offset-json-file`, `--path-to-json-file`), read
 * with one-line errors: a missing file as Java names it (`f.json (No such file or directory)`),
 * bad JSON with the parser's reason, and fields of the wrong type with the field named — where
 * Kafka's tools print a Jackson stack trace.
 */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CommandError(
      `${path} (${code === 'ENOENT' ? 'No such file or directory' : code === 'EISDIR' ? 'Is a directory' : (error as Error).message})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CommandError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

export function jsonObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CommandError(`Expected a JSON object for ${what}, received ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

export function jsonArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new CommandError(`Expected a JSON array for ${what}, received ${describe(value)}`);
  return value;
}

export function jsonString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new CommandError(`Expected a string for ${what}, received ${describe(value)}`);
  return value;
}

/** A JSON integer within Java's int range (Kafka decodes these fields as `Int`). */
export function jsonInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw new CommandError(`Expected an integer for ${what}, received ${describe(value)}`);
  }
  return value;
}

/**
 * A JSON integer as a Java long. JSON.parse has already rounded integers beyond 2^53, so those are
 * refused rather than silently changed.
 */
export function jsonLong(value: unknown, what: string): bigint {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new CommandError(`Expected an integer for ${what}, received ${describe(value)}`);
  }
  return BigInt(value);
}
