import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ConsoleUser } from '../config/console-config.js';
import { HttpError } from '../http-error.js';
import { SESSION_COOKIE, sessionOf } from '../security/access-control.js';
import { costOf, hashPassword, verifyPassword } from '../security/password-hash.js';
import type { SessionStore } from '../security/session-store.js';
import { objectBody } from './topic-routes.js';

export interface AuthOptions {
  readonly users: readonly ConsoleUser[];
  /** Undefined: no users, no login. */
  readonly sessions: SessionStore | undefined;
  readonly readOnly: boolean;
  readonly secureCookie: boolean;
  readonly maxAgeMinutes: number;
}

/**
 * `POST /api/login` {username, password} → the session cookie (HttpOnly, SameSite=Strict,
 * signed, Secure if configured) and {user, role, csrfToken, readOnly}; `POST /api/logout`;
 * `GET /api/me`. A wrong password and an unknown user answer the same 401, after the same scrypt
 * work (an unknown user is checked against a hash of a random password at the first user's cost).
 */
export async function authRoutes(app: FastifyInstance, options: AuthOptions): Promise<void> {
  const { sessions, users } = options;
  const decoy =
    users[0] === undefined
      ? undefined
      : await hashPassword(randomBytes(16).toString('hex'), costOf(users[0].passwordHash));

  app.post<{ Body: unknown }>('/api/login', { config: { role: 'public', account: true } }, async (request, reply) => {
    if (sessions === undefined || decoy === undefined)
      throw new HttpError(404, 'login is not enabled: the console has no users');
    const body = objectBody(request.body);
    if (typeof body.username !== 'string' || typeof body.password !== 'string' || body.password.length > 1024)
      throw new HttpError(400, 'expected {username, password} as strings');
    const user = users.find((u) => u.name === body.username);
    const matches = await verifyPassword(body.password, user?.passwordHash ?? decoy);
    if (user === undefined || !matches) throw new HttpError(401, 'wrong user name or password', 'UNAUTHENTICATED');
    const previous = sessionOf(request, sessions);
    if (previous !== undefined) sessions.delete(previous.id);
    const session = sessions.create(user.name, user.role);
    reply.setCookie(SESSION_COOKIE, session.id, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookie,
      signed: true,
      maxAge: options.maxAgeMinutes * 60,
    });
    return { user: session.user, role: session.role, csrfToken: session.csrfToken, readOnly: options.readOnly };
  });

  app.post('/api/logout', { config: { role: 'viewer', account: true } }, async (request, reply) => {
    const session = request.consoleIdentity?.session;
    if (session !== undefined && sessions !== undefined) sessions.delete(session.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.code(204);
  });

  app.get('/api/me', { config: { role: 'viewer', account: true } }, async (request) => {
    const identity = request.consoleIdentity;
    return {
      user: identity?.user ?? null,
      role: identity?.role,
      csrfToken: identity?.session?.csrfToken ?? null,
      readOnly: options.readOnly,
      login: sessions !== undefined,
    };
  });
}
