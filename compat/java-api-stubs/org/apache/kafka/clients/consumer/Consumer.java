// Signature stub (compat/java-api-stubs/README.md): compiles librdkafka's tests/java, never runs.
package org.apache.kafka.clients.consumer;

import java.io.Closeable;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;

public interface Consumer<K, V> extends Closeable {
    void subscribe(Collection<String> topics);

    ConsumerRecords<K, V> poll(Duration timeout);

    Set<?> assignment();

    void close();
}
