/** Kafka's `org.apache.kafka.connect.errors.DataException`: data that does not fit its schema or format. */
export class DataException extends Error {
  override readonly name = 'DataException';
}
