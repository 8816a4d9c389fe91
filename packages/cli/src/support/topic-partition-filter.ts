import { UsageError } from './command-errors.js';

/**
 * Kafka's `IncludeList`: the `--topic` argument is a Java regex that must match the whole name;
 * commas separate alternatives and surrounding quotes are dropped.
 */
export function topicFilter(expression: string): (topic: string) => boolean {
  const source = expression
    .trim()
    .replace(/^["']|["']$/g, '')
    .replace(/,/g, '|');
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${source})$`);
  } catch {
    throw new UsageError(`Illegal regular expression in --topic: ${expression}`);
  }
  return (topic) => pattern.test(topic);
}
