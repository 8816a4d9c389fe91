// Signature stub (compat/java-api-stubs/README.md): compiles librdkafka's tests/java, never runs.
package org.apache.kafka.clients.producer;

public class ProducerRecord<K, V> {
    public ProducerRecord(String topic, Integer partition, K key, V value) {
        throw new UnsupportedOperationException("signature stub for compiling librdkafka's tests/java, not Kafka's client: see compat/README.md");
    }

    public ProducerRecord(String topic, K key, V value) {
        throw new UnsupportedOperationException("signature stub for compiling librdkafka's tests/java, not Kafka's client: see compat/README.md");
    }
}
