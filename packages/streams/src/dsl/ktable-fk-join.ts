import type { Serde } from '../serde/serde.js';
import { Serdes } from '../serde/serdes.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import { KeyValueStoreBuilder, Stores } from '../state/stores.js';
import { Change } from './change.js';
import {
  combinedKey,
  combinedKeyPrefix,
  Instruction,
  readResponse,
  readSubscription,
  valueHash,
  writeResponse,
  writeSubscription,
} from './fk-join-wrappers.js';
import { copartition, valueGetterOf } from './join-support.js';
import { KTable } from './ktable.js';
import type { Materialized } from './materialized.js';
import type { Named } from './named.js';
import type { ValueJoiner } from './value-joiner.js';

const BYTES = Serdes.ByteArray();

/**
 * The foreign-key table–table join (KIP-213, Java's `KTable.join(other, foreignKeyExtractor,
 * joiner)`), built with Java's nodes, internal topics and store:
 *
 * 1. this table's updates become subscriptions `(foreign key → primary key, hash of the value)`
 *    sent to `<application.id>-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-<n>-topic`, partitioned
 *    by foreign key (co-partitioned with the other table); a changed foreign key unsubscribes
 *    the old one;
 * 2. the other table's side keeps them in `KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-<n>` (keyed by
 *    Java's CombinedKey, so a prefix scan finds a foreign key's subscribers) and answers each
 *    subscription, and each update of the other table, with the foreign value on
 *    `…-SUBSCRIPTION-RESPONSE-<n>-topic`, keyed by primary key;
 * 3. the resolver drops responses whose hash no longer matches this table's current value
 *    (stale: the row changed since) and emits the joined value, or a tombstone.
 *
 * Inner joins emit only rows whose foreign key exists; `leftJoin` every row. A null foreign key
 * is not subscribed (the row produces nothing, as Java before 3.7).
 */
