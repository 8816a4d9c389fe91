import type { GroupMemberMetadata } from '@samsa/client';
import {
  AssignmentError,
  decodeMetadata,
  encodeAssignment,
  isIncremental,
  protocolVersion,
} from './connect-protocol.js';
import { eagerAssign, type WorkerLoad } from './eager-assignor.js';
import type { IncrementalCooperativeAssignor } from './incremental-cooperative-assignor.js';

export interface LeaderAssignmentInput {
  readonly leaderId: string;
  readonly leaderUrl: string;
  /** The protocol the group chose: `default` (eager), `compatible` or `sessioned`. */
  readonly protocol: string;
  readonly members: readonly GroupMemberMetadata[];
  /** The leader's config topic offset, read to the end just before. */
  readonly configOffset: bigint;
  readonly connectors: readonly string[];
  readonly taskCounts: ReadonlyMap<string, number>;
  /** The leader's state between incremental rounds. */
  readonly incremental: IncrementalCooperativeAssignor;
  readonly nowMs: number;
}

/**
 * The leader's side of a Connect rebalance (Kafka's ConnectAssignor): every member's assignment
 * bytes for the chosen protocol, and a one-line summary for the log. When some member has read
 * the config topic further than the leader, everyone gets CONFIG_MISMATCH and no tasks, as in
 * Kafka, and joins again once the leader has caught up.
 */
export function leaderAssignment(input: LeaderAssignmentInput): { assignments: Map<string, Buffer>; summary: string } {
  const { leaderId, leaderUrl, protocol, configOffset, connectors, taskCounts } = input;
  const metadata = new Map(input.members.map((m) => [m.memberId, decodeMetadata(m.metadata)]));
  const maxOffset = [...metadata.values()].reduce((max, m) => (m.configOffset > max ? m.configOffset : max), -1n);
  const error = configOffset < maxOffset ? AssignmentError.CONFIG_MISMATCH : AssignmentError.NONE;
  const header = { error, leader: leaderId, leaderUrl, configOffset };
  const out = new Map<string, Buffer>();
  const summary: string[] = [];
  if (isIncremental(protocol)) {
    const allocations = new Map<string, WorkerLoad>();
    for (const [memberId, m] of metadata) {
      allocations.set(memberId, {
        connectors: [...(m.allocation?.connectors ?? [])],
        tasks: [...(m.allocation?.tasks ?? [])],
      });
    }
    const plan =
      error === AssignmentError.NONE
        ? input.incremental.assign(allocations, connectors, taskCounts, input.nowMs)
        : { members: new Map(), delayMs: 0 };
    for (const memberId of metadata.keys()) {
      const member = plan.members.get(memberId);
      const assigned = member?.assigned ?? { connectors: [], tasks: [] };
      const revoked = member?.revoked ?? { connectors: [], tasks: [] };
      out.set(
        memberId,
        encodeAssignment(
          {
            ...header,
            ...assigned,
            revokedConnectors: revoked.connectors,
            revokedTasks: revoked.tasks,
            delayMs: plan.delayMs,
          },
          protocolVersion(protocol),
        ),
      );
      summary.push(`${memberId}: +${describe(assigned)} -${describe(revoked)}`);
    }
    if (plan.delayMs > 0) summary.push(`lost work held for ${plan.delayMs} ms`);
  } else {
    const plan = eagerAssign([...metadata.keys()], connectors, taskCounts);
    for (const [memberId, load] of plan) {
      const tasks = error === AssignmentError.NONE ? load.tasks : [];
      out.set(memberId, encodeAssignment({ ...header, connectors: load.connectors, tasks }));
      summary.push(`${memberId}: ${describe(load)}`);
    }
  }
  return { assignments: out, summary: summary.join('; ') };
}

function describe(load: WorkerLoad): string {
  return `${load.connectors.length} connector(s), ${load.tasks.length} task(s)`;
}
