import type { ConsoleServerOptions } from '../console-server.js';
import { loadConsoleConfig } from './console-config.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** What `samsa console --config file` serves: its clusters, users, read-only mode, audit topic and session settings. */
export async function serverOptionsFromConfigFile(
  path: string,
): Promise<Pick<ConsoleServerOptions, 'clusters' | 'users' | 'readOnly' | 'auditTopic' | 'session'>> {
  const config = await loadConsoleConfig(path);
  return {
    clusters: [...config.clusters],
    users: config.users,
    readOnly: config.readOnly,
    auditTopic: config.auditTopic,
    session: config.session,
  };
}

/**
 * A console without users has no login: anyone who reaches the port is an admin, so it listens
 * on loopback only. With users, any host is allowed.
 */
export function checkHost(host: string, hasUsers: boolean): void {
  if (!hasUsers && !LOOPBACK.has(host))
    throw new Error(
      `--host ${host}: a console without users has no login, so it listens on 127.0.0.1, ::1 or localhost only (add users to a --config file to listen elsewhere)`,
    );
}
