import {
  ErrorCode,
  KafkaError,
  SaslAuthenticateApi,
  type SaslAuthenticateResponse,
  SaslHandshakeApi,
  type SaslHandshakeResponse,
} from '@samsa/protocol';
import { SaslAuthenticationError } from '../errors/client-errors.js';
import type { SaslLogin } from './sasl-login.js';

/** The two requests of the exchange, sent on the connection being authenticated. */
export interface SaslTransport {
  /** The broker address, for error messages. */
  readonly broker: string;
  /** Negotiated from ApiVersions: the highest version both sides support, or a throw. */
  versionOf(api: typeof SaslHandshakeApi | typeof SaslAuthenticateApi): number;
  handshake(version: number, mechanism: string): Promise<SaslHandshakeResponse>;
  authenticate(version: number, authBytes: Buffer): Promise<SaslAuthenticateResponse>;
}

/** What an authentication leaves behind. */
export interface SaslSession {
  /**
   * KIP-368: how long the broker keeps the session (from SaslAuthenticate v1+); 0 when it does
   * not expire. The connection must re-authenticate before then, or the broker closes it.
   */
  readonly sessionLifetimeMs: number;
}

/**
 * The client side of Kafka's SASL authentication (SaslClientAuthenticator): SaslHandshake v1
 * names the mechanism, then each of its tokens travels in a SaslAuthenticate request (KIP-152),
 * the highest version both sides support (v1 adds `sessionLifetimeMs`, v2 is flexible). The same
 * two steps re-authenticate a live connection (KIP-368).
 *
 * Failures are SaslAuthenticationError, never retriable: SASL_AUTHENTICATION_FAILED with the
 * broker's message (a wrong password), UNSUPPORTED_SASL_MECHANISM naming what the broker
 * enables, ILLEGAL_SASL_STATE (usually a SASL client talking to a listener that is not SASL).
 */
export async function authenticateSasl(login: SaslLogin, transport: SaslTransport): Promise<SaslSession> {
  const { broker } = transport;
  const what = `SASL/${login.mechanism} authentication of ${login.principalName}`;
  const fail = (errorCode: number, message: string, cause?: unknown): never => {
    throw new SaslAuthenticationError(errorCode, broker, message, cause === undefined ? undefined : { cause });
  };

  let handshakeVersion: number;
  let authenticateVersion: number;
  try {
    handshakeVersion = transport.versionOf(SaslHandshakeApi);
    authenticateVersion = transport.versionOf(SaslAuthenticateApi);
  } catch (error) {
    return fail(
      ErrorCode.ILLEGAL_SASL_STATE,
      `${what} failed: the broker does not offer SaslHandshake v1 and SaslAuthenticate (${(error as Error).message})`,
      error,
    );
  }

  const handshake = await transport.handshake(handshakeVersion, login.mechanism);
  if (handshake.errorCode === ErrorCode.UNSUPPORTED_SASL_MECHANISM) {
    fail(
      handshake.errorCode,
      `${what} failed: the broker does not enable ${login.mechanism} (sasl.mechanism); it enables ${handshake.mechanisms.length === 0 ? 'none' : handshake.mechanisms.join(', ')}`,
    );
  }
  if (handshake.errorCode === ErrorCode.ILLEGAL_SASL_STATE) {
    fail(
      handshake.errorCode,
      `${what} failed: the broker refused the SASL handshake; is this listener a SASL one? (security.protocol)`,
    );
  }
  if (handshake.errorCode !== ErrorCode.NONE) {
    fail(handshake.errorCode, `${what} failed: SaslHandshake: ${new KafkaError(handshake.errorCode).message}`);
  }

  const client = login.newClient();
  // The mechanism's own refusals (a forged SCRAM signature, a bad nonce, a token provider that
  // failed) become this exchange's failure; connection errors from the transport pass as they are.
  const step = async <T>(run: () => T | Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof KafkaError)) throw error;
      return fail(error.errorCode, `${what} failed: ${error.message}`, error);
    }
  };
  let sessionLifetimeMs = 0;
  let token: Buffer | undefined = await step(() => client.initialResponse());
  while (token !== undefined) {
    const response = await transport.authenticate(authenticateVersion, token);
    if (response.errorCode !== ErrorCode.NONE) {
      const detail = client.failureDetail === undefined ? '' : ` (${client.failureDetail})`;
      fail(response.errorCode, `${what} failed: ${response.errorMessage ?? 'the broker gave no reason'}${detail}`);
    }
    sessionLifetimeMs = Number(response.sessionLifetimeMs ?? 0n);
    const challenge = response.authBytes;
    token = await step(() => client.evaluateChallenge(challenge));
  }
  if (!client.isComplete) {
    fail(ErrorCode.ILLEGAL_SASL_STATE, `${what} failed: the broker ended the exchange before it was complete`);
  }
  return { sessionLifetimeMs };
}
