// The OAuth/OIDC token endpoint of the suite's OIDC runs, on loopback: what trivup's
// OauthbearerOIDCApp serves (trivup/apps/OauthbearerOIDCApp.py), in Node.
//
//   POST /retrieve            client_credentials (Basic authorization, scope one of VALID_SCOPES)
//                             or a JWT-bearer assertion signed with the client key below → a token
//                             valid for 60 s
//   GET  /retrieve?…          Azure IMDS-style metadata authentication (query parameters checked)
//   POST /retrieve/badformat  a token whose signature is broken (the broker must refuse it)
//   POST /retrieve/expire     a token that expired a second ago
//   GET  /keys                the JWKS the brokers check tokens against
//
// Tokens are RS256 JWTs with iss "issuer", aud "api://default", sub "subject" and a client_id
// claim (0126 names it as sasl.oauthbearer.sub.claim.name); brokers expect that issuer and
// audience.
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const VALID_SCOPES = ['test', 'test-scope', 'api://1234-abcd/.default'];
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const OIDC_ISSUER = 'issuer';
export const OIDC_AUDIENCE = 'api://default';
const KID = 'samsa-compat';

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Starts the endpoint on 127.0.0.1 and writes the client's assertion keys into `dir`.
 * @returns {Promise<{ url: string, jwksUrl: string, env: Record<string, string>, close(): Promise<void> }>}
 */
export async function startOidcServer(dir) {
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...signing.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
  // The client's key for JWT-bearer assertions: plain and encrypted PEM (trivup's env variables).
  const client = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const password = randomBytes(8).toString('base64');
  const privateKeyPath = join(dir, 'oidc-client-key.pem');
  const encryptedKeyPath = join(dir, 'oidc-client-key-encrypted.pem');
  writeFileSync(privateKeyPath, client.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(
    encryptedKeyPath,
    client.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password }),
  );

  const token = (lifetimeSec, valid = true) => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url({ kid: KID, alg: 'RS256', typ: 'JWT' });
    const payload = b64url({
      exp: now + lifetimeSec,
      iat: now,
      iss: OIDC_ISSUER,
      sub: 'subject',
      aud: OIDC_AUDIENCE,
      client_id: '123',
    });
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), signing.privateKey).toString('base64url');
    return { access_token: `${header}.${payload}.${signature}${valid ? '' : 'invalid'}` };
  };

  /** A JWT-bearer assertion: signed by the client's key (RS256) and naming a subject. */
  const validAssertion = (assertion) => {
    const [header, payload, signature] = assertion.split('.');
    if (header === undefined || payload === undefined || signature === undefined) return 'not a JWS';
    let claims;
    try {
      if (JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'RS256') return 'not RS256';
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    } catch {
      return 'not JSON';
    }
    const ok = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      client.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!ok) return 'bad signature';
    return typeof claims.sub === 'string' && claims.sub !== '' ? undefined : 'no sub claim';
  };

  const server = createServer((req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const fail = (message) => send(400, { error: 'invalid_request', error_description: message });
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'GET') {
        if (url.pathname.endsWith('/keys')) return send(200, { keys: [jwk] });
        if (url.pathname === '/retrieve' && url.search !== '') {
          if (req.headers.accept !== 'application/json') return fail('Accept should be application/json');
          const q = url.searchParams;
          if (q.get('__metadata_authentication_type') !== 'azure_imds') return fail('unsupported metadata type');
          for (const p of ['client_id', 'resource', 'api-version']) if (!q.has(p)) return fail(`${p} is required`);
          if (String(req.headers.metadata).toLowerCase() !== 'true') return fail('Metadata header must be "true"');
          return send(200, token(60));
        }
        return send(200, 'HTTP server for OAuth\n');
      }
      if (req.method !== 'POST') return send(405, { error: 'method not allowed' });
      if (url.pathname.endsWith('/retrieve/badformat')) return send(200, token(30, false));
      if (url.pathname.endsWith('/retrieve/expire')) return send(200, token(-1));
      if (!url.pathname.endsWith('/retrieve')) return send(404, { error: `URL is not valid: ${url.pathname}` });
      if (req.headers['content-type'] === undefined) return fail('Content-Type is required');
      if (req.headers.accept !== 'application/json') return fail('Accept should be application/json');
      const form = new URLSearchParams(body);
      const scope = form.get('scope');
      if (form.get('grant_type') === JWT_BEARER) {
        if (scope !== null && !VALID_SCOPES.includes(scope)) return fail(`invalid scope "${scope}"`);
        const problem = validAssertion(form.get('assertion') ?? '');
        return problem === undefined ? send(200, token(60)) : fail(`invalid assertion: ${problem}`);
      }
      if (req.headers.authorization === undefined) return fail('Authorization is required');
      if (form.get('grant_type') !== 'client_credentials') return fail('grant_type=client_credentials is required');
      if (scope !== null && !VALID_SCOPES.includes(scope)) return fail(`invalid scope "${scope}"`);
      return send(200, token(60));
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  return {
    url: `${base}/retrieve`,
    jwksUrl: `${base}/keys`,
    env: {
      VALID_OIDC_URL: `${base}/retrieve`,
      INVALID_OIDC_URL: `${base}/retrieve/badformat`,
      EXPIRED_TOKEN_OIDC_URL: `${base}/retrieve/expire`,
      OAUTHBEARER_CLIENT_PRIVATE_KEY: privateKeyPath,
      OAUTHBEARER_CLIENT_PRIVATE_KEY_ENCRYPTED: encryptedKeyPath,
      OAUTHBEARER_CLIENT_PRIVATE_KEY_PASSWORD: password,
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
