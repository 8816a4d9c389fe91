import {
  type AlterUserScramCredentialsRequest,
  type AlterUserScramCredentialsResponseAlterUserScramCredentialsResultInput,
  type DescribeUserScramCredentialsResponseInput,
  ErrorCode,
  KafkaError,
  SCRAM_MAX_ITERATIONS,
  SCRAM_MECHANISMS,
  type ScramCredential,
  type ScramMechanismName,
  scramClientKey,
  scramHash,
  scramMechanismOfType,
  scramServerKey,
} from '@samsa/protocol';
import type { Logger } from '../logger.js';
import type { MutableScramCredentialStore, UserScramCredentials } from './scram-credential-store.js';

/**
 * DescribeUserScramCredentials and AlterUserScramCredentials (KIP-554) over a credential store,
 * with the checks, error codes and messages of Kafka's ZooKeeper-mode broker (ZkAdminManager):
 * every user gets one result, a refused user is left unchanged, the others are altered.
 */

type AlterResult = AlterUserScramCredentialsResponseAlterUserScramCredentialsResultInput;

const USERNAME_MUST_NOT_BE_EMPTY = 'Username must not be empty';
const UNKNOWN_SCRAM_MECHANISM = 'Unknown SCRAM mechanism';

/** The mechanisms in Kafka's order (ScramMechanism.values()), which is the order results list them. */
const MECHANISM_ORDER = Object.keys(SCRAM_MECHANISMS) as ScramMechanismName[];

/**
 * `users` null or empty describes every user with a credential, sorted by name; otherwise one
 * result per distinct name asked, in the order asked: RESOURCE_NOT_FOUND for an empty name or a
 * user without credentials, DUPLICATE_RESOURCE for a name asked twice. A store failure fails the
 * whole request (top-level error).
 */
export async function describeUserScramCredentials(
  store: MutableScramCredentialStore,
  users: readonly string[] | null,
  logger: Logger,
): Promise<DescribeUserScramCredentialsResponseInput> {
  const describingAll = users === null || users.length === 0;
  let found: Map<string, UserScramCredentials>;
  try {
    found = await store.describeUsers(describingAll ? null : users.filter((u) => u !== '' && !isDuplicate(users, u)));
  } catch (err) {
    const error = asKafkaError(err, 'Error processing describe user SCRAM credential configs request', logger);
    return { throttleTimeMs: 0, errorCode: error.errorCode, errorMessage: error.message, results: [] };
  }
  const described = (user: string, credentials: UserScramCredentials) => ({
    user,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    credentialInfos: MECHANISM_ORDER.flatMap((mechanism) => {
      const credential = credentials.get(mechanism);
      return credential === undefined
        ? []
        : [{ mechanism: SCRAM_MECHANISMS[mechanism].type, iterations: credential.iterations }];
    }),
  });
  if (describingAll) {
    const names = [...found.keys()].sort();
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      results: names.map((user) => described(user, found.get(user) as UserScramCredentials)),
    };
  }
  const results = [...new Set(users)].map((user) => {
    if (user === '') {
      return { user, errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: USERNAME_MUST_NOT_BE_EMPTY };
    }
    if (isDuplicate(users, user)) {
      return {
        user,
        errorCode: ErrorCode.DUPLICATE_RESOURCE,
        errorMessage: `Cannot describe SCRAM credentials for the same user twice in a single request: ${user}`,
      };
    }
    const credentials = found.get(user);
    if (credentials === undefined) {
      return {
        user,
        errorCode: ErrorCode.RESOURCE_NOT_FOUND,
        errorMessage: `Attempt to describe a user credential that does not exist: ${user}`,
      };
    }
    return described(user, credentials);
  });
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, results };
}

function isDuplicate(users: readonly string[], user: string): boolean {
  return users.indexOf(user) !== users.lastIndexOf(user);
}

/**
 * Applies a request's deletions and upsertions, user by user. Refused, each user with one result:
 * an empty name (UNACCEPTABLE_CREDENTIAL), an unknown mechanism (UNSUPPORTED_SASL_MECHANISM),
 * iterations outside [4096, 16384] (UNACCEPTABLE_CREDENTIAL), the same user and mechanism twice
 * (DUPLICATE_RESOURCE), the deletion of a credential the user does not have (RESOURCE_NOT_FOUND).
 * An upsertion carries the salt and salted password the client computed; the broker derives the
 * stored and server keys from them and never sees the password.
 *
 * Results come in Kafka's order: refused requests, duplicates, missing deletions, failed writes,
 * then the users altered.
 */
