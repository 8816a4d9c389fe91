/**
 * Who may do what. Every route declares the least role it needs (`config: { role }`); the
 * access-control hook compares it with the session's role. `public` is for the login call and the
 * static frontend only.
 *
 * | role     | may                                                                   |
 * | -------- | --------------------------------------------------------------------- |
 * | viewer   | read everything: cluster, topics, configs, messages, groups and lag    |
 * | operator | viewer + create topics, add partitions, produce, reset group offsets   |
 * | admin    | operator + delete topics and groups, read the audit log, (configs/ACLs)|
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type RouteRole = Role | 'public';

const RANK: Readonly<Record<Role, number>> = { viewer: 0, operator: 1, admin: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isRouteRole(value: unknown): value is RouteRole {
  return value === 'public' || isRole(value);
}

/** Whether `held` is at least `needed`. */
export function hasRole(held: Role, needed: Role): boolean {
  return RANK[held] >= RANK[needed];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role a route needs; a route without one is refused (fail closed). */
    role?: RouteRole;
    /**
     * Login, logout and /api/me: the caller's own session, not a change to a cluster, so allowed
     * in read-only mode and not audited.
     */
    account?: boolean;
  }
}
