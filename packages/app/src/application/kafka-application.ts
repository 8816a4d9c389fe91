import { Admin, type Producer } from '@samsa/client';
import { listenerMetadataOf, methodsOf } from '../annotation/listener-metadata.js';
import type { SpringKafkaConfig } from '../config/spring-kafka-config.js';
import { DefaultErrorHandler } from '../error/default-error-handler.js';
import {
  type ConcurrentContainerOptions,
  ConcurrentMessageListenerContainer,
} from '../listener/concurrent-message-listener-container.js';
import type { BatchListener, KafkaListenerErrorHandler, RecordListener } from '../listener/listener-context.js';
import type { ListenerMetrics } from '../listener/listener-metrics.js';
import { type Logger, stderrLogger } from '../support/logger.js';
import type { KafkaTemplate } from '../template/kafka-template.js';
import type { KafkaApplicationOptions, SpringApplicationOptions } from './application-options.js';
import { applicationTemplate, rawRecordProducer } from './application-producers.js';
import type { KafkaListenerOptions } from './listener-endpoint.js';
import { containerSettings } from './listener-settings.js';
import { retryEndpoints } from './retry-endpoints.js';
import { springApplicationOptions } from './spring-application.js';
import { type TopicDeclaration, TopicInitializer } from './topic-initializer.js';

export type { KafkaApplicationOptions, ListenerDefaults, SpringApplicationOptions } from './application-options.js';

interface Registered {
  readonly container: ConcurrentMessageListenerContainer<unknown, unknown>;
  readonly autoStartup: boolean;
  readonly group: string | undefined;
}

