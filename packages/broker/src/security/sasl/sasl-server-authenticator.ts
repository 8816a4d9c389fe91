import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '@samsa/protocol';
import { type KafkaPrincipal, principalToString, userPrincipal } from '../kafka-principal.js';
import type { ListenerSaslMechanisms } from './listener-sasl-mechanisms.js';
import { SaslAuthenticationError, type SaslServer } from './sasl-server.js';

type State = 'handshake' | 'authenticate' | 'complete' | 'failed';

export interface SaslAuthenticatorOptions {
  readonly mechanisms: ListenerSaslMechanisms;
  /** connection.failed.authentication.delay.ms: a refused client waits this long for the answer. */
  readonly failedAuthenticationDelayMs: number;
  /** connections.max.reauth.ms (0: sessions never expire, re-authentication is refused). */
  readonly maxReauthMs: number;
  /** Called once per successful (re-)authentication. */
  readonly onAuthenticated: (principal: KafkaPrincipal) => void;
}

export interface HandshakeOutcome {
  readonly errorCode: number;
  readonly mechanisms: readonly string[];
  /** Close the connection once the answer is sent. */
  readonly close: boolean;
}

export interface AuthenticateOutcome {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly authBytes: Buffer;
  readonly sessionLifetimeMs: number;
  readonly close: boolean;
}

/**
 * One connection's SASL state (Kafka's SaslServerAuthenticator): SaslHandshake picks a mechanism,
 * then the mechanism's tokens travel in SaslAuthenticate requests (KIP-152) — or, after a v0
 * handshake, as raw size-prefixed frames (KIP-43's legacy form, which kafka-python still speaks).
 * Until it completes, the connection may send nothing but ApiVersions and these.
 *
 * Refusals are answered after `connection.failed.authentication.delay.ms` and close the
 * connection, as Kafka's. With `connections.max.reauth.ms` set, a session lasts that long (or
 * until its OAUTHBEARER token expires, if sooner); the client re-authenticates on the same
 * connection (KIP-368) with the same principal, or is disconnected at its next request.
 */
export class SaslServerAuthenticator {
  private state: State = 'handshake';
  private server: SaslServer | undefined;
  private legacy = false;
  private principal: KafkaPrincipal | undefined;
  private expiresAtMs = Number.POSITIVE_INFINITY;

  constructor(private readonly options: SaslAuthenticatorOptions) {}

  /** True once the first authentication succeeded (also while a re-authentication is under way). */
  get authenticated(): boolean {
    return this.principal !== undefined;
  }

  /** After a v0 handshake the next frames are raw SASL tokens, not Kafka requests. */
  get expectsRawToken(): boolean {
    return this.legacy && this.state === 'authenticate';
  }

  sessionExpired(nowMs: number): boolean {
    return this.principal !== undefined && this.state === 'complete' && nowMs >= this.expiresAtMs;
  }

  handshake(version: number, mechanism: string): HandshakeOutcome {
    const mechanisms = this.options.mechanisms.enabled;
    const reauthenticating = this.state === 'complete' && this.options.maxReauthMs > 0 && version >= 1;
    if (this.state !== 'handshake' && !reauthenticating) {
      // Kafka answers a handshake on an authenticated connection (re-authentication off) without closing.
      return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms, close: this.state !== 'complete' };
    }
    const server = this.options.mechanisms.create(mechanism);
    if (server === undefined) {
      this.state = 'failed';
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms, close: true };
    }
    if (reauthenticating && server.mechanism !== this.server?.mechanism) {
      this.state = 'failed';
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms, close: true };
    }
    this.server = server;
    this.legacy = version === 0;
    this.state = 'authenticate';
    return { errorCode: ErrorCode.NONE, mechanisms, close: false };
  }

  async authenticate(version: number, token: Buffer): Promise<AuthenticateOutcome> {
    if (this.state !== 'authenticate' || this.legacy) {
      const message =
        this.state === 'complete'
          ? 'SaslAuthenticate request received after successful authentication'
          : `Unexpected SaslAuthenticate request in SASL state ${this.state}`;
      return this.refusal(ErrorCode.ILLEGAL_SASL_STATE, message, this.state !== 'complete');
    }
    const server = this.server as SaslServer;
    let answer: Buffer;
    try {
      answer = server.evaluate(token);
      if (server.isComplete) this.complete(server);
    } catch (err) {
      if (!(err instanceof SaslAuthenticationError)) throw err;
      this.state = 'failed';
      await sleep(this.options.failedAuthenticationDelayMs);
      return this.refusal(ErrorCode.SASL_AUTHENTICATION_FAILED, err.message, true);
    }
    const sessionLifetimeMs =
      server.isComplete && version >= 1 && Number.isFinite(this.expiresAtMs)
        ? Math.max(1, this.expiresAtMs - Date.now())
        : 0;
    return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: answer, sessionLifetimeMs, close: false };
  }

  /**
   * One raw token after a v0 handshake: the answer as a size-prefixed frame, or 'close' on refusal
   * (the legacy form has no way to carry an error).
   */
  async rawToken(frame: Buffer): Promise<Buffer[] | 'close'> {
    const server = this.server as SaslServer;
    try {
      const answer = server.evaluate(frame);
      if (server.isComplete) this.complete(server);
      const size = Buffer.allocUnsafe(4);
      size.writeInt32BE(answer.length, 0);
      return [size, answer];
    } catch (err) {
      if (!(err instanceof SaslAuthenticationError)) throw err;
      this.state = 'failed';
      await sleep(this.options.failedAuthenticationDelayMs);
      return 'close';
    }
  }

  private complete(server: SaslServer): void {
    const principal = userPrincipal(server.authorizationId());
    if (this.principal !== undefined && principalToString(principal) !== principalToString(this.principal)) {
      throw new SaslAuthenticationError(
        `Cannot change principals during re-authentication from ${principalToString(this.principal)}: ${principalToString(principal)}`,
      );
    }
    this.principal = principal;
    this.state = 'complete';
    this.legacy = false;
    const { maxReauthMs } = this.options;
    if (maxReauthMs > 0) {
      const credentialExpiry = server.credentialExpiresAtMs?.() ?? Number.POSITIVE_INFINITY;
      this.expiresAtMs = Math.min(Date.now() + maxReauthMs, credentialExpiry);
    }
    this.options.onAuthenticated(principal);
  }

  private refusal(errorCode: number, errorMessage: string, close: boolean): AuthenticateOutcome {
    return { errorCode, errorMessage, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0, close };
  }
}
