import { OffsetSpec } from '@samsa/client';
import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { groupId, offset, topicName } from '../validation.js';
import { objectBody } from './topic-routes.js';

type Params = { cluster: string; group: string };

/** Consumer groups: list with total lag, describe with per-partition lag, reset offsets, delete. */
export function groupRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.get<{ Params: { cluster: string } }>(
    '/api/clusters/:cluster/groups',
    { config: { role: 'viewer' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const groups = await admin.listGroups();
      const out = [];
      for (const g of groups) {
        const [description] = await admin.describeGroups([g.groupId]);
        const lag = await groupLag(cluster(request.params.cluster), g.groupId);
        out.push({
          groupId: g.groupId,
          state: description?.state ?? g.state,
          protocolType: g.protocolType,
          members: description?.members.length ?? 0,
          totalLag: lag.reduce((sum, p) => sum + BigInt(p.lag), 0n).toString(),
        });
      }
      return { groups: out };
    },
  );

  app.get<{ Params: Params }>(
    '/api/clusters/:cluster/groups/:group',
    { config: { role: 'viewer' } },
    async (request) => {
      const entry = cluster(request.params.cluster);
      const id = groupId(request.params.group);
      const [description] = await entry.admin.describeGroups([id]);
      if (description === undefined || description.state === 'Dead')
        throw new HttpError(404, `group '${id}' does not exist`);
      return {
        groupId: id,
        state: description.state,
        protocol: description.protocol,
        coordinator: description.coordinator,
        members: description.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          assignment: m.assignment.map((tp) => `${tp.topic}-${tp.partition}`),
        })),
        offsets: await groupLag(entry, id),
      };
    },
  );

  // Kafka's tool plans first and executes on request; an active group refuses the execution
  // (the coordinator answers UNKNOWN_MEMBER_ID), so the console refuses it before asking.
  app.post<{ Params: Params; Body: unknown }>(
    '/api/clusters/:cluster/groups/:group/reset-offsets',
    { config: { role: 'operator' } },
    async (request) => {
      const entry = cluster(request.params.cluster);
      const id = groupId(request.params.group);
      const body = objectBody(request.body);
      const topic = topicName(body.topic);
      const plan = await resetPlan(entry, id, topic, body);
      if (body.execute !== true) return { groupId: id, topic, dryRun: true, offsets: plan };
      const [description] = await entry.admin.describeGroups([id]);
      if (description !== undefined && description.members.length > 0) {
        throw new HttpError(
          409,
          `group '${id}' is ${description.state} with ${description.members.length} member(s); stop its consumers before resetting offsets`,
          'GROUP_ACTIVE',
        );
      }
      await entry.admin.alterConsumerGroupOffsets(
        id,
        plan.map((p) => ({ topic, partition: p.partition, offset: BigInt(p.newOffset) })),
      );
      return { groupId: id, topic, dryRun: false, offsets: plan };
    },
  );

  app.delete<{ Params: Params }>(
    '/api/clusters/:cluster/groups/:group',
    { config: { role: 'admin' } },
    async (request, reply) => {
      const { admin } = cluster(request.params.cluster);
      await admin.deleteGroups([groupId(request.params.group)]);
      reply.code(204);
    },
  );
}

