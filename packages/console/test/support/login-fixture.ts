import type { BrokerProcess } from '@samsa/testkit';
import type { ConsoleUser } from '../../src/config/console-config.js';
import { ConsoleServer, type ConsoleServerOptions } from '../../src/console-server.js';
import { hashPassword } from '../../src/security/password-hash.js';
import type { Role } from '../../src/security/roles.js';

/** A low scrypt cost: the tests log in often; the format and the check are the same. */
export const TEST_COST = { N: 2 ** 14, r: 8, p: 1 };

/** viewer/viewer-pw, operator/operator-pw, admin/admin-pw. */
export async function testUsers(): Promise<ConsoleUser[]> {
  const roles: Role[] = ['viewer', 'operator', 'admin'];
  return Promise.all(
    roles.map(async (role) => ({ name: role, role, passwordHash: await hashPassword(`${role}-pw`, TEST_COST) })),
  );
}

export async function startLoginConsole(
  broker: BrokerProcess,
  users: readonly ConsoleUser[],
  extra: Partial<ConsoleServerOptions> = {},
): Promise<ConsoleServer> {
  return ConsoleServer.start({
    clusters: [{ name: 'local', bootstrapServers: broker.bootstrap }],
    port: 0,
    throughputSampleMs: 500,
    users,
    ...extra,
  });
}

export interface Answer {
  readonly status: number;
  readonly json: Record<string, unknown>;
  readonly headers: Headers;
}

/** One logged-in (or not) HTTP client: keeps the session cookie and the CSRF token. */
export class ApiClient {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(private readonly baseUrl: string) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const all: Record<string, string> = { ...headers };
    if (this.cookie !== undefined) all.cookie = this.cookie;
    if (body !== undefined) all['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: all,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
      headers: response.headers,
    };
  }

  /** A change, with the session's CSRF token. */
  async change(method: string, path: string, body?: unknown): Promise<Answer> {
    return this.call(method, path, body, this.csrfToken === undefined ? {} : { 'x-csrf-token': this.csrfToken });
  }

  async login(username: string, password: string): Promise<Answer> {
    const answer = await this.call('POST', '/login', { username, password });
    const setCookie = answer.headers.get('set-cookie');
    if (answer.status === 200 && setCookie !== null) {
      this.cookie = setCookie.split(';')[0];
      this.csrfToken = answer.json.csrfToken as string;
    }
    return answer;
  }
}
