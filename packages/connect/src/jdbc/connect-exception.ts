/**
 * Kafka's `org.apache.kafka.connect.errors.ConnectException`: the task cannot go on (a missing
 * table, a record it cannot write). Its trace, shown in `/status`, starts with the Java class name
 * so that scripts matching Confluent's messages keep working.
 */
export class ConnectException extends Error {
  override readonly name = 'org.apache.kafka.connect.errors.ConnectException';
}
