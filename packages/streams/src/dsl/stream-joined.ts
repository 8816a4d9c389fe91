import type { Serde } from '../serde/serde.js';
import type { WindowBytesStoreSupplier } from '../state/join-window-store.js';

/**
 * Kafka Streams' `StreamJoined`: serdes, processor names, store names and store suppliers of a
 * stream–stream join. `withName` names the processors (`<name>-this-join`, …), `withStoreName`
 * the two window stores (`<name>-this-join-store`, `<name>-other-join-store`) and so their
 * changelogs; the stores are persistent (SQLite) unless suppliers say otherwise.
 */
export class StreamJoined<K, V, VO> {
  private constructor(
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly otherValueSerde: Serde<VO> | undefined,
    readonly name: string | undefined,
    readonly storeName: string | undefined,
    readonly thisStoreSupplier: WindowBytesStoreSupplier | undefined,
    readonly otherStoreSupplier: WindowBytesStoreSupplier | undefined,
    readonly loggingEnabled: boolean,
    readonly topicConfig: { readonly [key: string]: string },
  ) {}

  private copy(changes: Partial<StreamJoinedFields<K, V, VO>>): StreamJoined<K, V, VO> {
    const f = { ...this.fields(), ...changes };
    return new StreamJoined(
      f.keySerde,
      f.valueSerde,
      f.otherValueSerde,
      f.name,
      f.storeName,
      f.thisStoreSupplier,
      f.otherStoreSupplier,
      f.loggingEnabled,
      f.topicConfig,
    );
  }

  private fields(): StreamJoinedFields<K, V, VO> {
    return {
      keySerde: this.keySerde,
      valueSerde: this.valueSerde,
      otherValueSerde: this.otherValueSerde,
      name: this.name,
      storeName: this.storeName,
      thisStoreSupplier: this.thisStoreSupplier,
      otherStoreSupplier: this.otherStoreSupplier,
      loggingEnabled: this.loggingEnabled,
      topicConfig: this.topicConfig,
    };
  }

  static with<K, V, VO>(
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V> | undefined,
    otherValueSerde: Serde<VO> | undefined,
  ): StreamJoined<K, V, VO> {
    return new StreamJoined(
      keySerde,
      valueSerde,
      otherValueSerde,
      undefined,
      undefined,
      undefined,
      undefined,
      true,
      {},
    );
  }

  /** A join whose window stores are named after `storeName` (Java's `StreamJoined.as`). */
  static as<K = never, V = never, VO = never>(storeName: string): StreamJoined<K, V, VO> {
    return StreamJoined.with<K, V, VO>(undefined, undefined, undefined).withStoreName(storeName);
  }

  static withStores<K = never, V = never, VO = never>(
    thisStoreSupplier: WindowBytesStoreSupplier,
    otherStoreSupplier: WindowBytesStoreSupplier,
  ): StreamJoined<K, V, VO> {
    return StreamJoined.with<K, V, VO>(undefined, undefined, undefined).copy({ thisStoreSupplier, otherStoreSupplier });
  }

  withName(name: string): StreamJoined<K, V, VO> {
    return this.copy({ name });
  }

  withStoreName(storeName: string): StreamJoined<K, V, VO> {
    return this.copy({ storeName });
  }

  withKeySerde(keySerde: Serde<K>): StreamJoined<K, V, VO> {
    return this.copy({ keySerde });
  }

  withValueSerde(valueSerde: Serde<V>): StreamJoined<K, V, VO> {
    return this.copy({ valueSerde });
  }

  withOtherValueSerde(otherValueSerde: Serde<VO>): StreamJoined<K, V, VO> {
    return this.copy({ otherValueSerde });
  }

  withThisStoreSupplier(thisStoreSupplier: WindowBytesStoreSupplier): StreamJoined<K, V, VO> {
    return this.copy({ thisStoreSupplier });
  }

  withOtherStoreSupplier(otherStoreSupplier: WindowBytesStoreSupplier): StreamJoined<K, V, VO> {
    return this.copy({ otherStoreSupplier });
  }

  withLoggingEnabled(config: { readonly [key: string]: string } = {}): StreamJoined<K, V, VO> {
    return this.copy({ loggingEnabled: true, topicConfig: { ...config } });
  }

  withLoggingDisabled(): StreamJoined<K, V, VO> {
    return this.copy({ loggingEnabled: false, topicConfig: {} });
  }
}

interface StreamJoinedFields<K, V, VO> {
  keySerde: Serde<K> | undefined;
  valueSerde: Serde<V> | undefined;
  otherValueSerde: Serde<VO> | undefined;
  name: string | undefined;
  storeName: string | undefined;
  thisStoreSupplier: WindowBytesStoreSupplier | undefined;
  otherStoreSupplier: WindowBytesStoreSupplier | undefined;
  loggingEnabled: boolean;
  topicConfig: { readonly [key: string]: string };
}
