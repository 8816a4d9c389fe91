import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '../http-error.js';
import { hasRole, isRouteRole, type Role } from './roles.js';
import type { Session, SessionStore } from './session-store.js';

/** Who is calling: a logged-in user, or (a console without users) the anonymous admin. */
export interface Identity {
  /** null: the console has no users, everyone is the anonymous admin. */
  readonly user: string | null;
  readonly role: Role;
  /** The caller's session; absent without users. */
  readonly session?: Session;
}

export const SESSION_COOKIE = 'samsa_console_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isMutating(method: string): boolean {
  return !SAFE_METHODS.has(method);
}

export interface AccessControlOptions {
  /** Undefined: the console has no users (no login; loopback only). */
  readonly sessions: SessionStore | undefined;
  readonly readOnly: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access-control hook once the request is allowed; null before (or for public routes). */
    consoleIdentity: Identity | null;
  }
}

function sameToken(given: string | string[] | undefined, session: Session): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The session a request's cookie names, if it is live (its idle clock restarted). */
export function sessionOf(request: FastifyRequest, sessions: SessionStore): Session | undefined {
  const raw = request.cookies[SESSION_COOKIE];
  if (raw === undefined) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value !== null ? sessions.touch(unsigned.value) : undefined;
}

/**
 * The access-control hook, on every request before its body is read. Every route must declare a
 * role (`config: { role }`); one that does not is refused (fail closed). Then, in order:
 * no live session → 401; a change (not GET/HEAD/OPTIONS) without the session's CSRF token in
 * `x-csrf-token` → 403; a change in read-only mode (login and logout excepted) → 403; a role
 * below the route's → 403. `public` routes (the login and the frontend's files) skip all of it.
 * Needs @fastify/cookie registered first.
 */
export function installAccessControl(app: FastifyInstance, options: AccessControlOptions): void {
  app.decorateRequest('consoleIdentity', null);
  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (url === undefined) return; // no route matched: fastify's 404
    const { role, account } = request.routeOptions.config;
    if (!isRouteRole(role))
      throw new HttpError(403, `${request.method} ${url} declares no role, so it is refused`, 'FORBIDDEN');
    if (role === 'public') return;
    let identity: Identity;
    if (options.sessions === undefined) {
      identity = { user: null, role: 'admin' };
    } else {
      const session = sessionOf(request, options.sessions);
      if (session === undefined) throw new HttpError(401, 'not logged in', 'UNAUTHENTICATED');
      identity = { user: session.user, role: session.role, session };
    }
    const mutating = isMutating(request.method);
    if (mutating && identity.session !== undefined && !sameToken(request.headers['x-csrf-token'], identity.session))
      throw new HttpError(403, 'missing or wrong CSRF token (x-csrf-token)', 'CSRF');
    if (mutating && options.readOnly && account !== true) throw new HttpError(403, 'console is read-only', 'READ_ONLY');
    if (!hasRole(identity.role, role))
      throw new HttpError(
        403,
        `role ${identity.role} may not ${request.method} ${url}: it needs ${role} or higher`,
        'FORBIDDEN',
      );
    request.consoleIdentity = identity;
  });
}
