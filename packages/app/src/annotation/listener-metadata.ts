import type { KafkaListenerOptions } from '../application/listener-endpoint.js';
import type { RetryTopicOptions } from '../retry/retry-topic-options.js';

/** What the decorators recorded about one method. */
export interface ListenerMethodMetadata {
  readonly listeners: KafkaListenerOptions[];
  sendTo?: string | true;
  retryableTopic?: RetryTopicOptions;
  /** The method is the `@DltHandler` of its class's retryable listeners. */
  dltHandler?: boolean;
}

/**
 * Keyed by the method's function: standard decorators see the method before its class exists,
 * and `Symbol.metadata` (where TypeScript would put class-level data) is not in Node 20, so the
 * function itself is the key; `app.register(object)` looks its methods up here.
 */
const registry = new WeakMap<object, ListenerMethodMetadata>();

export function metadataFor(method: object): ListenerMethodMetadata {
  let m = registry.get(method);
  if (m === undefined) {
    m = { listeners: [] };
    registry.set(method, m);
  }
  return m;
}

export function listenerMetadataOf(method: unknown): ListenerMethodMetadata | undefined {
  return typeof method === 'function' ? registry.get(method) : undefined;
}

/** Methods of `object` (own and inherited, up to Object.prototype) with their names. */
export function methodsOf(object: object): [string, (...args: unknown[]) => unknown][] {
  const out: [string, (...args: unknown[]) => unknown][] = [];
  const seen = new Set<string>();
  for (
    let proto = Object.getPrototypeOf(object);
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || seen.has(name)) continue;
      const value = Object.getOwnPropertyDescriptor(proto, name)?.value;
      if (typeof value !== 'function') continue;
      seen.add(name);
      out.push([name, value as (...args: unknown[]) => unknown]);
    }
  }
  return out;
}
