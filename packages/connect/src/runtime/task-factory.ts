import { Consumer, Producer } from '@samsa/client';
import type { SinkRecord, SourceRecord } from '../connector/connect-record.js';
import type { Connector, Props, SinkTask, SourceTask } from '../connector/connector.js';
import type { Converter } from '../converters/converter.js';
import { createConverter } from '../converters/converters.js';
import type { HeaderConverter } from '../converters/header-converter.js';
import { createHeaderConverter, HEADER_CONVERTER_CONFIG } from '../converters/header-converters.js';
import { SimpleHeaderConverter } from '../converters/simple-header-converter.js';
import type { OffsetStore } from '../storage/offset-store.js';
import { buildTransformationChain } from '../transforms/transformation-chain.js';
import { type ConnectMetrics, NO_TASK_METRICS } from './connect-metrics.js';
import { sinkGroupId } from './connector-offsets.js';
import { DeadLetterQueue, ErrorReporter, errorHandlingConfig } from './error-handling.js';
import { sourceTransactionSettings, transactionalId } from './exactly-once-source.js';
import { getLogger } from './loggers.js';
import type { ConnectorType } from './plugins.js';
import type { WorkerConfig } from './worker-config.js';
import { WorkerSinkTask } from './worker-sink-task.js';
import { WorkerSourceTask } from './worker-source-task.js';
import { State, type WorkerTask } from './worker-task.js';

const log = getLogger('org.apache.kafka.connect.runtime.Worker');

/** What a task needs from the worker and its connector, whichever herder runs it. */
export interface TaskContext {
  readonly worker: WorkerConfig;
  readonly connector: string;
  readonly connectorConfig: Props;
  readonly type: ConnectorType;
  readonly taskClass: new () => SourceTask | SinkTask;
  readonly offsets: OffsetStore;
  /** The connector's shared producer for source tasks, created on first use. */
  readonly producer: () => Producer<Buffer, Buffer>;
  readonly onTopic: (topic: string) => void;
  /** Distributed with `exactly.once.source.support=enabled`: source tasks write transactionally. */
  readonly exactlyOnce?: { readonly groupId: string; readonly offsetTopic: string };
  /** The worker's metrics registry, if it has one. */
  readonly metrics?: ConnectMetrics;
}

/**
 * The task configs a connector asks for (at most `tasks.max`), each with `task.class` and, for a
 * sink, the connector's `topics`/`topics.regex`, as Kafka's Worker adds them.
 */
export function connectorTaskConfigs(connector: Connector, type: ConnectorType, connectorConfig: Props): Props[] {
  const tasksMax = Number(connectorConfig['tasks.max'] ?? '1');
  const configs = connector.taskConfigs(tasksMax).slice(0, tasksMax);
  const taskClass = connector.taskClass();
  const taskClassName = (taskClass as unknown as { CLASS?: string }).CLASS ?? taskClass.name;
  return configs.map((c) => {
    const config: Record<string, string> = { ...c, 'task.class': taskClassName };
    if (type === 'sink') {
      if (connectorConfig.topics !== undefined) config.topics = connectorConfig.topics;
      if (connectorConfig['topics.regex'] !== undefined) config['topics.regex'] = connectorConfig['topics.regex'];
    }
    return config;
  });
}

/** A source connector's producer (Kafka's `connector-producer-<name>-0`). */
export function sourceProducer(worker: WorkerConfig, connector: string): Producer<Buffer, Buffer> {
  return new Producer<Buffer, Buffer>({
    ...worker.producerProps,
    'bootstrap.servers': worker.bootstrapServers,
    'client.id': `connector-producer-${connector}-0`,
    keySerializer: 'buffer',
    valueSerializer: 'buffer',
  });
}

/**
 * A source task's own transactional producer (exactly-once support): Kafka's client ID
 * `connector-producer-<connector>-<task>` and transactional ID `<group.id>-<connector>-<task>`.
 */
export function transactionalSourceProducer(
  worker: WorkerConfig,
  groupId: string,
  connector: string,
  task: number,
): Producer<Buffer, Buffer> {
  return new Producer<Buffer, Buffer>({
    ...worker.producerProps,
    'bootstrap.servers': worker.bootstrapServers,
    'client.id': `connector-producer-${connector}-${task}`,
    'transactional.id': transactionalId(groupId, connector, task),
    'enable.idempotence': true,
    acks: 'all',
    keySerializer: 'buffer',
    valueSerializer: 'buffer',
  });
}

/** The connector's converters, or the worker's where the connector sets none. */
function converters(
  worker: WorkerConfig,
  connectorConfig: Props,
): { key: Converter; value: Converter; keyClass: string; valueClass: string } {
  const className = (key: 'key.converter' | 'value.converter'): string =>
    (connectorConfig[key] ?? worker.props[key]!).trim();
  const pick = (key: 'key.converter' | 'value.converter'): Converter => {
    const own = connectorConfig[key];
    const source = own !== undefined ? connectorConfig : worker.props;
    return createConverter(key, className(key), source, key === 'key.converter');
  };
  return {
    key: pick('key.converter'),
    value: pick('value.converter'),
    keyClass: className('key.converter'),
    valueClass: className('value.converter'),
  };
}

