import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Role = 'viewer' | 'operator' | 'admin';

/** GET /api/me: who is logged in. Without users the console answers the anonymous admin. */
export interface Me {
  readonly user: string | null;
  readonly role: Role;
  readonly csrfToken: string | null;
  readonly readOnly: boolean;
  /** Whether the console has a login (users); false: no logout button. */
  readonly login: boolean;
}

const RANK: Readonly<Record<Role, number>> = { viewer: 0, operator: 1, admin: 2 };

export const MeContext = createContext<Me | undefined>(undefined);

/**
 * Whether the current user may make a change that needs `role`: false in read-only mode. The
 * server checks again; this only hides what would be refused.
 */
export function useCan(): (role: Role) => boolean {
  const me = useContext(MeContext);
  return (role) => me !== undefined && !me.readOnly && RANK[me.role] >= RANK[role];
}

/** Whether the current user holds `role` (reading, such as the audit log; read-only mode aside). */
export function useHasRole(): (role: Role) => boolean {
  const me = useContext(MeContext);
  return (role) => me !== undefined && RANK[me.role] >= RANK[role];
}
