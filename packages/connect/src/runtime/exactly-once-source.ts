import { Producer } from '@samsa/client';
import type { Props } from '../connector/connector.js';
import type { ConfigInfos } from './herder.js';

/**
 * Exactly-once source support (KIP-618): the names, values and messages of Kafka's worker setting
 * `exactly.once.source.support` and source connector settings `exactly.once.support`,
 * `transaction.boundary` and `transaction.boundary.interval.ms`, plus the transactional IDs and
 * the fencing of a connector's older task generations.
 *
 * Under `enabled`, each source task owns a producer whose `transactional.id` is
 * `<group.id>-<connector>-<task>`; the task's records and its source offsets (records of the
 * offset topic) are committed in one transaction, so a reader with `isolation.level=read_committed`
 * sees a record if and only if the offset that follows it is stored. A task that dies mid-way
 * leaves an open transaction; the next producer with the same ID (the task restarted anywhere)
 * aborts it in `initTransactions`, and only then are the offsets read.
 */

export const EXACTLY_ONCE_SOURCE_SUPPORT_VALUES = ['disabled', 'preparing', 'enabled'] as const;
export type ExactlyOnceSourceSupport = (typeof EXACTLY_ONCE_SOURCE_SUPPORT_VALUES)[number];

export const EXACTLY_ONCE_SOURCE_SUPPORT_DOC =
  "Whether to enable exactly-once support for source connectors in the cluster by using transactions to write source records and their source offsets, and by proactively fencing out old task generations before bringing up new ones.\nTo enable exactly-once source support on a new cluster, set this property to 'enabled'. To enable support on an existing cluster, first set to 'preparing' on every worker in the cluster, then set to 'enabled'. A rolling upgrade may be used for both changes.";

/** `transaction.boundary`: when a task's transaction is committed (Kafka's TransactionBoundary). */
export const TRANSACTION_BOUNDARIES = ['poll', 'interval', 'connector'] as const;
export type TransactionBoundary = (typeof TRANSACTION_BOUNDARIES)[number];

/** What a source connector says of itself (Kafka's ExactlyOnceSupport, ConnectorTransactionBoundaries). */
export type ExactlyOnceSupport = 'SUPPORTED' | 'UNSUPPORTED';

/** How a source task commits under exactly-once support. */
export interface SourceTransactionSettings {
  /** The topic the task's offsets are written to, inside its transactions. */
  readonly offsetTopic: string;
  readonly boundary: 'poll' | 'interval';
  /** For `interval`: commit when this much time passed since the transaction began. */
  readonly intervalMs: number;
}

/** Kafka's transactional ID of a source task: `<group.id>-<connector>-<task>`. */
export function transactionalId(groupId: string, connector: string, task: number): string {
  return `${groupId}-${connector}-${task}`;
}

/** Parses a case-insensitive value of `exactly.once.source.support` (validated by the ConfigDef). */
export function exactlyOnceSourceSupport(value: string): ExactlyOnceSourceSupport {
  return value.trim().toLowerCase() as ExactlyOnceSourceSupport;
}

/**
 * The connector's transaction settings (`transaction.boundary` defaults to `poll`;
 * `transaction.boundary.interval.ms` defaults to the worker's `offset.commit.interval.ms`, as in
 * Kafka, here `offset.flush.interval.ms`). Errors are Kafka's validation messages, keyed by setting.
 */
export function sourceTransactionSettings(
  connectorConfig: Props,
  offsetTopic: string,
  offsetFlushIntervalMs: number,
): SourceTransactionSettings {
  const boundary = (connectorConfig['transaction.boundary'] ?? 'poll').trim().toLowerCase();
  const interval = connectorConfig['transaction.boundary.interval.ms'];
  const intervalMs = interval === undefined || interval.trim() === '' ? offsetFlushIntervalMs : Number(interval);
  return { offsetTopic, boundary: boundary === 'interval' ? 'interval' : 'poll', intervalMs };
}

/**
 * The validation errors of a source connector's exactly-once settings (Kafka's
 * DistributedHerder checks and messages), keyed by setting; empty when the config is acceptable.
 */
