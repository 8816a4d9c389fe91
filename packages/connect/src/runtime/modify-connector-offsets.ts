import { Admin, KafkaError } from '@samsa/client';
import type { Props, SinkConnector, SourceConnector } from '../connector/connector.js';
import type { OffsetStore } from '../storage/offset-store.js';
import { ConnectRestException } from './connect-errors.js';
import {
  type ConnectorOffset,
  type ConnectorOffsets,
  checkSourceOffsets,
  KAFKA_OFFSET_KEY,
  KAFKA_PARTITION_KEY,
  KAFKA_TOPIC_KEY,
  offsetsModifiedMessage,
  parseSinkOffsets,
  type SinkOffsetChange,
  sinkGroupId,
} from './connector-offsets.js';
import { getLogger } from './loggers.js';
import type { ConnectorPlugin } from './plugins.js';

// Kafka's Worker.modifyConnectorOffsets and friends log these.
const log = getLogger('org.apache.kafka.connect.runtime.Worker');

/**
 * What reading or changing one connector's offsets needs (Kafka's Worker.connectorOffsets and
 * Worker.modifyConnectorOffsets): the connector's config and plugin, the worker's source offset
 * store, and client settings for an Admin on the sink connector's consumer group. Both herders
 * call these after their own checks (the connector exists; for a change, it is STOPPED).
 */
export interface ConnectorOffsetsContext {
  readonly name: string;
  readonly config: Props;
  readonly plugin: ConnectorPlugin;
  readonly offsets: OffsetStore;
  /** Makes written source offsets durable (the file, or the offset topic) before answering. */
  readonly flush: () => void | Promise<void>;
  readonly adminProps: Readonly<Record<string, string>>;
}

export async function readConnectorOffsets(context: ConnectorOffsetsContext): Promise<ConnectorOffsets> {
  if (context.plugin.type === 'source') {
    return { offsets: context.offsets.connectorOffsets(context.name).map((o) => ({ ...o })) };
  }
  return withAdmin(context, async (admin) => {
    const committed = await admin.listConsumerGroupOffsets(sinkGroupId(context.name, context.config));
    return {
      offsets: committed
        .filter((o) => o.offset >= 0n)
        .map((o) => ({
          partition: { [KAFKA_TOPIC_KEY]: o.topic, [KAFKA_PARTITION_KEY]: o.partition },
          offset: { [KAFKA_OFFSET_KEY]: Number(o.offset) },
        })),
    };
  });
}

/**
 * Alters the offsets given (a null offset resets that partition) or, with `offsets` null, resets
 * them all. The connector's `alterOffsets` hook sees the change first and may refuse it by
 * throwing; its answer picks Kafka's success message. Resolves with that message.
 */
export async function modifyConnectorOffsets(
  context: ConnectorOffsetsContext,
  offsets: readonly ConnectorOffset[] | null,
): Promise<string> {
  const reset = offsets === null;
  if (context.plugin.type === 'source') {
    const changes =
      offsets === null
        ? context.offsets.connectorOffsets(context.name).map((o) => ({ partition: o.partition, offset: null }))
        : checkSourceOffsets(offsets);
    const connector = new context.plugin.ctor() as SourceConnector;
    const confirmed = await callAlterOffsets('source', context.name, () =>
      connector.alterOffsets(context.config, changes),
    );
    for (const { partition, offset } of changes) context.offsets.set(context.name, partition, offset);
    try {
      await context.flush();
    } catch (error) {
      log.error(`connect: writing the offsets of ${context.name} failed:`, error);
      throw new ConnectRestException(500, `Failed to modify offsets for source connector ${context.name}`);
    }
    return offsetsModifiedMessage(reset, confirmed);
  }
  return withAdmin(context, async (admin) => {
    const groupId = sinkGroupId(context.name, context.config);
    const changes: SinkOffsetChange[] =
      offsets !== null ? parseSinkOffsets(offsets) : await partitionsToReset(admin, context.name, groupId);
    const connector = new context.plugin.ctor() as SinkConnector;
    const confirmed = await callAlterOffsets('sink', context.name, () =>
      connector.alterOffsets(context.config, changes),
    );
    if (reset) await resetGroup(admin, context.name, groupId);
    else await alterGroupOffsets(admin, context.name, groupId, changes);
    return offsetsModifiedMessage(reset, confirmed);
  });
}

