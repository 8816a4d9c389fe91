import { ClientError, KafkaError } from '@samsa/client';

/**
 * One line for an error: Kafka's message with its error name (`TOPIC_ALREADY_EXISTS`) so people
 * can look it up, never a stack trace.
 */
export function errorLine(error: unknown): string {
  if (error instanceof KafkaError) {
    const message = brokerMessage(firstLine(error.message));
    return message.includes(error.errorName) ? message : `${message} (${error.errorName})`;
  }
  if (error instanceof ClientError) return `${firstLine(error.message)} (${error.code})`;
  if (error instanceof Error) return firstLine(error.message);
  return String(error);
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}

/**
 * The broker's own message without the context Samsa's client puts before it
 * (`create topic 'test': Topic 'test' already exists.`), which Kafka's tools do not print.
 */
export function brokerMessage(message: string): string {
  return message.replace(/^[a-z][a-z ]*'[^']*'(?: for [^:]+)?: /, '');
}
