import type { ConnectorTaskId } from './connect-protocol.js';

export interface WorkerLoad {
  connectors: string[];
  tasks: ConnectorTaskId[];
}

/**
 * The eager protocol's assignment (Kafka's EagerAssignor): members sorted by ID, connectors dealt
 * round-robin, then tasks dealt round-robin continuing from where the connectors stopped, so a
 * cluster's work spreads evenly and every worker computes the same plan from the same input.
 */
export function eagerAssign(
  memberIds: readonly string[],
  connectors: readonly string[],
  taskCounts: ReadonlyMap<string, number>,
): Map<string, WorkerLoad> {
  const members = [...memberIds].sort();
  const plan = new Map<string, WorkerLoad>(members.map((m) => [m, { connectors: [], tasks: [] }]));
  if (members.length === 0) return plan;
  let next = 0;
  const deal = () => plan.get(members[next++ % members.length]!)!;
  const sorted = [...connectors].sort();
  for (const connector of sorted) deal().connectors.push(connector);
  for (const connector of sorted) {
    const count = taskCounts.get(connector) ?? 0;
    for (let task = 0; task < count; task++) deal().tasks.push({ connector, task });
  }
  return plan;
}
