import {
  ApiKey,
  ErrorCode,
  KafkaError,
  type SaslAuthenticateResponse,
  type SaslHandshakeResponse,
  ScramClient,
} from '@samsa/protocol';
import type { InterBrokerSasl } from './inter-broker-security.js';

/** Sends one request on the connection being authenticated and resolves with its response body. */
export type SaslExchange = <Res>(apiKey: number, version: number, body: unknown) => Promise<Res>;

/**
 * The client side of SASL on a broker's own connection (Kafka's SaslClientAuthenticator, as a
 * broker runs it): SaslHandshake v1 picks the mechanism, then its tokens travel in SaslAuthenticate
 * v1 requests (KIP-152). No ApiVersions first: the other side is a broker, which serves both
 * versions, and its authenticator does not require one.
 *
 * PLAIN is one token. SCRAM is client-first → server-first → client-final → server-final, and the
 * server's signature is checked, so a peer that does not know the credential is refused too.
 * A refusal rejects with the broker's error (SASL_AUTHENTICATION_FAILED with its message; a
 * mechanism it does not enable, UNSUPPORTED_SASL_MECHANISM); the caller drops the connection.
 */
export async function authenticateSasl(sasl: InterBrokerSasl, exchange: SaslExchange, peer: string): Promise<void> {
  const what = `SASL/${sasl.mechanism} authentication of ${sasl.username} with ${peer}`;
  const handshake = await exchange<SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, { mechanism: sasl.mechanism });
  if (handshake.errorCode !== ErrorCode.NONE) {
    throw new KafkaError(
      handshake.errorCode,
      `${what} failed: the broker enables ${handshake.mechanisms.join(', ') || 'no mechanism'} (error code ${handshake.errorCode})`,
    );
  }
  const authenticate = async (token: Buffer): Promise<Buffer> => {
    const response = await exchange<SaslAuthenticateResponse>(ApiKey.SaslAuthenticate, 1, { authBytes: token });
    if (response.errorCode !== ErrorCode.NONE) {
      throw new KafkaError(response.errorCode, `${what} failed: ${response.errorMessage ?? 'no reason given'}`);
    }
    return response.authBytes;
  };
  if (sasl.mechanism === 'PLAIN') {
    // RFC 4616: authzid (empty: the user itself) NUL authcid NUL password.
    await authenticate(Buffer.from(`\u0000${sasl.username}\u0000${sasl.password}`, 'utf8'));
    return;
  }
  const scram = new ScramClient(sasl.mechanism, sasl.username, sasl.password);
  try {
    const serverFirst = await authenticate(scram.firstMessage());
    const serverFinal = await authenticate(scram.finalMessage(serverFirst));
    scram.verifyServerFinal(serverFinal);
  } catch (err) {
    // The state machine's own refusals (a bad nonce, a forged signature) say nothing of the peer.
    if (err instanceof KafkaError && !err.message.startsWith(what)) {
      throw new KafkaError(err.errorCode, `${what} failed: ${err.message}`, { cause: err });
    }
    throw err;
  }
}