async function callAlterOffsets(
  type: 'source' | 'sink',
  name: string,
  alter: () => boolean | Promise<boolean>,
): Promise<boolean> {
  try {
    return (await alter()) === true;
  } catch (error) {
    // Kafka answers 500 with the connector's own ConnectException message, or wraps anything else.
    log.error(`connect: alterOffsets of connector ${name} failed:`, error);
    const message =
      error instanceof Error && error.name.endsWith('ConnectException')
        ? error.message
        : `Failed to modify offsets for ${type} connector ${name}`;
    throw new ConnectRestException(500, message);
  }
}

/** Every partition the group has an offset for: what a reset forgets. */
async function partitionsToReset(admin: Admin, name: string, groupId: string): Promise<SinkOffsetChange[]> {
  try {
    const committed = await admin.listConsumerGroupOffsets(groupId);
    return committed.map((o) => ({ topic: o.topic, partition: o.partition, offset: null }));
  } catch (error) {
    log.error(`connect: listing the offsets of ${groupId} failed:`, error);
    throw new ConnectRestException(500, `Failed to list offsets prior to resetting offsets for sink connector ${name}`);
  }
}

/** Kafka's answer when the group still has members: the tasks may not have stopped yet. */
function zombieTasks(name: string, operation: 'alter' | 'reset'): ConnectRestException {
  return new ConnectRestException(
    500,
    `Failed to ${operation} consumer group offsets for connector ${name} either because its tasks haven't stopped completely ` +
      `yet or the connector was resumed before the request to ${operation} its offsets could be successfully ` +
      "completed. If the connector is in a stopped state, this operation can be safely retried. If it doesn't " +
      'eventually succeed, the Connect cluster may need to be restarted to get rid of the zombie sink tasks.',
  );
}

const errorName = (error: unknown) => (error instanceof KafkaError ? error.errorName : '');

/** Kafka deletes the whole consumer group; a group that never existed is already reset. */
async function resetGroup(admin: Admin, name: string, groupId: string): Promise<void> {
  try {
    await admin.deleteGroups([groupId]);
  } catch (error) {
    if (errorName(error) === 'GROUP_ID_NOT_FOUND') return;
    if (errorName(error) === 'GROUP_NOT_EMPTY') throw zombieTasks(name, 'reset');
    log.error(`connect: deleting the group ${groupId} failed:`, error);
    throw new ConnectRestException(500, `Failed to reset consumer group offsets for sink connector ${name}`);
  }
}

async function alterGroupOffsets(
  admin: Admin,
  name: string,
  groupId: string,
  changes: readonly SinkOffsetChange[],
): Promise<void> {
  const toWrite = changes.flatMap((c) =>
    c.offset === null ? [] : [{ topic: c.topic, partition: c.partition, offset: c.offset }],
  );
  const toDelete = changes.filter((c) => c.offset === null).map((c) => ({ topic: c.topic, partition: c.partition }));
  try {
    if (toWrite.length > 0) await admin.alterConsumerGroupOffsets(groupId, toWrite);
    if (toDelete.length > 0) await admin.deleteConsumerGroupOffsets(groupId, toDelete);
  } catch (error) {
    const name_ = errorName(error);
    if (name_ === 'UNKNOWN_MEMBER_ID' || name_ === 'GROUP_SUBSCRIBED_TO_TOPIC' || name_ === 'GROUP_NOT_EMPTY') {
      throw zombieTasks(name, 'alter');
    }
    // Deleting offsets of a group that does not exist leaves nothing to delete.
    if (name_ === 'GROUP_ID_NOT_FOUND' && toWrite.length === 0) return;
    log.error(`connect: altering the offsets of ${groupId} failed:`, error);
    throw new ConnectRestException(500, `Failed to alter consumer group offsets for connector ${name}`);
  }
}

async function withAdmin<T>(context: ConnectorOffsetsContext, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin({ ...context.adminProps });
  try {
    return await use(admin);
  } finally {
    await admin.close().catch(() => {});
  }
}
