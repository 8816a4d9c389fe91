/** The access-control hook on a bare fastify app: a route that declares no role is refused. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fastifyCookie from '@fastify/cookie';
import Fastify from 'fastify';
import { errorReply } from '../../src/http-error.js';
import { installAccessControl } from '../../src/security/access-control.js';

async function app(readOnly: boolean) {
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) => {
    const { statusCode, body } = errorReply(error);
    void reply.code(statusCode).send(body);
  });
  await app.register(fastifyCookie, { secret: 'test-secret' });
  installAccessControl(app, { sessions: undefined, readOnly });
  app.get('/api/undeclared', async () => ({ served: true }));
  app.get('/undeclared-page', async () => ({ served: true }));
  app.get('/api/declared', { config: { role: 'viewer' } }, async () => ({ served: true }));
  app.post('/api/declared', { config: { role: 'admin' } }, async () => ({ served: true }));
  // A typo'd role is no role.
  app.get('/api/typo', { config: { role: 'admni' as 'admin' } }, async () => ({ served: true }));
  return app;
}

describe('access control', () => {
  test('a route without a (valid) role is refused, /api or not; a declared one is served', async () => {
    const a = await app(false);
    for (const url of ['/api/undeclared', '/undeclared-page', '/api/typo']) {
      const answer = await a.inject({ method: 'GET', url });
      assert.equal(answer.statusCode, 403, url);
      assert.match(answer.json().message, /declares no role, so it is refused/);
    }
    assert.deepEqual((await a.inject({ method: 'GET', url: '/api/declared' })).json(), { served: true });
    assert.deepEqual((await a.inject({ method: 'POST', url: '/api/declared' })).json(), { served: true });
  });

  test('read-only applies without users too', async () => {
    const a = await app(true);
    assert.equal((await a.inject({ method: 'GET', url: '/api/declared' })).statusCode, 200);
    const post = await a.inject({ method: 'POST', url: '/api/declared' });
    assert.equal(post.statusCode, 403);
    assert.equal(post.json().message, 'console is read-only');
  });
});
