import { Admin, type Deserializer, Producer, type Serializer } from '@samsa/client';
import type { KafkaAdminOptions } from '../admin/kafka-admin.js';
import { listenerMetadataOf, methodsOf } from '../annotation/listener-metadata.js';
import type { SpringKafkaConfig } from '../config/spring-kafka-config.js';
import { loadSpringKafkaConfig } from '../config/spring-kafka-properties.js';
import { springSerdes } from '../config/spring-serdes.js';
import type { CommonErrorHandler } from '../error/common-error-handler.js';
import { DefaultErrorHandler } from '../error/default-error-handler.js';
import { AckMode } from '../listener/ack-mode.js';
import {
  type ConcurrentContainerOptions,
  ConcurrentMessageListenerContainer,
} from '../listener/concurrent-message-listener-container.js';
import type { BatchListener, KafkaListenerErrorHandler, RecordListener } from '../listener/listener-context.js';
import type { ListenerMetrics } from '../listener/listener-metrics.js';
import { withTypeHeaders } from '../serde/json-serializer.js';
import type { JsonTypeMapper } from '../serde/json-type-mapper.js';
import { type Logger, stderrLogger } from '../support/logger.js';
import { KafkaTemplate } from '../template/kafka-template.js';
import type { ProducerListener } from '../template/producer-listener.js';
import type { KafkaListenerOptions } from './listener-endpoint.js';
import { retryEndpoints } from './retry-endpoints.js';
import { type TopicDeclaration, TopicInitializer } from './topic-initializer.js';

/** Spring Boot's `spring.kafka.listener.*`, as defaults for every listener. */
export interface ListenerDefaults {
  readonly type?: 'single' | 'batch';
  readonly ackMode?: AckMode;
  readonly ackCount?: number;
  readonly ackTimeMs?: number;
  readonly concurrency?: number;
  readonly pollTimeoutMs?: number;
  readonly idleEventIntervalMs?: number;
  /** Refuse to start a listener whose topics do not exist (Spring's missing-topics-fatal). */
  readonly missingTopicsFatal?: boolean;
  readonly immediateStop?: boolean;
}

export interface KafkaApplicationOptions {
  /** Client settings shared by consumers, producers and admin (`bootstrap.servers`, security…). */
  readonly common?: Readonly<Record<string, unknown>>;
  readonly consumer?: Readonly<Record<string, unknown>>;
  readonly producer?: Readonly<Record<string, unknown>>;
  readonly admin?: Readonly<Record<string, unknown>>;
  readonly listener?: ListenerDefaults;
  /** Spring's `spring.kafka.template.default-topic`. */
  readonly defaultTopic?: string;
  /** Spring's `spring.kafka.producer.transaction-id-prefix`: the template becomes transactional. */
  readonly transactionIdPrefix?: string;
  /** Topics created (or grown) at start, as Spring's `NewTopic` beans. */
  readonly topics?: readonly TopicDeclaration[];
  /** Deserializers of every listener unless it names its own (bytes otherwise). */
  readonly keyDeserializer?: Deserializer<unknown>;
  readonly valueDeserializer?: Deserializer<unknown>;
  readonly keySerializer?: Serializer<unknown>;
  readonly valueSerializer?: Serializer<unknown>;
  readonly producerListener?: ProducerListener<unknown, unknown> | null;
  /** The container error handler of listeners that name none (a DefaultErrorHandler otherwise). */
  readonly commonErrorHandler?: CommonErrorHandler;
  readonly logger?: Logger;
  /** Signals that stop the application gracefully (default SIGTERM and SIGINT; `false` for none). */
  readonly shutdownSignals?: readonly NodeJS.Signals[] | false;
  /** How declared topics are created at start (Spring's KafkaAdmin: autoCreate, fail-fast, …). */
  readonly kafkaAdmin?: KafkaAdminOptions;
  /** Default `autoStartup` of listeners (`spring.kafka.listener.auto-startup`). */
  readonly autoStartup?: boolean;
}

