import { ErrorCode, KafkaError } from '@samsa/client';

/**
 * Kafka's `Topic.validate`, for `--zookeeper --create`, which writes ZooKeeper without a broker
 * to check the name. The broker has the same rules (broker/src/metadata/topic-name.ts) but does
 * not export them; once `@samsa/broker` does, this file should go and the tool import them.
 */
const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

export function validateTopicName(name: string): void {
  const invalid = (message: string) => new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, message);
  if (name.length === 0) throw invalid("Topic name is illegal, it can't be empty");
  if (name === '.' || name === '..') throw invalid('Topic name cannot be "." or ".."');
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    throw invalid(
      `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters, topic name: ${name}`,
    );
  }
  if (!LEGAL.test(name)) {
    throw invalid(
      `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`,
    );
  }
}

/** '.' and '_' collide in metric names: Kafka refuses a topic that differs from another only by them. */
export function checkNoCollision(name: string, existing: Iterable<string>): void {
  const unified = name.replaceAll('.', '_');
  for (const other of existing) {
    if (other !== name && other.replaceAll('.', '_') === unified) {
      throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${name}' collides with existing topic: ${other}`);
    }
  }
}
