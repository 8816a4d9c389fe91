import type { Serde } from '../serde/serde.js';
import type { KeyValueBytesStore } from './bytes-store.js';
import { KeyValueStore } from './key-value-store.js';
import { type BufferedChange, bufferedChangeSerde, SUPPRESSION_CHANGELOG_HEADERS } from './suppression-buffer-serde.js';

/**
 * The store behind `KTable.suppress`: buffered updates by key, in Java's changelog layout and
 * with its `v=3` header, so the buffer's changelog is the one a Java application writes. The
 * time order lives in the suppress processor, rebuilt from here after a restore.
 */
export class SuppressionBufferStore<K, V> extends KeyValueStore<K, BufferedChange<V>> {
  constructor(
    inner: KeyValueBytesStore,
    keySerde: Serde<K>,
    private readonly bufferedValueSerde: Serde<V>,
    loggingEnabled: boolean,
    changelogTopic: string,
  ) {
    super(inner, keySerde, bufferedChangeSerde(bufferedValueSerde), loggingEnabled, changelogTopic);
    this.changelogHeaders = SUPPRESSION_CHANGELOG_HEADERS;
  }

  /**
   * What an entry counts against `BufferConfig.maxBytes`, as Java estimates it: key, prior, old
   * (unless equal to the prior) and new value bytes, plus the record context (timestamp and
   * offset, topic characters, partition, header keys and values).
   */
  residentMemorySizeEstimate(key: K, change: BufferedChange<V>): number {
    const ser = this.bufferedValueSerde.serializer();
    const length = (v: V | null) => (v === null ? null : (ser.serialize(this.changelogTopic, v) ?? null));
    const prior = length(change.priorValue);
    const old = length(change.oldValue);
    const samePrior = old !== null && prior !== null && Buffer.from(old).equals(Buffer.from(prior));
    let size = this.serializedKey(key).length + (prior?.length ?? 0) + (samePrior ? 0 : (old?.length ?? 0));
    size += length(change.newValue)?.length ?? 0;
    size += 8 + 8 + change.topic.length + 4;
    for (const h of change.headers) size += h.key.length + (h.value?.length ?? 0);
    return size;
  }
}
