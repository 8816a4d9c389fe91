import type { KafkaListenerOptions } from '../application/listener-endpoint.js';
import type { RetryTopicOptions } from '../retry/retry-topic-options.js';
import { metadataFor } from './listener-metadata.js';

type Method = (this: never, ...args: never[]) => unknown;

/**
 * Marks a method as a listener (Spring's `@KafkaListener`), as a TypeScript 5 standard
 * decorator: `@KafkaListener({ topics: 'orders', groupId: 'g' }) onOrder(record, ctx) {…}`.
 * `app.register(instance)` creates its container. Repeatable: each use is its own listener.
 * The method gets `(record, ctx)`, or `(records, ctx)` with `batch: true`.
 */
export function KafkaListener(options: KafkaListenerOptions) {
  return (method: Method, context: ClassMethodDecoratorContext): void => {
    if (context.static) throw new TypeError(`@KafkaListener on static method ${String(context.name)}`);
    metadataFor(method).listeners.push(options);
  };
}

/**
 * Sends the method's return value (or its error handler's) to `topic` (Spring's `@SendTo`);
 * without a topic, to the request's `kafka_replyTopic` (request/reply).
 */
export function SendTo(topic?: string) {
  return (method: Method, _context: ClassMethodDecoratorContext): void => {
    metadataFor(method).sendTo = topic === undefined || topic === '' ? true : topic;
  };
}

/** Non-blocking retries for the method's listeners (Spring's `@RetryableTopic`). */
export function RetryableTopic(options: RetryTopicOptions = {}) {
  return (method: Method, _context: ClassMethodDecoratorContext): void => {
    metadataFor(method).retryableTopic = options;
  };
}

/** The method receives records that reached the dead-letter topic of the class's `@RetryableTopic` listeners. */
export function DltHandler() {
  return (method: Method, _context: ClassMethodDecoratorContext): void => {
    metadataFor(method).dltHandler = true;
  };
}