export function validateExactlyOnceSettings(
  connectorConfig: Props,
  workerSupport: ExactlyOnceSourceSupport,
  connector: {
    exactlyOnceSupport?(config: Props): ExactlyOnceSupport | null | undefined;
    canDefineTransactionBoundaries?(config: Props): ExactlyOnceSupport | null | undefined;
  },
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => {
    errors[key] = [...(errors[key] ?? []), message];
  };
  const support = (connectorConfig['exactly.once.support'] ?? 'requested').trim().toLowerCase();
  if (support !== 'requested' && support !== 'required') {
    add('exactly.once.support', `String must be one of (case insensitive): REQUESTED, REQUIRED`);
  } else if (support === 'required') {
    if (workerSupport !== 'enabled')
      add('exactly.once.support', 'This worker does not have exactly-once source support enabled.');
    const answer = connector.exactlyOnceSupport?.(connectorConfig);
    if (answer === undefined || answer === null) {
      add(
        'exactly.once.support',
        'The connector does not implement the API required for preflight validation of exactly-once source support. Please consult the documentation for the connector to determine whether it supports exactly-once semantics, and then consider reconfiguring the connector to use the value "requested" for this property (which will disable this preflight check and allow the connector to be created).',
      );
    } else if (answer !== 'SUPPORTED') {
      add(
        'exactly.once.support',
        'The connector does not support exactly-once semantics with the provided configuration.',
      );
    }
  }
  const boundary = (connectorConfig['transaction.boundary'] ?? 'poll').trim().toLowerCase();
  if (!(TRANSACTION_BOUNDARIES as readonly string[]).includes(boundary)) {
    add('transaction.boundary', 'String must be one of (case insensitive): POLL, INTERVAL, CONNECTOR');
  } else if (boundary === 'connector' && connector.canDefineTransactionBoundaries?.(connectorConfig) !== 'SUPPORTED') {
    add(
      'transaction.boundary',
      'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.',
    );
  }
  const interval = connectorConfig['transaction.boundary.interval.ms'];
  if (interval !== undefined && interval.trim() !== '') {
    const value = Number(interval);
    if (!Number.isInteger(value)) {
      add(
        'transaction.boundary.interval.ms',
        `Invalid value ${interval} for configuration transaction.boundary.interval.ms: Not a number of type LONG`,
      );
    } else if (value < 0) {
      add('transaction.boundary.interval.ms', 'Must be non-negative');
    }
  }
  return errors;
}

/**
 * Fences the producers of a connector's tasks `0 … taskCount-1` (Kafka's Admin.fenceProducers,
 * which @samsa/client's Admin lacks): `initTransactions` with each ID bumps its producer epoch,
 * so a zombie task of an older generation can no longer commit, and aborts its open transaction.
 */
export async function fenceProducers(
  producerProps: Readonly<Record<string, string | number | boolean>>,
  ids: readonly string[],
): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      const producer = new Producer<Buffer, Buffer>({
        ...producerProps,
        'transactional.id': id,
        'client.id': `${id}-fencer`,
        keySerializer: 'buffer',
        valueSerializer: 'buffer',
      });
      try {
        await producer.initTransactions();
      } finally {
        await producer.close().catch(() => {});
      }
    }),
  );
}

const EXACTLY_ONCE_KEYS = [
  {
    name: 'exactly.once.support',
    type: 'STRING',
    default_value: 'requested',
    documentation:
      'Permitted values are requested, required. If set to "required", forces a preflight check for the connector to ensure that it can provide exactly-once semantics with the given configuration.',
  },
  {
    name: 'transaction.boundary',
    type: 'STRING',
    default_value: 'poll',
    documentation:
      "Permitted values are: poll, interval, connector. If set to 'poll', a new producer transaction will be started and committed for every batch of records that each task from this connector provides to Connect. If set to 'interval', commits after a user-defined time interval. If set to 'connector', uses the connector's TransactionContext.",
  },
  {
    name: 'transaction.boundary.interval.ms',
    type: 'LONG',
    default_value: null,
    documentation:
      "If 'transaction.boundary' is set to 'interval', determines the interval for producer transaction commits by connector tasks. If unset, defaults to the value of the worker-level 'offset.commit.interval.ms' property.",
  },
] as const;

/**
 * Adds the "Exactly Once Support" group (Kafka's SourceConnectorConfig keys) and its errors to a
 * source connector's validation result, as a distributed worker reports them.
 */
export function withExactlyOnceValidation(
  infos: ConfigInfos,
  connectorConfig: Props,
  workerSupport: ExactlyOnceSourceSupport,
  connector: Parameters<typeof validateExactlyOnceSettings>[2],
): ConfigInfos {
  const errors = validateExactlyOnceSettings(connectorConfig, workerSupport, connector);
  const group = 'Exactly Once Support';
  let errorCount = infos.error_count;
  const configs = [...infos.configs];
  for (const [order, key] of EXACTLY_ONCE_KEYS.entries()) {
    const keyErrors = errors[key.name] ?? [];
    errorCount += keyErrors.length;
    configs.push({
      definition: {
        name: key.name,
        type: key.type,
        required: false,
        default_value: key.default_value,
        importance: 'MEDIUM',
        documentation: key.documentation,
        group,
        width: 'SHORT',
        display_name: key.name,
        dependents: [],
        order: order + 1,
      },
      value: {
        name: key.name,
        value: connectorConfig[key.name] ?? key.default_value,
        recommended_values: [],
        errors: keyErrors,
        visible: true,
      },
    });
  }
  return { ...infos, error_count: errorCount, groups: [...infos.groups, group], configs };
}
