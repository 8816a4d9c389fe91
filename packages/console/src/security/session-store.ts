import { randomBytes } from 'node:crypto';
import type { Role } from './roles.js';

export interface Session {
  /** Opaque, 256 random bits; the cookie carries it signed. */
  readonly id: string;
  readonly user: string;
  readonly role: Role;
  /** The synchronizer token every state-changing request must echo in `x-csrf-token`. */
  readonly csrfToken: string;
  readonly createdAtMs: number;
  lastSeenAtMs: number;
}

export interface SessionTimeouts {
  /** A session unused this long is gone. */
  readonly idleTimeoutMs: number;
  /** A session is gone this long after login, used or not. */
  readonly maxAgeMs: number;
}

/**
 * Sessions in memory, keyed by opaque id: a restart logs everyone out, which is fine for a console
 * (and means no session secret is ever stored). Time is passed in, so expiry is tested without
 * waiting. Expired sessions are dropped when looked up and swept on every login.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly timeouts: SessionTimeouts,
    private readonly now: () => number = Date.now,
  ) {}

  create(user: string, role: Role): Session {
    this.sweep();
    const at = this.now();
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      user,
      role,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAtMs: at,
      lastSeenAtMs: at,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, its idle clock restarted; undefined if unknown or expired. */
  touch(id: string): Session | undefined {
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    const at = this.now();
    if (this.expired(session, at)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAtMs = at;
    return session;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(session: Session, at: number): boolean {
    return (
      at - session.lastSeenAtMs >= this.timeouts.idleTimeoutMs || at - session.createdAtMs >= this.timeouts.maxAgeMs
    );
  }

  private sweep(): void {
    const at = this.now();
    for (const [id, session] of this.sessions) if (this.expired(session, at)) this.sessions.delete(id);
  }
}