/** Containers started and stopped together (Spring's `containerGroup`). */
export interface ContainerGroup {
  readonly name: string;
  readonly containers: readonly ConcurrentMessageListenerContainer<unknown, unknown>[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The application context of the Spring model, without Spring: listener containers declared with
 * `listen(...)` or `@KafkaListener` methods (`register(object)`), a KafkaTemplate, topic
 * declarations, and a lifecycle. `start()` creates the declared topics, then starts every
 * auto-startup container; `stop()` (also on SIGTERM/SIGINT) lets each container finish the
 * records in hand, commit and leave its group, then closes the producers.
 */
export class KafkaApplication {
  readonly logger: Logger;
  private readonly options: KafkaApplicationOptions;
  private readonly registered = new Map<string, Registered>();
  private readonly errorHandlers = new Map<string, KafkaListenerErrorHandler>();
  private readonly topicInitializer: TopicInitializer;
  private templateInstance: KafkaTemplate<unknown, unknown> | undefined;
  private rawProducer: Producer<Buffer, Buffer> | undefined;
  private signalHandler: (() => void) | undefined;
  private running = false;
  private stopping: Promise<void> | undefined;
  private nextId = 0;

  constructor(options: KafkaApplicationOptions = {}) {
    this.options = options;
    this.logger = options.logger ?? stderrLogger;
    this.topicInitializer = new TopicInitializer(this.adminConfig(), this.logger, options.kafkaAdmin);
    for (const t of options.topics ?? []) this.topicInitializer.declare(t);
  }

  /**
   * An application configured as Spring Boot would configure it from `application.properties`
   * or `application.yml` (a path, the text, or a parsed SpringKafkaConfig): clients from
   * `spring.kafka.*`, serdes (Spring's JSON with type headers, ErrorHandlingDeserializer),
   * listener defaults (with `client-id`), the template's default topic and transaction id
   * prefix, KafkaAdmin, and `spring.kafka.retry.topic.*` as the `retryTopic` default.
   */
  static fromSpringConfig(
    config: SpringKafkaConfig | string,
    options: SpringApplicationOptions = {},
  ): KafkaApplication {
    return new KafkaApplication(springApplicationOptions(config, options));
  }

  private adminConfig(): Record<string, unknown> {
    return { ...this.options.common, ...this.options.admin };
  }

  private consumerConfig(extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
    return { ...this.options.common, ...this.options.consumer, ...extra };
  }

  /** The application's KafkaTemplate (Spring's auto-configured one), created on first use. */
  get template(): KafkaTemplate<unknown, unknown> {
    this.templateInstance ??= applicationTemplate(this.options);
    return this.templateInstance;
  }

  /** Publishes dead letters and retries: raw bytes, never re-serialized. */
  private get deadLetterProducer(): Producer<Buffer, Buffer> {
    this.rawProducer ??= rawRecordProducer(this.options);
    return this.rawProducer;
  }

  /** Declares a topic to create (or grow) at start, as a `NewTopic` bean does. */
  declareTopic(topic: TopicDeclaration): this {
    this.topicInitializer.declare(topic);
    return this;
  }

  /** Names a KafkaListenerErrorHandler so that listeners can refer to it (Spring's bean name). */
  errorHandler(name: string, handler: KafkaListenerErrorHandler): this {
    this.errorHandlers.set(name, handler);
    return this;
  }

  /** A record listener as a plain function: `app.listen({ topics, groupId }, async (record, ctx) => …)`. */
  listen<K = unknown, V = unknown>(
    options: KafkaListenerOptions & { readonly batch?: false },
    handler: RecordListener<K, V>,
  ): ConcurrentMessageListenerContainer<K, V>;
  listen<K = unknown, V = unknown>(
    options: KafkaListenerOptions & { readonly batch: true },
    handler: BatchListener<K, V>,
  ): ConcurrentMessageListenerContainer<K, V>;
  listen(
    options: KafkaListenerOptions,
    handler: RecordListener<unknown, unknown> | BatchListener<unknown, unknown>,
  ): ConcurrentMessageListenerContainer<unknown, unknown> {
    return this.createContainers(options, handler, undefined);
  }

  /**
   * Creates the containers of every `@KafkaListener` method of `object`. A listener's
   * `errorHandler: 'name'` is looked up among the handlers given to `errorHandler(name, …)`,
   * then among `object`'s methods (called as the handler itself).
   */
  register(object: object): ConcurrentMessageListenerContainer<unknown, unknown>[] {
    const created: ConcurrentMessageListenerContainer<unknown, unknown>[] = [];
    const methods = methodsOf(object);
    const dltMethod = methods.find(([, m]) => listenerMetadataOf(m)?.dltHandler === true);
    for (const [name, method] of methods) {
      const meta = listenerMetadataOf(method);
      if (meta === undefined || meta.listeners.length === 0) continue;
      const handler = method.bind(object) as RecordListener<unknown, unknown>;
      for (const listener of meta.listeners) {
        const retryableTopic =
          meta.retryableTopic === undefined
            ? undefined
            : {
                ...meta.retryableTopic,
                ...(dltMethod === undefined || meta.retryableTopic.dltHandler !== undefined
                  ? {}
                  : { dltHandler: dltMethod[1].bind(object) as RecordListener<unknown, unknown> }),
              };
        const options: KafkaListenerOptions = {
          ...listener,
          ...(meta.sendTo === undefined ? {} : { sendTo: meta.sendTo }),
          ...(retryableTopic === undefined ? {} : { retryableTopic }),
        };
        // A generated id names the container but, as in Spring, is not a group id.
        const generatedId =
          listener.id === undefined
            ? `${object.constructor.name}.${name}${meta.listeners.length > 1 ? `-${this.nextId++}` : ''}`
            : undefined;
        created.push(this.createContainers(options, handler, object, generatedId));
      }
    }
    return created;
  }

  private resolveErrorHandler(
    handler: KafkaListenerOptions['errorHandler'],
    object: object | undefined,
  ): KafkaListenerErrorHandler | undefined {
    if (handler === undefined || typeof handler === 'function') return handler;
    const named = this.errorHandlers.get(handler);
    if (named !== undefined) return named;
    const method = object === undefined ? undefined : (object as Record<string, unknown>)[handler];
    if (typeof method === 'function') return method.bind(object) as KafkaListenerErrorHandler;
    throw new Error(`no KafkaListenerErrorHandler named '${handler}'`);
  }

  private createContainers(
    options: KafkaListenerOptions,
    handler: RecordListener<unknown, unknown> | BatchListener<unknown, unknown>,
    object: object | undefined,
    generatedId?: string,
  ): ConcurrentMessageListenerContainer<unknown, unknown> {
    const id = options.id ?? generatedId ?? `listener-${this.nextId++}`;
    if (this.registered.has(id)) throw new Error(`a listener container with id '${id}' exists already`);
    const defaults = this.options.listener ?? {};
    const batch = options.batch ?? defaults.type === 'batch';
    const base = containerSettings({
      id,
      options,
      application: this.options,
      consumerConfig: this.consumerConfig(options.properties),
      listenerErrorHandler: this.resolveErrorHandler(options.errorHandler, object),
      replyPublisher: () => this.replyPublisher(),
      logger: this.logger,
    });
    const group = options.containerGroup;
    const autoStartup = options.autoStartup ?? this.options.autoStartup ?? true;
    // The application's retryTopic (Boot's spring.kafka.retry.topic.*) covers the record
    // listeners that name their topics; others go without, as they cannot have retry topics.
    const retry =
      options.retryableTopic ??
      (batch || base.topics === undefined || base.topics.length === 0 ? undefined : this.options.retryTopic);
    if (retry !== undefined) {
      if (batch) throw new Error(`listener ${id}: @RetryableTopic needs a record listener, not a batch listener`);
      const endpoints = retryEndpoints({
        base,
        handler: handler as RecordListener<unknown, unknown>,
        retry,
        publisher: this.deadLetterProducer,
        logger: this.logger,
        declare: (t) => this.topicInitializer.declareRetryTopic(t),
      });
      const [main] = endpoints.map((e) => this.add(e, autoStartup, group));
      return main as ConcurrentMessageListenerContainer<unknown, unknown>;
    }
    const errorHandler =
      options.commonErrorHandler ?? this.options.commonErrorHandler ?? new DefaultErrorHandler({ logger: this.logger });
    const containerOptions = (
      batch
        ? { ...base, batch: true, listener: handler as BatchListener<unknown, unknown>, errorHandler }
        : { ...base, listener: handler as RecordListener<unknown, unknown>, errorHandler }
    ) as ConcurrentContainerOptions<unknown, unknown>;
    return this.add(containerOptions, autoStartup, group);
  }

  private add(
    options: ConcurrentContainerOptions<unknown, unknown>,
    autoStartup: boolean,
    group: string | undefined,
  ): ConcurrentMessageListenerContainer<unknown, unknown> {
    const container = new ConcurrentMessageListenerContainer<unknown, unknown>(options);
    this.registered.set(container.id, { container, autoStartup, group });
    if (this.running && autoStartup) {
      container
        .start()
        .catch((error) => this.logger.error(`listener container ${container.id} failed to start`, { error }));
    }
    return container;
  }

  private replyPublisher() {
    return {
      send: (record: Parameters<KafkaTemplate<unknown, unknown>['send']>[0] & object) => this.template.send(record),
    };
  }

  /** The container with this id (Spring's KafkaListenerEndpointRegistry.getListenerContainer). */
  listenerContainer(id: string): ConcurrentMessageListenerContainer<unknown, unknown> | undefined {
    return this.registered.get(id)?.container;
  }

  get listenerContainers(): ConcurrentMessageListenerContainer<unknown, unknown>[] {
    return [...this.registered.values()].map((r) => r.container);
  }

  containerGroup(name: string): ContainerGroup {
    const containers = [...this.registered.values()].filter((r) => r.group === name).map((r) => r.container);
    return {
      name,
      containers,
      start: async () => {
        await this.checkTopics(containers);
        await Promise.all(containers.map((c) => c.start()));
      },
      stop: async () => {
        await Promise.all(containers.map((c) => c.stop()));
      },
    };
  }

  /** Per listener container: records, failures, retries, recovered (dead letters), commits, lag. */
  metrics(): Record<string, ListenerMetrics> {
    return Object.fromEntries([...this.registered.entries()].map(([id, r]) => [id, r.container.metrics()]));
  }

  /** Creates declared topics, then starts the auto-startup containers. */
  async start(): Promise<void> {
    if (this.running) return;
    // stop() is final, as closing Spring's context is: it closed the producers, and stop() keeps
    // returning its first promise, so containers started again could never be stopped by it.
    // Containers themselves restart: listenerContainer(id) or containerGroup(name).
    if (this.stopping !== undefined) {
      throw new Error('this KafkaApplication was stopped and cannot start again; create a new one');
    }
    await this.topicInitializer.initialize();
    const starting = [...this.registered.values()].filter((r) => r.autoStartup).map((r) => r.container);
    await this.checkTopics(starting);
    this.running = true;
    this.installSignalHandlers();
    await Promise.all(starting.map((c) => c.start()));
  }

  private async checkTopics(
    containers: readonly ConcurrentMessageListenerContainer<unknown, unknown>[],
  ): Promise<void> {
    if (this.options.listener?.missingTopicsFatal !== true) return;
    const wanted = new Set(containers.flatMap((c) => c.children[0]?.topics ?? []));
    if (wanted.size === 0) return;
    const admin = new Admin(this.adminConfig());
    try {
      const existing = new Set(await admin.listTopics());
      const missing = [...wanted].filter((t) => !existing.has(t));
      if (missing.length > 0) {
        throw new Error(`Topic(s) [${missing.join(', ')}] is/are not present and missingTopicsFatal is true`);
      }
    } finally {
      await admin.close();
    }
  }

  private installSignalHandlers(): void {
    const signals = this.options.shutdownSignals ?? (['SIGTERM', 'SIGINT'] as const);
    if (signals === false || signals.length === 0) return;
    const handler = () => {
      this.logger.info('stopping on signal: finishing in-flight records, committing, leaving groups');
      this.stop().then(
        () => process.exit(0),
        (error) => {
          this.logger.error('graceful stop failed', { error });
          process.exit(1);
        },
      );
    };
    this.signalHandler = handler;
    for (const s of signals) process.once(s, handler);
  }

  /** Stops every container (each finishes its records in hand, commits, leaves), then the producers. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    const handler = this.signalHandler;
    if (handler !== undefined) {
      for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.removeListener(s, handler);
    }
    await Promise.all(this.listenerContainers.map((c) => c.stop()));
    await this.templateInstance?.close();
    await this.rawProducer?.close();
    this.running = false;
  }
}
