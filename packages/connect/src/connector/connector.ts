import type { ConfigDef, ConfigValue } from '../config/config-def.js';
import type { ConnectorOffset, SinkOffsetChange } from '../runtime/connector-offsets.js';
import type { RecordMetadata, SinkOffsets, SinkRecord, SourceRecord } from './connect-record.js';

/** Properties as a connector or task receives them: Kafka's string map. */
export type Props = Readonly<Record<string, string>>;

/** What a running connector may ask of its worker. */
export interface ConnectorContext {
  /** The connector's task configs changed (e.g. new tables found): the worker asks again. */
  requestTaskReconfiguration(): void;
  /** The connector cannot go on: it is marked FAILED with this error's trace. */
  raiseError(error: Error): void;
}

/**
 * Kafka's Connector: configured with `start(props)`, splits its work into at most `maxTasks`
 * task configs, names the Task class that does the work. The worker constructs it with no
 * arguments, as Kafka instantiates the class named by `connector.class`.
 */
export abstract class Connector {
  protected context: ConnectorContext | undefined;

  initialize(context: ConnectorContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Props): void | Promise<void>;
  abstract taskClass(): new () => Task;
  abstract taskConfigs(maxTasks: number): Props[];
  abstract stop(): void | Promise<void>;
  abstract config(): ConfigDef;

  /** Validates `props` against `config()`; override to add cross-key checks (Kafka's `Connector.validate`). */
  validate(props: Props): Map<string, ConfigValue> {
    return this.config().validate(props);
  }
}

export abstract class SourceConnector extends Connector {
  abstract override taskClass(): new () => SourceTask;

  /**
   * KIP-618: whether the connector can give exactly-once semantics with this config. Undefined
   * (Kafka's null) means it cannot tell, which fails validation of `exactly.once.support=required`.
   */
  exactlyOnceSupport(_props: Props): 'SUPPORTED' | 'UNSUPPORTED' | undefined {
    return undefined;
  }

  /** KIP-618: whether its tasks define their own transactions (`transaction.boundary=connector`). */
  canDefineTransactionBoundaries(_props: Props): 'SUPPORTED' | 'UNSUPPORTED' {
    return 'UNSUPPORTED';
  }

  /**
   * KIP-875: the worker is about to alter (or, with null offsets, reset) the connector's offsets
   * through the REST API; called on a fresh instance that was never started. Throw to refuse
   * them (e.g. a malformed offset). Return true when the connector has no offsets of its own
   * elsewhere, so the worker may answer that the offsets were altered; the default false makes
   * the answer warn that offsets kept outside the worker were not touched, as Kafka's does.
   */
  alterOffsets(_config: Props, _offsets: readonly ConnectorOffset[]): boolean | Promise<boolean> {
    return false;
  }
}

export abstract class SinkConnector extends Connector {
  abstract override taskClass(): new () => SinkTask;

  /** KIP-875's hook for sink connectors (see SourceConnector's): the consumer group offsets to write. */
  alterOffsets(_config: Props, _offsets: readonly SinkOffsetChange[]): boolean | Promise<boolean> {
    return false;
  }
}

export interface Task {
  version(): string;
  start(props: Props): void | Promise<void>;
  stop(): void | Promise<void>;
}

/** Reads the offsets the worker stored for a source partition (the last acknowledged record's). */
export interface OffsetStorageReader {
  offset(partition: Readonly<Record<string, unknown>>): Record<string, unknown> | null;
}

export interface SourceTaskContext {
  readonly configs: Props;
  readonly offsetStorageReader: OffsetStorageReader;
}

/**
 * Kafka's SourceTask. `poll` returns the next records, or null/[] when there are none yet (it may
 * wait a little first, but must return soon after `stop` is called). `commitRecord` is called for
 * each record once Kafka acknowledged it.
 */
export abstract class SourceTask implements Task {
  protected context!: SourceTaskContext;

  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Props): void | Promise<void>;
  abstract poll(): Promise<SourceRecord[] | null>;
  abstract stop(): void | Promise<void>;

  /** All records returned by `poll` so far were written and their offsets stored. */
  commit(): void | Promise<void> {}

  commitRecord(_record: SourceRecord, _metadata: RecordMetadata | null): void | Promise<void> {}
}

export interface SinkTaskContext {
  readonly configs: Props;
  /** Pause or resume consumption of partitions (`topic-partition` keys as `{topic, partition}`). */
  pause(...partitions: { topic: string; partition: number }[]): void;
  resume(...partitions: { topic: string; partition: number }[]): void;
  /** Ask the worker to commit offsets soon (after `flush`/`preCommit`). */
  requestCommit(): void;
}

/**
 * Kafka's SinkTask. `put` receives converted records; `flush` makes everything put so far durable;
 * `preCommit` returns the offsets the worker may commit for the group `connect-<connector>` (by
 * default it calls `flush` and returns what it was given).
 */
export abstract class SinkTask implements Task {
  protected context!: SinkTaskContext;

  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Props): void | Promise<void>;
  abstract put(records: readonly SinkRecord[]): void | Promise<void>;
  abstract stop(): void | Promise<void>;

  flush(_currentOffsets: SinkOffsets): void | Promise<void> {}

  async preCommit(currentOffsets: SinkOffsets): Promise<SinkOffsets> {
    await this.flush(currentOffsets);
    return currentOffsets;
  }

  open(_partitions: readonly { topic: string; partition: number }[]): void | Promise<void> {}
  close(_partitions: readonly { topic: string; partition: number }[]): void | Promise<void> {}
}
