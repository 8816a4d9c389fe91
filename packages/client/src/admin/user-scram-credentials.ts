import { randomBytes } from 'node:crypto';
import {
  AlterUserScramCredentialsApi,
  DescribeUserScramCredentialsApi,
  ErrorCode,
  isScramMechanism,
  KafkaError,
  SCRAM_MECHANISMS,
  type ScramMechanismName,
  scramMechanismOfType,
  scramSaltedPassword,
} from '@samsa/protocol';
import type { Cluster } from '../metadata/cluster.js';
import { NOT_CONTROLLER, onActiveController } from './active-controller.js';

/** A user's credential for one mechanism, as brokers describe it: never salts or keys. */
export interface ScramCredentialInfo {
  readonly mechanism: ScramMechanismName;
  readonly iterations: number;
}

export interface UserScramCredentialsDescription {
  readonly user: string;
  /** In Kafka's mechanism order (SCRAM-SHA-256, then SCRAM-SHA-512). */
  readonly credentialInfos: readonly ScramCredentialInfo[];
}

/** Adds or replaces a user's credential for one mechanism (Java's UserScramCredentialUpsertion). */
export interface UserScramCredentialUpsertion {
  readonly user: string;
  readonly mechanism: ScramMechanismName;
  /** 4096 (Kafka's minimum, kafka-configs.sh's default) when omitted; at most 16384. */
  readonly iterations?: number;
  /** Never sent: the client sends a salt and the salted password (RFC 5802's Hi) instead. */
  readonly password: string;
  /** A fresh random salt when omitted, as Java's Admin makes one. */
  readonly salt?: Buffer;
}

/** Removes a user's credential for one mechanism. */
export interface UserScramCredentialDeletion {
  readonly user: string;
  readonly mechanism: ScramMechanismName;
}

export type UserScramCredentialAlteration = UserScramCredentialUpsertion | UserScramCredentialDeletion;

/** One user's outcome: all of that user's alterations were made, or none. */
export interface UserScramCredentialAlterationResult {
  readonly user: string;
  readonly error: KafkaError | null;
}

/** Kafka's default iteration count (ConfigCommand.DefaultScramIterations). */
export const DEFAULT_SCRAM_ITERATIONS = 4096;

function isUpsertion(alteration: UserScramCredentialAlteration): alteration is UserScramCredentialUpsertion {
  return 'password' in alteration;
}

/**
 * DescribeUserScramCredentials (KIP-554) on any broker: the credentials of `users`, or of every
 * user when `users` is omitted or empty. A user asked for who has no credential is left out (as
 * Java's `users()` leaves it); any other per-user error, or a request-wide one, rejects.
 */
export async function describeUserScramCredentials(
  cluster: Cluster,
  users: readonly string[] | undefined,
): Promise<UserScramCredentialsDescription[]> {
  const connection = await cluster.anyConnection();
  const response = await connection.request(DescribeUserScramCredentialsApi, {
    users: users === undefined || users.length === 0 ? null : users.map((name) => ({ name })),
  });
  if (response.errorCode !== ErrorCode.NONE) {
    throw new KafkaError(response.errorCode, response.errorMessage ?? undefined);
  }
  const out: UserScramCredentialsDescription[] = [];
  for (const result of response.results) {
    if (result.errorCode === ErrorCode.RESOURCE_NOT_FOUND) continue;
    if (result.errorCode !== ErrorCode.NONE) {
      throw new KafkaError(result.errorCode, result.errorMessage ?? `describe SCRAM credentials of ${result.user}`);
    }
    out.push({
      user: result.user,
      credentialInfos: result.credentialInfos.flatMap((c) => {
        const mechanism = scramMechanismOfType(c.mechanism);
        // A mechanism newer than this client knows: Java maps it to UNKNOWN; we leave it out.
        return mechanism === undefined ? [] : [{ mechanism, iterations: c.iterations }];
      }),
    });
  }
  return out;
}

/**
 * AlterUserScramCredentials (KIP-554), sent where Java's Admin sends it: to the active controller.
 * Upsertions are salted and hashed here, so the password never leaves the client. As in Java, a
 * user with an empty name or password, or an unknown mechanism, is refused before sending
 * (UNACCEPTABLE_CREDENTIAL, UNSUPPORTED_SASL_MECHANISM) and the other users are sent. Resolves
 * with one result per user, in the order the users first appear.
 */
export async function alterUserScramCredentials(
  cluster: Cluster,
  alterations: readonly UserScramCredentialAlteration[],
  timeoutMs: number,
): Promise<UserScramCredentialAlterationResult[]> {
  const refused = new Map<string, KafkaError>();
  for (const a of alterations) {
    if (a.user === '')
      refused.set(a.user, new KafkaError(ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Username must not be empty'));
    else if (isUpsertion(a) && a.password === '') {
      refused.set(a.user, new KafkaError(ErrorCode.UNACCEPTABLE_CREDENTIAL, 'Password must not be empty'));
    } else if (!isScramMechanism(a.mechanism)) {
      refused.set(a.user, new KafkaError(ErrorCode.UNSUPPORTED_SASL_MECHANISM, 'Unknown SCRAM mechanism'));
    }
  }
  const sent = alterations.filter((a) => !refused.has(a.user));
  const upsertions = sent.filter(isUpsertion).map((u) => {
    const iterations = u.iterations ?? DEFAULT_SCRAM_ITERATIONS;
    const salt = u.salt ?? randomBytes(32);
    return {
      name: u.user,
      mechanism: SCRAM_MECHANISMS[u.mechanism].type,
      iterations,
      salt,
      // Hi() with an out-of-range count would be refused anyway: don't spend the CPU on it.
      saltedPassword:
        iterations >= 1 && iterations <= 16384
          ? scramSaltedPassword(u.mechanism, u.password, salt, iterations)
          : Buffer.alloc(0),
    };
  });
  const deletions = sent
    .filter((a) => !isUpsertion(a))
    .map((d) => ({ name: d.user, mechanism: SCRAM_MECHANISMS[d.mechanism].type }));
  const answered = new Map<string, KafkaError | null>();
  if (sent.length > 0) {
    const results = await onActiveController(cluster, timeoutMs, 'alter user SCRAM credentials', async (connection) => {
      const response = await connection.request(AlterUserScramCredentialsApi, { upsertions, deletions });
      if (response.results.some((r) => r.errorCode === ErrorCode.NOT_CONTROLLER)) return NOT_CONTROLLER;
      return response.results;
    });
    for (const r of results) {
      answered.set(
        r.user,
        r.errorCode === ErrorCode.NONE ? null : new KafkaError(r.errorCode, r.errorMessage ?? undefined),
      );
    }
  }
  const users = [...new Set(alterations.map((a) => a.user))];
  return users.map((user) => ({
    user,
    error:
      refused.get(user) ??
      (answered.has(user)
        ? (answered.get(user) as KafkaError | null)
        : new KafkaError(
            ErrorCode.UNKNOWN_SERVER_ERROR,
            `The broker response did not contain a result for user ${user}`,
          )),
  }));
}