export async function alterUserScramCredentials(
  store: MutableScramCredentialStore,
  request: AlterUserScramCredentialsRequest,
  logger: Logger,
): Promise<AlterResult[]> {
  const { deletions, upsertions } = request;
  // One refusal per user; an upsertion's refusal replaces a deletion's, as in Kafka.
  const illegal = new Map<string, string>();
  for (const d of deletions) {
    if (d.name === '') illegal.set(d.name, USERNAME_MUST_NOT_BE_EMPTY);
    else if (scramMechanismOfType(d.mechanism) === undefined) illegal.set(d.name, UNKNOWN_SCRAM_MECHANISM);
  }
  for (const u of upsertions) {
    const mechanism = scramMechanismOfType(u.mechanism);
    if (u.name === '') illegal.set(u.name, USERNAME_MUST_NOT_BE_EMPTY);
    else if (mechanism === undefined) illegal.set(u.name, UNKNOWN_SCRAM_MECHANISM);
    else if (u.iterations < SCRAM_MECHANISMS[mechanism].minIterations) illegal.set(u.name, 'Too few iterations');
    else if (u.iterations > SCRAM_MAX_ITERATIONS) illegal.set(u.name, 'Too many iterations');
  }
  const refused: AlterResult[] = [...illegal].map(([user, message]) => ({
    user,
    errorCode:
      message === UNKNOWN_SCRAM_MECHANISM ? ErrorCode.UNSUPPORTED_SASL_MECHANISM : ErrorCode.UNACCEPTABLE_CREDENTIAL,
    errorMessage: message,
  }));

  // Kafka's duplicate check: the same (user, mechanism) twice among the legal alterations.
  const legal = [...upsertions, ...deletions].filter((a) => !illegal.has(a.name));
  const pairKey = (a: { name: string; mechanism: number }) => `${a.mechanism}:${a.name}`;
  const pairCounts = new Map<string, number>();
  for (const a of legal) pairCounts.set(pairKey(a), (pairCounts.get(pairKey(a)) ?? 0) + 1);
  const duplicated = new Set(legal.filter((a) => (pairCounts.get(pairKey(a)) ?? 0) > 1).map((a) => a.name));
  const duplicates: AlterResult[] = [...duplicated].map((user) => ({
    user,
    errorCode: ErrorCode.DUPLICATE_RESOURCE,
    errorMessage: 'A user credential cannot be altered twice in the same request',
  }));

  const users = [...new Set(legal.map((a) => a.name))].filter((user) => !duplicated.has(user));
  const missing: AlterResult[] = [];
  const failed: AlterResult[] = [];
  const altered: AlterResult[] = [];
  for (const user of users) {
    const deleted = deletions
      .filter((d) => d.name === user)
      .map((d) => scramMechanismOfType(d.mechanism) as ScramMechanismName);
    const upserted = upsertions
      .filter((u) => u.name === user)
      .map((u) => ({ mechanism: scramMechanismOfType(u.mechanism) as ScramMechanismName, upsertion: u }));
    try {
      await store.alterUser(user, (current) => {
        const next = new Map(current);
        for (const mechanism of deleted) {
          if (!next.delete(mechanism)) throw new MissingCredential();
        }
        for (const { mechanism, upsertion } of upserted) {
          next.set(mechanism, credentialOf(mechanism, upsertion.salt, upsertion.saltedPassword, upsertion.iterations));
        }
        return next;
      });
      altered.push({ user, errorCode: ErrorCode.NONE, errorMessage: null });
    } catch (err) {
      if (err instanceof MissingCredential) {
        missing.push({
          user,
          errorCode: ErrorCode.RESOURCE_NOT_FOUND,
          errorMessage: 'Attempt to delete a user credential that does not exist',
        });
      } else {
        const error = asKafkaError(err, `Error encountered while altering user SCRAM credentials of ${user}`, logger);
        failed.push({ user, errorCode: error.errorCode, errorMessage: error.message });
      }
    }
  }
  return [...refused, ...duplicates, ...missing, ...failed, ...altered];
}

/** A deletion names a credential the user does not have: the user's alteration is refused whole. */
class MissingCredential extends Error {}

/** What the broker keeps of an upsertion (Kafka's ScramFormatter.generateCredential). */
function credentialOf(
  mechanism: ScramMechanismName,
  salt: Buffer,
  saltedPassword: Buffer,
  iterations: number,
): ScramCredential {
  return {
    // A copy: the request's bytes are a view of its frame.
    salt: Buffer.from(salt),
    storedKey: scramHash(mechanism, scramClientKey(mechanism, saltedPassword)),
    serverKey: scramServerKey(mechanism, saltedPassword),
    iterations,
  };
}

/** A store failure as the error to answer with; anything but a KafkaError is unexpected and logged. */
function asKafkaError(err: unknown, what: string, logger: Logger): KafkaError {
  if (err instanceof KafkaError) return err;
  logger.error({ err }, what);
  return new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR);
}