/** Everything a Spring Boot configuration gives, plus what only code can (types, handlers). */
export type SpringApplicationOptions = Omit<KafkaApplicationOptions, 'common' | 'consumer' | 'producer' | 'admin'> & {
  /** Classes for Spring's `__TypeId__` headers, shared by the JSON serializers and deserializers. */
  readonly typeMapper?: JsonTypeMapper;
};

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
   * listener defaults, the template's default topic and transaction id prefix, KafkaAdmin.
   */
  static fromSpringConfig(
    config: SpringKafkaConfig | string,
    options: SpringApplicationOptions = {},
  ): KafkaApplication {
    const cfg = typeof config === 'string' ? loadSpringKafkaConfig(config) : config;
    const serdes = springSerdes(cfg.serdes, options.typeMapper);
    const l = cfg.listener;
    const a = cfg.kafkaAdmin;
    const transactionIdPrefix = cfg.template.transactionIdPrefix ?? cfg.producerTransactionIdPrefix;
    const { typeMapper: _mapper, ...rest } = options;
    return new KafkaApplication({
      common: cfg.common,
      consumer: cfg.consumer,
      producer: cfg.producer,
      admin: cfg.admin,
      listener: {
        type: l.type,
        ackMode: l.ackMode,
        ...(l.ackCount === undefined ? {} : { ackCount: l.ackCount }),
        ...(l.ackTimeMs === undefined ? {} : { ackTimeMs: l.ackTimeMs }),
        concurrency: l.concurrency,
        pollTimeoutMs: l.pollTimeoutMs,
        ...(l.idleEventIntervalMs === undefined ? {} : { idleEventIntervalMs: l.idleEventIntervalMs }),
        missingTopicsFatal: l.missingTopicsFatal,
        immediateStop: l.immediateStop,
      },
      autoStartup: l.autoStartup,
      ...(cfg.template.defaultTopic === undefined ? {} : { defaultTopic: cfg.template.defaultTopic }),
      ...(transactionIdPrefix === undefined ? {} : { transactionIdPrefix }),
      keySerializer: serdes.producer.keySerializer,
      valueSerializer: serdes.producer.valueSerializer,
      keyDeserializer: serdes.consumer.keyDeserializer,
      valueDeserializer: serdes.consumer.valueDeserializer,
      kafkaAdmin: {
        autoCreate: a.autoCreate,
        fatalIfBrokerNotAvailable: a.failFast,
        modifyTopicConfigs: a.modifyTopicConfigs,
        ...(a.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: a.operationTimeoutMs }),
      },
      ...rest,
    });
  }

  private adminConfig(): Record<string, unknown> {
    return { ...this.options.common, ...this.options.admin };
  }

  private consumerConfig(extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
    return { ...this.options.common, ...this.options.consumer, ...extra };
  }

  /** The application's KafkaTemplate (Spring's auto-configured one), created on first use. */
  get template(): KafkaTemplate<unknown, unknown> {
    if (this.templateInstance === undefined) {
      const { keySerializer, valueSerializer, transactionIdPrefix, defaultTopic, producerListener } = this.options;
      this.templateInstance = new KafkaTemplate<unknown, unknown>(
        { ...this.options.common, ...this.options.producer },
        {
          ...(keySerializer === undefined ? {} : { keySerializer }),
          ...(valueSerializer === undefined ? {} : { valueSerializer }),
          ...(transactionIdPrefix === undefined ? {} : { transactionIdPrefix }),
          ...(defaultTopic === undefined ? {} : { defaultTopic }),
          ...(producerListener === undefined ? {} : { producerListener }),
          // Spring's JsonSerializer writes `__TypeId__`: a client serializer cannot add headers.
          recordInterceptor: (record) =>
            withTypeHeaders(record, {
              ...(keySerializer === undefined ? {} : { key: keySerializer }),
              ...(valueSerializer === undefined ? {} : { value: valueSerializer }),
            }),
        },
      );
    }
    return this.templateInstance;
  }

  /** Publishes dead letters and retries: raw bytes, never re-serialized. */
  private get deadLetterProducer(): Producer<Buffer, Buffer> {
    if (this.rawProducer === undefined) {
      // Not transactional (a dead letter is published once, whatever the listener's transaction
      // does), and bytes in, bytes out: the configured serializer names are dropped.
      const {
        'transactional.id': _t,
        transactionalId: _tc,
        'key.serializer': _ks,
        'value.serializer': _vs,
        keySerializer: _ksc,
        valueSerializer: _vsc,
        ...config
      } = { ...this.options.common, ...this.options.producer };
      this.rawProducer = new Producer<Buffer, Buffer>({
        ...config,
        keySerializer: 'buffer',
        valueSerializer: 'buffer',
      });
    }
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
          id:
            listener.id ?? `${object.constructor.name}.${name}${meta.listeners.length > 1 ? `-${this.nextId++}` : ''}`,
          ...listener,
          ...(meta.sendTo === undefined ? {} : { sendTo: meta.sendTo }),
          ...(retryableTopic === undefined ? {} : { retryableTopic }),
        };
        created.push(this.createContainers(options, handler, object));
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
  ): ConcurrentMessageListenerContainer<unknown, unknown> {
    const id = options.id ?? `listener-${this.nextId++}`;
    if (this.registered.has(id)) throw new Error(`a listener container with id '${id}' exists already`);
    const defaults = this.options.listener ?? {};
    const batch = options.batch ?? defaults.type === 'batch';
    const topics = typeof options.topics === 'string' ? [options.topics] : options.topics;
    const topicPattern =
      typeof options.topicPattern === 'string' ? new RegExp(options.topicPattern) : options.topicPattern;
    const keyDeserializer = options.keyDeserializer ?? this.options.keyDeserializer;
    const valueDeserializer = options.valueDeserializer ?? this.options.valueDeserializer;
    const listenerErrorHandler = this.resolveErrorHandler(options.errorHandler, object);
    const base = {
      id,
      ...(topics === undefined ? {} : { topics }),
      ...(topicPattern === undefined ? {} : { topicPattern }),
      ...(options.topicPartitions === undefined ? {} : { topicPartitions: options.topicPartitions }),
      consumerConfig: this.consumerConfig(options.properties),
      ...(options.groupId === undefined ? {} : { groupId: options.groupId }),
      ...(options.clientIdPrefix === undefined ? {} : { clientIdPrefix: options.clientIdPrefix }),
      ...(keyDeserializer === undefined ? {} : { keyDeserializer }),
      ...(valueDeserializer === undefined ? {} : { valueDeserializer }),
      ackMode: options.ackMode ?? defaults.ackMode ?? AckMode.BATCH,
      ...((options.ackCount ?? defaults.ackCount) === undefined
        ? {}
        : { ackCount: options.ackCount ?? defaults.ackCount }),
      ...((options.ackTimeMs ?? defaults.ackTimeMs) === undefined
        ? {}
        : { ackTimeMs: options.ackTimeMs ?? defaults.ackTimeMs }),
      ...(defaults.pollTimeoutMs === undefined ? {} : { pollTimeoutMs: defaults.pollTimeoutMs }),
      ...((options.idleEventIntervalMs ?? defaults.idleEventIntervalMs) === undefined
        ? {}
        : { idleEventIntervalMs: options.idleEventIntervalMs ?? defaults.idleEventIntervalMs }),
      ...(listenerErrorHandler === undefined ? {} : { listenerErrorHandler }),
      ...(options.sendTo === undefined ? {} : { sendTo: options.sendTo, replyPublisher: this.replyPublisher() }),
      ...(defaults.immediateStop === undefined ? {} : { immediateStop: defaults.immediateStop }),
      concurrency: options.concurrency ?? defaults.concurrency ?? 1,
      logger: this.logger,
    } as const;
    const group = options.containerGroup;
    const autoStartup = options.autoStartup ?? this.options.autoStartup ?? true;
    if (options.retryableTopic !== undefined) {
      if (batch) throw new Error(`listener ${id}: @RetryableTopic needs a record listener, not a batch listener`);
      const endpoints = retryEndpoints({
        base,
        handler: handler as RecordListener<unknown, unknown>,
        retry: options.retryableTopic,
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
