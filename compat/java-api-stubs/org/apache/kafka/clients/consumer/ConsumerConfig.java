// Signature stub (compat/java-api-stubs/README.md): compiles librdkafka's tests/java, never runs.
package org.apache.kafka.clients.consumer;

public class ConsumerConfig {
    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    public static final String GROUP_ID_CONFIG = "group.id";
    public static final String CLIENT_ID_CONFIG = "client.id";
    public static final String KEY_DESERIALIZER_CLASS_CONFIG = "key.deserializer";
    public static final String VALUE_DESERIALIZER_CLASS_CONFIG = "value.deserializer";
    public static final String PARTITION_ASSIGNMENT_STRATEGY_CONFIG = "partition.assignment.strategy";
}
