// Signature stub (compat/java-api-stubs/README.md): compiles librdkafka's tests/java, never runs.
package org.apache.kafka.clients.producer;

import java.util.Properties;
import java.util.concurrent.Future;

public class KafkaProducer<K, V> implements Producer<K, V> {
    public KafkaProducer(Properties properties) {
        throw new UnsupportedOperationException("signature stub for compiling librdkafka's tests/java, not Kafka's client: see compat/README.md");
    }

    public void initTransactions() {}

    public void beginTransaction() {}

    public void commitTransaction() {}

    public void abortTransaction() {}

    public Future<?> send(ProducerRecord<K, V> record) {
        return null;
    }

    public void flush() {}

    public void close() {}
}