export function foreignKeyJoin<K, V, KO, VO, VR>(
  thisTable: KTable<K, V>,
  other: KTable<KO, VO>,
  foreignKeyExtractor: (value: V) => KO | null,
  joiner: ValueJoiner<K, V, VO | null, VR>,
  named: Named | undefined,
  materialized: Materialized<K, VR> | undefined,
  leftJoin: boolean,
): KTable<K, VR> {
  const builder = thisTable.builder;
  const topology = builder.topology;
  const n = named?.name;
  const gen = (suffix: string, prefix: string) =>
    n === undefined ? builder.newProcessorName(prefix) : `${n}${suffix}`;
  const registrationTopic = `${gen('-subscription-registration', 'KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-')}-topic`;
  const registrationName = gen('-subscription-registration-processor', 'KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-');
  const registrationSink = gen('-subscription-registration-sink', 'KTABLE-SINK-');
  const registrationSource = gen('-subscription-registration-source', 'KTABLE-SOURCE-');
  const subscriptionStore = gen('-subscription-store', 'KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-');
  const receiveName = gen('-subscription-receive', 'KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-');
  const joinForeignName = gen('-subscription-join-foreign', 'KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-');
  const foreignUpdateName = gen('-foreign-join-subscription', 'KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-');
  const responseTopic = `${gen('-subscription-response', 'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-')}-topic`;
  const responseSink = gen('-subscription-response-sink', 'KTABLE-SINK-');
  const responseSource = gen('-subscription-response-source', 'KTABLE-SOURCE-');
  const resolverName = gen(
    '-subscription-response-resolver',
    'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-',
  );
  const outputName = gen('-result', 'KTABLE-FK-JOIN-OUTPUT-');
  const generatedStore = builder.newStoreName('KTABLE-FK-JOIN-OUTPUT-');
  const outputStore = materialized === undefined ? undefined : (materialized.storeName ?? generatedStore);

  const thisGetter = valueGetterOf<K, V>(thisTable);
  const otherGetter = valueGetterOf<KO, VO>(other);
  type Ctx = { keySerde(): Serde<unknown>; valueSerde(): Serde<unknown> };
  const pkSerde = (c: Ctx) => (thisTable.keySerde ?? c.keySerde()) as Serde<K>;
  const leftValueSerde = (c: Ctx) => (thisTable.valueSerde ?? c.valueSerde()) as Serde<V>;
  const fkSerde = (c: Ctx) => (other.keySerde ?? c.keySerde()) as Serde<KO>;
  const rightValueSerde = (c: Ctx) => (other.valueSerde ?? c.valueSerde()) as Serde<VO>;
  const bytes = <T>(serde: Serde<T>, topic: string, v: T): Buffer =>
    Buffer.from(serde.serializer().serialize(topic, v) ?? new Uint8Array());

  // 1. Subscriptions from this table's updates.
  builder.addStatelessProcessor<K, Change<V>, Uint8Array, Uint8Array>(
    registrationName,
    [thisTable.nodeName],
    (record, context) => {
      const pk = record.key();
      if (pk === null || pk === undefined) return;
      const { newValue, oldValue } = record.value();
      const hash = newValue === null ? null : valueHash(bytes(leftValueSerde(context), registrationTopic, newValue));
      const primaryKey = bytes(pkSerde(context), registrationTopic, pk);
      const fkBytes = (fk: KO | null) =>
        fk === null || fk === undefined ? null : bytes(fkSerde(context), registrationTopic, fk);
      const send = (fk: Buffer | null, instruction: Instruction) => {
        if (fk !== null)
          context.forward(record.withKey(fk).withValue(writeSubscription({ hash, instruction, primaryKey })));
      };
      const newFk = newValue === null ? null : fkBytes(foreignKeyExtractor(newValue));
      if (oldValue !== null) {
        const oldFk = fkBytes(foreignKeyExtractor(oldValue));
        if (newFk === null) {
          send(oldFk, Instruction.DELETE_KEY_AND_PROPAGATE);
          return;
        }
        if (oldFk !== null && !oldFk.equals(newFk)) send(oldFk, Instruction.DELETE_KEY_NO_PROPAGATE);
        send(newFk, Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE);
      } else if (newValue !== null) {
        send(
          newFk,
          leftJoin ? Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE : Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE,
        );
      }
    },
  );
  topology.addSinkNode(registrationSink, registrationTopic, BYTES.serializer(), BYTES.serializer(), undefined, [
    registrationName,
  ]);
  topology.addInternalTopic(registrationTopic);
  topology.addSourceNode(registrationSource, [registrationTopic], BYTES.deserializer(), BYTES.deserializer());

  // 2. The other side: remember subscriptions, answer them and the other table's updates.
  builder.addStatelessProcessor<Uint8Array, Uint8Array, Uint8Array, Uint8Array>(
    receiveName,
    [registrationSource],
    (record, context) => {
      const sub = readSubscription(record.value());
      const store = context.getStateStore<KeyValueStore<Uint8Array, Uint8Array>>(subscriptionStore);
      const key = combinedKey(record.key(), sub.primaryKey);
      const isDelete =
        sub.instruction === Instruction.DELETE_KEY_AND_PROPAGATE ||
        sub.instruction === Instruction.DELETE_KEY_NO_PROPAGATE;
      store.put(key, isDelete ? null : record.value());
      context.forward(record);
    },
  );
  builder.addStatelessProcessor<Uint8Array, Uint8Array, Uint8Array, Uint8Array>(
    joinForeignName,
    [receiveName],
    (record, context) => {
      const sub = readSubscription(record.value());
      if (sub.instruction === Instruction.DELETE_KEY_NO_PROPAGATE) return;
      const fk = fkSerde(context).deserializer().deserialize(registrationTopic, record.key()) as KO;
      const foreign =
        sub.instruction === Instruction.DELETE_KEY_AND_PROPAGATE
          ? null
          : otherGetter.get((s) => context.getStateStore(s), fk);
      if (foreign === null && sub.instruction === Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE) return;
      const foreignValue = foreign === null ? null : bytes(rightValueSerde(context), responseTopic, foreign);
      context.forward(record.withKey(sub.primaryKey).withValue(writeResponse({ hash: sub.hash, foreignValue })));
    },
    otherGetter.storeNames,
  );
  builder.addStatelessProcessor<KO, Change<VO>, Uint8Array, Uint8Array>(
    foreignUpdateName,
    [other.nodeName],
    (record, context) => {
      const fk = record.key();
      if (fk === null || fk === undefined) return;
      const prefix = combinedKeyPrefix(bytes(fkSerde(context), registrationTopic, fk));
      const newValue = record.value().newValue;
      const foreignValue = newValue === null ? null : bytes(rightValueSerde(context), responseTopic, newValue);
      const store = context.getStateStore<KeyValueStore<Uint8Array, Uint8Array>>(subscriptionStore);
      for (const [key, value] of store.inner.range(prefix, prefixEnd(prefix))) {
        const k = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
        if (!k.subarray(0, prefix.length).equals(prefix)) continue;
        const sub = readSubscription(value);
        context.forward(
          record
            .withKey(k.subarray(prefix.length) as Uint8Array)
            .withValue(writeResponse({ hash: sub.hash, foreignValue })),
        );
      }
    },
  );
  topology.addSinkNode(responseSink, responseTopic, BYTES.serializer(), BYTES.serializer(), undefined, [
    joinForeignName,
    foreignUpdateName,
  ]);
  topology.addInternalTopic(responseTopic);
  topology.addSourceNode(responseSource, [responseTopic], BYTES.deserializer(), BYTES.deserializer());
  const storeBuilder = new KeyValueStoreBuilder<Uint8Array, Uint8Array>(
    Stores.persistentKeyValueStore(subscriptionStore),
    BYTES,
    BYTES,
  );
  topology.addStateStore(storeBuilder, receiveName, foreignUpdateName);

  // 3. Back on this side: drop stale responses, join the rest.
  builder.addStatelessProcessor<Uint8Array, Uint8Array, K, VR | null>(
    resolverName,
    [responseSource],
    (record, context) => {
      const response = readResponse(record.value());
      const pk = pkSerde(context).deserializer().deserialize(responseTopic, record.key()) as K;
      const current = thisGetter.get((s) => context.getStateStore(s), pk);
      const currentHash =
        current === null ? null : valueHash(bytes(leftValueSerde(context), registrationTopic, current));
      const fresh = currentHash === null ? response.hash === null : response.hash?.equals(currentHash) === true;
      if (!fresh) return;
      const foreign =
        response.foreignValue === null
          ? null
          : (rightValueSerde(context).deserializer().deserialize(responseTopic, response.foreignValue) as VO);
      const result = current === null || (foreign === null && !leftJoin) ? null : joiner(current, foreign, pk);
      context.forward(record.withKey(pk).withValue(result));
    },
    thisGetter.storeNames,
  );
  builder.addStatelessProcessor<K, VR | null, K, Change<VR>>(outputName, [resolverName], (record, context) => {
    if (outputStore === undefined) {
      context.forward(record.withValue(new Change(record.value(), null)));
      return;
    }
    const store = context.getStateStore<KeyValueStore<K, VR>>(outputStore);
    const old = store.get(record.key());
    store.put(record.key(), record.value());
    context.forward(record.withValue(new Change(record.value(), old)));
  });
  if (outputStore !== undefined) {
    topology.addStateStore(
      builder.storeBuilder<K, VR>(
        materialized,
        outputStore,
        materialized?.keySerde ?? thisTable.keySerde,
        materialized?.valueSerde,
      ),
      outputName,
    );
  }
  copartition(topology, [registrationSource, other.nodeName]);
  copartition(topology, [responseSource, thisTable.nodeName]);
  return new KTable<K, VR>(
    builder,
    outputName,
    outputStore,
    materialized?.keySerde ?? thisTable.keySerde,
    materialized?.valueSerde,
  );
}

/** The smallest key after every key starting with `prefix` (inclusive bound: callers re-check the prefix). */
function prefixEnd(prefix: Buffer): Buffer | null {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return null;
}
