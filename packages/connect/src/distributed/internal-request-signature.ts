import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConnectRestException } from '../runtime/connect-errors.js';

/** Kafka's headers on a signed internal request (KIP-507). */
export const SIGNATURE_HEADER = 'X-Connect-Authorization';
export const SIGNATURE_ALGORITHM_HEADER = 'X-Connect-Request-Signature-Algorithm';

const NODE_DIGESTS: Readonly<Record<string, string>> = {
  HmacSHA1: 'sha1',
  HmacSHA256: 'sha256',
  HmacSHA384: 'sha384',
  HmacSHA512: 'sha512',
};

/** A request's signature as received: the two headers and the body they sign. */
export interface InternalRequestSignature {
  readonly algorithm: string | undefined;
  readonly signature: string | undefined;
  readonly body: string;
}

/** The base64 HMAC of `body` with the session key (what Java's InternalRequestSignature sends). */
export function signBody(key: Buffer, algorithm: string, body: string): string {
  const digest = NODE_DIGESTS[algorithm];
  if (digest === undefined) throw new Error(`unsupported signature algorithm ${algorithm}`);
  return createHmac(digest, key).update(body, 'utf8').digest('base64');
}

/**
 * Checks a signed internal request as Kafka's leader does: no signature is a 400, an algorithm
 * this worker does not accept a 400, no session key yet a 503, a wrong signature a 403 — each
 * with Kafka's message.
 */
export function verifyInternalRequest(
  request: InternalRequestSignature,
  key: Buffer | undefined,
  verificationAlgorithms: readonly string[],
): void {
  if (request.signature === undefined || request.algorithm === undefined) {
    throw new ConnectRestException(400, 'Internal request missing required signature');
  }
  if (!verificationAlgorithms.includes(request.algorithm)) {
    throw new ConnectRestException(
      400,
      `This worker does not support the '${request.algorithm}' key signing algorithm used by other workers. This worker is currently configured to use: ${JSON.stringify(verificationAlgorithms)}. Check that all workers' configuration files permit the same set of signature algorithms, and correct any misconfigured worker and restart it.`,
    );
  }
  if (key === undefined) {
    throw new ConnectRestException(503, 'Internal request cannot be verified: no session key has been distributed yet');
  }
  const expected = Buffer.from(signBody(key, request.algorithm, request.body), 'base64');
  const given = Buffer.from(request.signature, 'base64');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new ConnectRestException(403, 'Internal request contained invalid signature.');
  }
}
