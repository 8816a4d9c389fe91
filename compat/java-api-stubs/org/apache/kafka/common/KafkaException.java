// Signature stub (compat/java-api-stubs/README.md): compiles librdkafka's tests/java, never runs.
package org.apache.kafka.common;

public class KafkaException extends RuntimeException {
    public KafkaException(String message) {
        super(message);
    }
}
