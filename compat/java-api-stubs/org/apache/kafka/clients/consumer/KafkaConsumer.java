// Signature stub (compat/java-api-stubs/README.md): compiles librdkafka's tests/java, never runs.
package org.apache.kafka.clients.consumer;

import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.Set;

public class KafkaConsumer<K, V> implements Consumer<K, V> {
    public KafkaConsumer(Properties properties) {
        throw new UnsupportedOperationException("signature stub for compiling librdkafka's tests/java, not Kafka's client: see compat/README.md");
    }

    public void subscribe(Collection<String> topics) {}

    public ConsumerRecords<K, V> poll(Duration timeout) {
        return null;
    }

    public Set<?> assignment() {
        return null;
    }

    public void close() {}
}
