import { ConsumerProtocolSubscriptionCodec, Writer } from '@samsa/protocol';

/** A consumer's JoinGroup protocol metadata: int16 version + `ConsumerProtocolSubscription`. */
export function subscription(topics: readonly string[], version = 1): Buffer {
  const message = { topics: [...topics], userData: null, ownedPartitions: [] };
  const writer = new Writer(2 + ConsumerProtocolSubscriptionCodec.size(message, version));
  writer.writeInt16(version);
  ConsumerProtocolSubscriptionCodec.write(writer, message, version);
  return writer.toBuffer();
}
