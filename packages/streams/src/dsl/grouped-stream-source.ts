import type { Serde } from '../serde/serde.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';
import type { Materialized } from './materialized.js';
import type { Named } from './named.js';
import { createRepartitionedSource } from './repartition.js';

/**
 * What a grouped stream's aggregations (plain, time, sliding and session windowed) start from:
 * the grouping node, its `Grouped` name and serdes, and whether its key changed on the way.
 */
export class GroupedStreamSource<K, V> {
  constructor(
    readonly builder: InternalStreamsBuilder,
    readonly nodeName: string,
    readonly groupedName: string | undefined,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly repartitionRequired: boolean,
  ) {}

  /**
   * Names an aggregation and finds the node it reads from, in Java's order of generated names:
   * the store, the aggregation processor, then the repartition nodes (named after the `Grouped`
   * name, else the store) when the key changed.
   */
  aggregation(
    prefix: string,
    named: Named | undefined,
    materialized: Materialized<K, unknown> | undefined,
  ): { storeName: string; name: string; parent: string } {
    const storeName = materialized?.storeName ?? this.builder.newStoreName(prefix);
    const name = this.builder.nameOf(named, prefix);
    const parent = this.repartitionRequired
      ? createRepartitionedSource(
          this.builder,
          this.keySerde as Serde<unknown> | undefined,
          this.valueSerde as Serde<unknown> | undefined,
          this.groupedName ?? storeName,
          this.nodeName,
        )
      : this.nodeName;
    return { storeName, name, parent };
  }
}

/** An aggregation's optional `(Named | Materialized, Materialized)` arguments, as Java's overloads take them. */
export function splitArgs<K, V>(
  a: Materialized<K, V> | Named | undefined,
  b: Materialized<K, V> | undefined,
): [Named | undefined, Materialized<K, V> | undefined] {
  if (a === undefined) return [undefined, b];
  if ('storeSupplier' in a) return [undefined, a];
  return [a, b];
}
