import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, KafkaError } from '@samsa/client';
import { javaExceptionClass, javaThrowableText } from '../../src/support/java-exception.js';

test("Java's exception classes for Kafka errors, as the tools print them", () => {
  const names = {
    KAFKA_STORAGE_ERROR: 'KafkaStorageException',
    ELECTION_NOT_NEEDED: 'ElectionNotNeededException',
    PREFERRED_LEADER_NOT_AVAILABLE: 'PreferredLeaderNotAvailableException',
    REQUEST_TIMED_OUT: 'TimeoutException',
    CLUSTER_AUTHORIZATION_FAILED: 'ClusterAuthorizationException',
    INVALID_TOPIC_EXCEPTION: 'InvalidTopicException',
    UNKNOWN_SERVER_ERROR: 'UnknownServerException',
  };
  for (const [error, simple] of Object.entries(names)) {
    assert.equal(javaExceptionClass(error), `org.apache.kafka.common.errors.${simple}`);
  }
  assert.equal(
    javaThrowableText(new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE)),
    'org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.',
  );
});
