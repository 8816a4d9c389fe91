import { ClientError, ClientErrorCode, Producer, type ProducerOptions, type Serializer } from '@samsa/client';

export interface TemplateProducersOptions<K, V> {
  readonly transactionIdPrefix?: string;
  readonly keySerializer?: Serializer<K>;
  readonly valueSerializer?: Serializer<V>;
}

/** `config` without `dotted` and `camel` (both spellings would conflict), with `dotted` set to `value` if given. */
function overriding(config: Readonly<Record<string, unknown>>, dotted: string, camel: string, value: unknown) {
  const { [dotted]: _dotted, [camel]: _camel, ...rest } = config;
  return value === undefined ? rest : { ...rest, [dotted]: value };
}

/**
 * The producers a `KafkaTemplate` sends with: a one-producer version of Spring's
 * `DefaultKafkaProducerFactory`. Built lazily from a config (so that a template can be built with
 * no broker up), or one `Producer` passed in.
 *
 * Ownership: producers built here are closed by `close()`, the single release point; a producer
 * passed in belongs to the caller, which closes it — `close()` leaves it open.
 *
 * Transactional when given a prefix (or a `transactional.id` in the config, which Spring's
 * factory takes as the prefix): `transactional.id` = prefix + '0'. Spring appends an index per
 * producer of its cache, one per thread running a transaction; Node has one thread, so one
 * transactional producer is enough (the template queues transactions on it).
 */
export class TemplateProducers<K, V> {
  readonly transactionalId: string | null;
  /** Undefined when a Producer was passed in. */
  private readonly config: ProducerOptions<K, V> | undefined;
  /** Transactional when `transactionalId` is set; the only producer otherwise. */
  private main: Producer<K, V> | undefined;
  /** Spring's second producer, for `allowNonTransactional` sends of a transactional template. */
  private plain: Producer<K, V> | undefined;
  private initialized: Promise<void> | undefined;
  private closed = false;

  constructor(source: ProducerOptions<K, V> | Producer<K, V>, options: TemplateProducersOptions<K, V> = {}) {
    if (source instanceof Producer) {
      if (
        options.transactionIdPrefix !== undefined ||
        options.keySerializer !== undefined ||
        options.valueSerializer !== undefined
      ) {
        throw new ClientError(
          ClientErrorCode.ILLEGAL_STATE,
          'transactionIdPrefix and serializers need a producer config, not a Producer',
        );
      }
      this.main = source;
      this.config = undefined;
      this.transactionalId = source.config.transactionalId;
      return;
    }
    const configured = source['transactional.id'] ?? source.transactionalId;
    const prefix =
      options.transactionIdPrefix ?? (typeof configured === 'string' && configured !== '' ? configured : undefined);
    this.transactionalId = prefix === undefined ? null : `${prefix}0`;
    let config = overriding(source, 'transactional.id', 'transactionalId', undefined);
    if (options.keySerializer !== undefined) {
      config = overriding(config, 'key.serializer', 'keySerializer', options.keySerializer);
    }
    if (options.valueSerializer !== undefined) {
      config = overriding(config, 'value.serializer', 'valueSerializer', options.valueSerializer);
    }
    this.config = config as ProducerOptions<K, V>;
  }

  /** The transactional producer of a transactional template, the only one otherwise. */
  primary(): Producer<K, V> {
    this.checkOpen();
    if (this.main === undefined) {
      const config = this.config as ProducerOptions<K, V>;
      this.main = new Producer<K, V>(
        this.transactionalId === null ? config : { ...config, 'transactional.id': this.transactionalId },
      );
    }
    return this.main;
  }

  nonTransactional(): Producer<K, V> {
    this.checkOpen();
    if (this.config === undefined) {
      throw new ClientError(
        ClientErrorCode.ILLEGAL_STATE,
        'allowNonTransactional needs a template built from a producer config (it builds a second producer)',
      );
    }
    this.plain ??= new Producer<K, V>(this.config);
    return this.plain;
  }

  /**
   * InitProducerId once per producer, on its first transaction rather than at construction (no
   * broker is needed to build a template); memoized, so that it is never run twice.
   */
  initTransactions(producer: Producer<K, V>): Promise<void> {
    if (producer.transactionState !== 'UNINITIALIZED') return Promise.resolve();
    this.initialized ??= producer.initTransactions().catch((error: unknown) => {
      this.initialized = undefined;
      throw error;
    });
    return this.initialized;
  }

  /**
   * A fenced (or otherwise fatally failed) transactional producer can never send again; as
   * Spring's CloseSafeProducer does, drop it so that the next transaction builds a fresh one.
   * A producer passed in is the caller's to replace.
   */
  discardIfFatal(producer: Producer<K, V>): void {
    if (producer.transactionState !== 'FATAL_ERROR' || this.config === undefined || this.main !== producer) return;
    this.main = undefined;
    this.initialized = undefined;
    producer.close({ timeoutMs: 0 }).catch(() => {});
  }

  /** The producers that exist now. */
  live(): Producer<K, V>[] {
    return [this.main, this.plain].filter((p) => p !== undefined);
  }

  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closed = true;
    if (this.config !== undefined) await Promise.all(this.live().map((p) => p.close(options)));
  }

  private checkOpen(): void {
    if (this.closed) throw new ClientError(ClientErrorCode.CLOSED, 'KafkaTemplate is closed');
  }
}
