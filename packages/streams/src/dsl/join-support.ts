import type { Topology } from '../processor/topology.js';
import type { Serde } from '../serde/serde.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import type { StateStore } from '../state/state-store.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';
import { createRepartitionedSource } from './repartition.js';

/**
 * Sends a stream whose key changed through `<name>-repartition` before a join (Java's
 * `repartitionForJoin`), so both sides of the join are partitioned by the join key.
 */
export function repartitionForJoin(
  builder: InternalStreamsBuilder,
  name: string,
  parent: string,
  keySerde: Serde<unknown> | undefined,
  valueSerde: Serde<unknown> | undefined,
): string {
  return createRepartitionedSource(builder, keySerde, valueSerde, name, parent);
}

/** The source topics feeding `nodeName` (walking up to the sources). */
export function sourceTopicsOf(topology: Topology, nodeName: string): string[] {
  const topics = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const node = topology.node(name);
    if (node === undefined) return;
    if (node.kind === 'source') for (const t of node.topics) topics.add(t);
    else for (const p of node.parents) visit(p);
  };
  visit(nodeName);
  return [...topics];
}

/**
 * Registers the topics feeding the joined nodes as one co-partition group (Java's
 * `ensureCopartitionWith`): at start, their partition counts must be equal, and repartition
 * topics among them get the user topics' count.
 */
export function copartition(topology: Topology, nodeNames: readonly string[]): void {
  topology.addCopartitionGroup(nodeNames.flatMap((n) => sourceTopicsOf(topology, n)));
}

/** How a join reads a table's current value for a key (Java's `KTableValueGetter`). */
export interface TableValueGetter<K, V> {
  /** Stores the getter reads: connected to the processors that use it. */
  readonly storeNames: readonly string[];
  get(getStore: <S extends StateStore>(name: string) => S, key: K): V | null;
}

/** Value getters of table nodes that are not materialized but can be computed (join results). */
const getters = new WeakMap<object, TableValueGetter<unknown, unknown>>();

export function registerValueGetter<K, V>(table: object, getter: TableValueGetter<K, V>): void {
  getters.set(table, getter as TableValueGetter<unknown, unknown>);
}

/**
 * The value getter of `table`: its store when it is materialized, else a registered computed
 * getter. A table with neither (a `filter`/`mapValues` result) cannot be joined: Java computes
 * those from the parent's store; here the table has to be materialized first.
 */
export function valueGetterOf<K, V>(table: {
  queryableStoreName: string | undefined;
  nodeName: string;
}): TableValueGetter<K, V> {
  const registered = getters.get(table);
  if (registered !== undefined) return registered as TableValueGetter<K, V>;
  const storeName = table.queryableStoreName;
  if (storeName === undefined) {
    throw new Error(
      `KTable ${table.nodeName} is not materialized: a join needs to read it; materialize it first ` +
        '(e.g. .toStream().toTable(Materialized.as("name")))',
    );
  }
  return {
    storeNames: [storeName],
    get: (getStore, key) => getStore<KeyValueStore<K, V>>(storeName).get(key),
  };
}
