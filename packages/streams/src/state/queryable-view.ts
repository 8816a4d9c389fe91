import type { KeyValueStore } from './key-value-store.js';
import { InvalidStateStoreException, ReadOnlyKeyValueStore } from './queryable-store-types.js';
import { ReadOnlySessionStore } from './read-only-session-store.js';
import { ReadOnlyWindowStore } from './read-only-window-store.js';
import { SessionStore } from './session-store.js';
import { WindowStore } from './window-store.js';

const JAVA_TYPE_NAMES = { keyValue: 'KeyValueStoreType', window: 'WindowStoreType', session: 'SessionStoreType' };

/**
 * The read-only view `KafkaStreams.store` hands out for `kind`, over the stores `stores()` returns
 * at each read (the tasks move in a rebalance). The kind must fit the store, as Java checks: a
 * window or session store is not a key-value store to interactive queries.
 */
export function queryableView(
  storeName: string,
  kind: 'keyValue' | 'window' | 'session',
  stores: () => KeyValueStore<unknown, unknown>[],
): unknown {
  const checked =
    <S>(accepts: (store: KeyValueStore<unknown, unknown>) => boolean) =>
    (): S[] => {
      const found = stores();
      for (const store of found) {
        if (!accepts(store)) {
          throw new InvalidStateStoreException(
            `Cannot get state store ${storeName} because the queryable store type [${JAVA_TYPE_NAMES[kind]}] ` +
              `does not accept the actual store type [${store.constructor.name}].`,
          );
        }
      }
      return found as S[];
    };
  const isWindow = (s: KeyValueStore<unknown, unknown>) => s instanceof WindowStore;
  const isSession = (s: KeyValueStore<unknown, unknown>) => s instanceof SessionStore;
  // Fail at once, as Java's `store()` does, when the store exists here with another type.
  if (kind === 'window') {
    const read = checked<WindowStore<unknown, unknown>>(isWindow);
    read();
    return new ReadOnlyWindowStore(read);
  }
  if (kind === 'session') {
    const read = checked<SessionStore<unknown, unknown>>(isSession);
    read();
    return new ReadOnlySessionStore(read);
  }
  const read = checked<KeyValueStore<unknown, unknown>>((s) => !isWindow(s) && !isSession(s));
  read();
  return new ReadOnlyKeyValueStore(read);
}
