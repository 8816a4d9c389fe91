// Signature stub (compat/java-api-stubs/README.md): compiles librdkafka's tests/java, never runs.
package org.apache.kafka.clients.consumer;

public class ConsumerRecord<K, V> {}
