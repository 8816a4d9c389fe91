import { GlobalKTable } from './global-ktable.js';
import type { JoinWindows } from './join-windows.js';
import type { Joined } from './joined.js';
import type { KeyValueMapper, KStream } from './kstream.js';
import { joinStreams } from './kstream-kstream-join.js';
import { joinStreamGlobalTable, joinStreamTable } from './kstream-ktable-join.js';
import { KTable } from './ktable.js';
import type { Named } from './named.js';
import type { StreamJoined } from './stream-joined.js';
import type { ValueJoiner } from './value-joiner.js';

export type JoinKind = 'inner' | 'left' | 'outer';

/**
 * `KStream.join` / `leftJoin` / `outerJoin` take a stream (windowed join), a table or a global
 * table, as Java's overloads do; this picks the join by the type of the other side.
 */
export function dispatchStreamJoin(
  stream: KStream<unknown, unknown>,
  kind: JoinKind,
  other: unknown,
  args: readonly unknown[],
): KStream<unknown, unknown> {
  if (other instanceof GlobalKTable) {
    if (kind === 'outer') throw new TypeError('outerJoin with a GlobalKTable does not exist (as in Java)');
    return joinStreamGlobalTable(
      stream,
      other,
      args[0] as KeyValueMapper<unknown, unknown, unknown>,
      args[1] as ValueJoiner<unknown, unknown, unknown, unknown>,
      args[2] as Named | undefined,
      kind === 'left',
    );
  }
  if (other instanceof KTable) {
    if (kind === 'outer') throw new TypeError('outerJoin with a KTable does not exist (as in Java)');
    return joinStreamTable(
      stream,
      other,
      args[0] as ValueJoiner<unknown, unknown, unknown, unknown>,
      args[1] as Joined<unknown, unknown, unknown> | undefined,
      kind === 'left',
    );
  }
  const windows = args[1] as JoinWindows | undefined;
  if (windows === undefined || typeof windows.size !== 'function') {
    throw new TypeError('a stream-stream join needs JoinWindows (e.g. JoinWindows.ofTimeDifferenceWithNoGrace(ms))');
  }
  return joinStreams(
    stream,
    other as KStream<unknown, unknown>,
    args[0] as ValueJoiner<unknown, unknown, unknown, unknown>,
    windows,
    args[2] as StreamJoined<unknown, unknown, unknown> | undefined,
    kind !== 'inner',
    kind === 'outer',
  );
}
