// Signature stub (compat/java-api-stubs/README.md): compiles librdkafka's tests/java, never runs.
package org.apache.kafka.common.utils;

public final class Utils {
    public static int murmur2(byte[] data) {
        throw new UnsupportedOperationException("signature stub for compiling librdkafka's tests/java, not Kafka's client: see compat/README.md");
    }
}
