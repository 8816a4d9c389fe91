import type { FastifyInstance } from 'fastify';
import type { ClusterEntry } from '../cluster-entry.js';
import { HttpError } from '../http-error.js';
import { integer } from '../validation.js';
import { objectBody } from './topic-routes.js';

const MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
type Mechanism = (typeof MECHANISMS)[number];

function userName(value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > 1000)
    throw new HttpError(400, `invalid user ${JSON.stringify(value)}: a non-empty name`);
  return value;
}

function mechanism(value: unknown): Mechanism {
  if (!(MECHANISMS as readonly unknown[]).includes(value))
    throw new HttpError(400, `invalid mechanism ${JSON.stringify(value)}: ${MECHANISMS.join(' or ')}`);
  return value as Mechanism;
}

/**
 * SCRAM users: list users with their mechanisms and iterations, create or update one credential,
 * delete one (or every) mechanism of a user. The password is salted and hashed by the client and
 * never answered, logged or stored by the console.
 */
export function scramUserRoutes(app: FastifyInstance, cluster: (name: string) => ClusterEntry): void {
  app.get<{ Params: { cluster: string } }>(
    '/api/clusters/:cluster/scram-users',
    { config: { role: 'viewer' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const users = await admin.describeUserScramCredentials();
      return { users: users.map((u) => ({ user: u.user, credentials: u.credentialInfos })) };
    },
  );

  app.put<{ Params: { cluster: string; user: string }; Body: unknown }>(
    '/api/clusters/:cluster/scram-users/:user',
    { config: { role: 'admin' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const user = userName(request.params.user);
      const body = objectBody(request.body);
      const mech = mechanism(body.mechanism);
      if (typeof body.password !== 'string' || body.password === '')
        throw new HttpError(400, 'password must be a non-empty string');
      const iterations = body.iterations === undefined ? 4096 : integer(body.iterations, 'iterations', 4096, 16384);
      const [result] = await admin.alterUserScramCredentials([
        { user, mechanism: mech, iterations, password: body.password },
      ]);
      if (result?.error) throw result.error;
      return { user, mechanism: mech, iterations };
    },
  );

  app.delete<{ Params: { cluster: string; user: string }; Querystring: { mechanism?: string } }>(
    '/api/clusters/:cluster/scram-users/:user',
    { config: { role: 'admin' } },
    async (request) => {
      const { admin } = cluster(request.params.cluster);
      const user = userName(request.params.user);
      const wanted = request.query.mechanism === undefined ? undefined : mechanism(request.query.mechanism);
      const [described] = await admin.describeUserScramCredentials([user]);
      const mechanisms = (described?.credentialInfos ?? [])
        .map((c) => c.mechanism)
        .filter((m) => wanted === undefined || m === wanted);
      if (mechanisms.length === 0) throw new HttpError(404, `user '${user}' has no such SCRAM credential`);
      const results = await admin.alterUserScramCredentials(mechanisms.map((m) => ({ user, mechanism: m })));
      for (const r of results) if (r.error) throw r.error;
      return { user, deleted: mechanisms };
    },
  );
}
