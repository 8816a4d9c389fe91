import type { Topology } from '../processor/topology.js';

/**
 * How long after its end a window of a windowed aggregation still takes records, by the name of
 * the aggregation's node; `suppress(untilWindowCloses)` looks it up through the table's
 * ancestors, as Java's GraphGraceSearchUtil walks the graph (session windows: gap plus grace).
 */
const gracesByTopology = new WeakMap<Topology, Map<string, number>>();

export function recordWindowGrace(topology: Topology, nodeName: string, graceMs: number): void {
  let graces = gracesByTopology.get(topology);
  if (graces === undefined) gracesByTopology.set(topology, (graces = new Map()));
  graces.set(nodeName, graceMs);
}

/** The grace of the windowed aggregation above `nodeName`, or undefined when the table is not windowed. */
export function findWindowGrace(topology: Topology, nodeName: string): number | undefined {
  const graces = gracesByTopology.get(topology);
  const seen = new Set<string>();
  const queue = [nodeName];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (seen.has(name)) continue;
    seen.add(name);
    const grace = graces?.get(name);
    if (grace !== undefined) return grace;
    const node = topology.node(name);
    if (node?.kind === 'processor') queue.push(...node.parents);
  }
  return undefined;
}
