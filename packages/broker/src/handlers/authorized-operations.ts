/**
 * Authorized operations as Kafka reports them (KIP-430): a bit field with bit `code` set for
 * each allowed AclOperation. Samsa has no authorizer, and Kafka without one reports every
 * operation the resource type supports (AclEntry.supportedOperations).
 */
export const AclOperation = {
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
} as const;

function bitField(...operations: number[]): number {
  return operations.reduce((field, op) => field | (1 << op), 0);
}

const op = AclOperation;

/** Kafka's "authorized operations not requested" marker (Integer.MIN_VALUE). */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export const ALL_TOPIC_OPERATIONS = bitField(
  op.READ,
  op.WRITE,
  op.CREATE,
  op.DELETE,
  op.ALTER,
  op.DESCRIBE,
  op.DESCRIBE_CONFIGS,
  op.ALTER_CONFIGS,
);

export const ALL_CLUSTER_OPERATIONS = bitField(
  op.CREATE,
  op.CLUSTER_ACTION,
  op.DESCRIBE_CONFIGS,
  op.ALTER_CONFIGS,
  op.IDEMPOTENT_WRITE,
  op.ALTER,
  op.DESCRIBE,
);

/** Kafka 3.x's set; Kafka 4.0 adds DESCRIBE_CONFIGS and ALTER_CONFIGS with group configs. */
export const ALL_GROUP_OPERATIONS = bitField(op.READ, op.DESCRIBE, op.DELETE);
