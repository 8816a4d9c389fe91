import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

/**
 * Whether KafkaJS can log in to `bootstrap` (a SASL_PLAINTEXT listener) as `username` with SCRAM
 * and list topics: true, false for a refused authentication, any other failure thrown.
 */
export async function canLogIn(
  bootstrap: string,
  mechanism: 'scram-sha-256' | 'scram-sha-512',
  username: string,
  password: string,
): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'scram-login',
    brokers: [bootstrap],
    sasl:
      mechanism === 'scram-sha-256'
        ? { mechanism: 'scram-sha-256', username, password }
        : { mechanism: 'scram-sha-512', username, password },
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 5000,
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch (err) {
    if ((err as Error).name === 'KafkaJSSASLAuthenticationError') return false;
    throw err;
  } finally {
    await admin.disconnect();
  }
}
