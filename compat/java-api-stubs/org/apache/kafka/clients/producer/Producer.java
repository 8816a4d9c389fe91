// Signature stub (compat/java-api-stubs/README.md): compiles librdkafka's tests/java, never runs.
package org.apache.kafka.clients.producer;

import java.io.Closeable;
import java.util.concurrent.Future;

public interface Producer<K, V> extends Closeable {
    void initTransactions();

    void beginTransaction();

    void commitTransaction();

    void abortTransaction();

    Future<?> send(ProducerRecord<K, V> record);

    void flush();

    void close();
}