/** Committed offset, log end offset and lag of every partition the group committed. */
async function groupLag(entry: ClusterEntry, id: string) {
  const committed = await entry.admin.listConsumerGroupOffsets(id);
  if (committed.length === 0) return [];
  const ends = await entry.admin.listOffsets(
    committed.map((c) => ({ topic: c.topic, partition: c.partition, timestamp: OffsetSpec.LATEST })),
  );
  return committed
    .map((c) => {
      const end = ends.find((e) => e.topic === c.topic && e.partition === c.partition)?.offset ?? -1n;
      const lag = c.offset >= 0n && end >= 0n ? end - c.offset : 0n;
      return {
        topic: c.topic,
        partition: c.partition,
        committedOffset: c.offset.toString(),
        logEndOffset: end.toString(),
        lag: (lag < 0n ? 0n : lag).toString(),
      };
    })
    .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

/** The offsets a reset would write: to earliest, latest, an offset (clamped to the log) or a timestamp. */
const RESET_TARGETS = 'earliest, latest, offset, timestamp or shift';

async function resetPlan(entry: ClusterEntry, id: string, topic: string, body: Record<string, unknown>) {
  // Every value is checked before the cluster is asked anything.
  if (!['earliest', 'latest', 'offset', 'timestamp', 'shift'].includes(body.to as string)) {
    throw new HttpError(400, `invalid reset target ${JSON.stringify(body.to)}: ${RESET_TARGETS}`);
  }
  if (body.to === 'offset') offset(body.offset);
  if (body.to === 'timestamp') offset(body.timestamp, 'timestamp');
  const shiftBy = body.to === 'shift' ? shift(body.shift) : 0n;
  const [described] = await entry.admin.describeTopics([topic]);
  const partitions = described?.partitions.map((p) => p.partition) ?? [];
  const list = (timestamp: bigint) =>
    entry.admin.listOffsets(partitions.map((partition) => ({ topic, partition, timestamp })));
  const [starts, ends] = await Promise.all([list(OffsetSpec.EARLIEST), list(OffsetSpec.LATEST)]);
  let target: (partition: number) => bigint;
  switch (body.to) {
    case 'earliest':
      target = (p) => starts.find((s) => s.partition === p)?.offset ?? 0n;
      break;
    case 'latest':
      target = (p) => ends.find((s) => s.partition === p)?.offset ?? 0n;
      break;
    case 'offset': {
      const wanted = offset(body.offset);
      target = (p) => {
        const lo = starts.find((s) => s.partition === p)?.offset ?? 0n;
        const hi = ends.find((s) => s.partition === p)?.offset ?? 0n;
        return wanted < lo ? lo : wanted > hi ? hi : wanted;
      };
      break;
    }
    case 'timestamp': {
      const at = offset(body.timestamp, 'timestamp');
      const found = await list(at);
      // No record at or after the timestamp: Kafka's tool resets to the log end.
      target = (p) => {
        const o = found.find((s) => s.partition === p)?.offset ?? -1n;
        return o >= 0n ? o : (ends.find((s) => s.partition === p)?.offset ?? 0n);
      };
      break;
    }
    case 'shift': {
      // kafka-consumer-groups.sh --shift-by: from the committed offset, kept within the log.
      const committed = (await entry.admin.listConsumerGroupOffsets(id)).filter((c) => c.topic === topic);
      const clamp = (p: number, wanted: bigint) => {
        const lo = starts.find((s) => s.partition === p)?.offset ?? 0n;
        const hi = ends.find((s) => s.partition === p)?.offset ?? 0n;
        return wanted < lo ? lo : wanted > hi ? hi : wanted;
      };
      for (const p of partitions) {
        if (!committed.some((c) => c.partition === p && c.offset >= 0n))
          throw new HttpError(
            400,
            `Cannot shift offset for partition ${topic}-${p} since there is no current committed offset`,
          );
      }
      target = (p) => clamp(p, (committed.find((c) => c.partition === p)?.offset ?? 0n) + shiftBy);
      break;
    }
    default:
      throw new HttpError(400, `invalid reset target ${JSON.stringify(body.to)}: ${RESET_TARGETS}`);
  }
  return partitions.map((partition) => ({ partition, newOffset: target(partition).toString() }));
}

/** A shift (--shift-by): a signed integer, as a JSON number or a decimal string. */
function shift(value: unknown): bigint {
  if (
    (typeof value === 'string' && /^-?\d{1,18}$/.test(value)) ||
    (typeof value === 'number' && Number.isSafeInteger(value))
  )
    return BigInt(value);
  throw new HttpError(400, `invalid shift ${JSON.stringify(value)}: a signed integer (negative moves back)`);
}