/** The connector's `header.converter`, or the worker's (SimpleHeaderConverter by default). */
function headerConverter(worker: WorkerConfig, connectorConfig: Props): HeaderConverter {
  const own = connectorConfig[HEADER_CONVERTER_CONFIG];
  const source = own !== undefined ? connectorConfig : worker.props;
  return createHeaderConverter(own ?? worker.props[HEADER_CONVERTER_CONFIG] ?? SimpleHeaderConverter.CLASS, source);
}

/** A WorkerSourceTask or WorkerSinkTask for task `id` of the connector, not started. */
export function createWorkerTask(context: TaskContext, id: number, config: Props): WorkerTask {
  const { worker, connector, connectorConfig } = context;
  const { key, value, keyClass, valueClass } = converters(worker, connectorConfig);
  const errorConfig = errorHandlingConfig(connectorConfig);
  // The task's status metric reads its state: bound once the task exists.
  let created: WorkerTask | undefined;
  const metrics =
    context.metrics?.task(connector, id, context.type, () => created?.state ?? State.UNASSIGNED) ?? NO_TASK_METRICS;
  const common = {
    metrics,
    connector,
    id,
    config,
    keyConverter: key,
    valueConverter: value,
    keyConverterClass: keyClass,
    valueConverterClass: valueClass,
    headerConverter: headerConverter(worker, connectorConfig),
    onTopic: context.onTopic,
  };
  if (context.type === 'source') {
    const { exactlyOnce } = context;
    created = new WorkerSourceTask({
      ...common,
      taskClass: context.taskClass as new () => SourceTask,
      producer:
        exactlyOnce === undefined
          ? context.producer()
          : transactionalSourceProducer(worker, exactlyOnce.groupId, connector, id),
      ...(exactlyOnce === undefined
        ? {}
        : {
            transaction: sourceTransactionSettings(
              connectorConfig,
              exactlyOnce.offsetTopic,
              worker.offsetFlushIntervalMs,
            ),
          }),
      offsets: context.offsets,
      transformations: buildTransformationChain<SourceRecord>(connectorConfig),
      // Kafka's source tasks have no dead letter queue.
      errors: new ErrorReporter(connector, id, errorConfig, undefined, metrics),
    });
    return created;
  }
  const regex = (config['topics.regex'] ?? '').trim();
  const topics =
    regex !== '' ? new RegExp(`^(?:${regex})$`) : (config.topics ?? '').split(/\s*,\s*/).filter((t) => t !== '');
  const consumer = new Consumer<Buffer, Buffer>({
    'auto.offset.reset': 'earliest',
    ...worker.consumerProps,
    'bootstrap.servers': worker.bootstrapServers,
    'group.id': sinkGroupId(connector, connectorConfig),
    'client.id': `connector-consumer-${connector}-${id}`,
    'enable.auto.commit': false,
    keyDeserializer: 'buffer',
    valueDeserializer: 'buffer',
  });
  const clientProps = adminClientProps(worker);
  const dlq =
    errorConfig.dlqTopic === ''
      ? undefined
      : new DeadLetterQueue(errorConfig.dlqTopic, errorConfig.dlqReplicationFactor, clientProps, {
          ...worker.producerProps,
          'client.id': `connector-dlq-producer-${connector}-${id}`,
        });
  created = new WorkerSinkTask({
    ...common,
    taskClass: context.taskClass as new () => SinkTask,
    consumer,
    topics,
    offsetFlushIntervalMs: worker.offsetFlushIntervalMs,
    transformations: buildTransformationChain<SinkRecord>(connectorConfig),
    errors: new ErrorReporter(connector, id, errorConfig, dlq, metrics),
  });
  return created;
}

/** Stops tasks, each given `timeoutMs` (Kafka's task.shutdown.graceful.timeout.ms). */
export async function stopWorkerTasks(
  connector: string,
  tasks: readonly WorkerTask[],
  timeoutMs: number,
): Promise<void> {
  await Promise.all(
    tasks.map(async (task) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          log.error(`connect: task ${connector}-${task.id} did not stop within ${timeoutMs} ms`);
          resolve();
        }, timeoutMs);
      });
      await Promise.race([task.stop(), late]);
      clearTimeout(timer);
    }),
  );
}

/** The worker's bootstrap and security settings, for its Admin clients (DLQ topics, sink offsets). */
export function adminClientProps(worker: WorkerConfig): Record<string, string> {
  const props: Record<string, string> = { 'bootstrap.servers': worker.bootstrapServers };
  for (const [k, v] of Object.entries(worker.props)) {
    if (/^(security\.protocol|sasl\.|ssl\.)/.test(k)) props[k] = v;
  }
  return props;
}
