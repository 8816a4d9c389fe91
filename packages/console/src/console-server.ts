import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { AuditLog, auditRoutes } from './audit-log.js';
import { type ClusterConfig, ClusterEntry } from './cluster-entry.js';
import type { ConsoleUser } from './config/console-config.js';
import { errorReply, HttpError } from './http-error.js';
import { aclRoutes } from './routes/acl-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { brokerRoutes } from './routes/broker-routes.js';
import { clusterRoutes } from './routes/cluster-routes.js';
import { connectRoutes } from './routes/connect-routes.js';
import { electionRoutes } from './routes/election-routes.js';
import { groupOffsetRoutes } from './routes/group-offset-routes.js';
import { groupRoutes } from './routes/group-routes.js';
import { liveTailRoutes } from './routes/live-tail-routes.js';
import { messageRoutes } from './routes/message-routes.js';
import { quotaRoutes } from './routes/quota-routes.js';
import { reassignmentRoutes } from './routes/reassignment-routes.js';
import { scramUserRoutes } from './routes/scram-user-routes.js';
import { streamsAppRoutes } from './routes/streams-app-routes.js';
import { throughputRoutes } from './routes/throughput-routes.js';
import { topicConfigRoutes } from './routes/topic-config-routes.js';
import { topicMessageRoutes } from './routes/topic-message-routes.js';
import { topicRoutes } from './routes/topic-routes.js';
import { installAccessControl } from './security/access-control.js';
import type { RouteRole } from './security/roles.js';
import { SessionStore } from './security/session-store.js';

export interface ConsoleServerOptions {
  readonly clusters: readonly ClusterConfig[];
  readonly port?: number;
  readonly host?: string;
  /** The built frontend (vite's output); `dist/web` of this package by default. */
  readonly webRoot?: string;
  /** How often the throughput chart samples end offsets and log dirs (default 5000 ms). */
  readonly throughputSampleMs?: number;
  /**
   * Who may log in. None (the default): no login, every caller is the anonymous admin, nothing
   * is audited — bind to loopback only (run-console enforces it).
   */
  readonly users?: readonly ConsoleUser[];
  /** Refuse every change (a non-GET /api call other than login and logout) with 403. */
  readonly readOnly?: boolean;
  /** The audit log's topic on each cluster (`__samsa_console_audit`); written only with users. */
  readonly auditTopic?: string;
  readonly session?: {
    readonly idleTimeoutMinutes?: number;
    readonly maxAgeMinutes?: number;
    /** The cookie's Secure flag: set it when the console is served over HTTPS (a proxy). */
    readonly secureCookie?: boolean;
  };
}

/** A registered route and the role it declares (undefined: none, so it is refused). */
export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly role: RouteRole | undefined;
}

const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The console's HTTP server: a JSON API under /api/clusters/:cluster/… and the single-page
 * frontend for every other GET. Clusters are named entries (one from --bootstrap-server today,
 * a CMAK-style list from a file later); every call to a cluster goes through @samsa/client.
 */
export class ConsoleServer {
  private constructor(
    readonly app: FastifyInstance,
    private readonly clusters: ReadonlyMap<string, ClusterEntry>,
    /** Every route registered (fastify's onRoute), for the test that each declares a role. */
    readonly routes: readonly RouteInfo[],
  ) {}

  static async start(options: ConsoleServerOptions): Promise<ConsoleServer> {
    const clusters = new Map(options.clusters.map((c) => [c.name, new ClusterEntry(c)]));
    const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024 });
    const routes: RouteInfo[] = [];
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url, role: route.config?.role });
    });
    const server = new ConsoleServer(app, clusters, routes);
    const users = options.users ?? [];
    const readOnly = options.readOnly ?? false;
    const maxAgeMinutes = options.session?.maxAgeMinutes ?? 480;
    const sessions =
      users.length === 0
        ? undefined
        : new SessionStore({
            idleTimeoutMs: (options.session?.idleTimeoutMinutes ?? 30) * 60_000,
            maxAgeMs: maxAgeMinutes * 60_000,
          });
    // Signed with a secret that lives as long as the process, as the sessions do.
    await app.register(fastifyCookie, { secret: randomBytes(32) });
    installAccessControl(app, { sessions, readOnly });
    const cluster = (name: string): ClusterEntry => {
      const entry = clusters.get(name);
      if (entry === undefined) throw new HttpError(404, `unknown cluster '${name}'`);
      return entry;
    };
    app.setErrorHandler((error, _request, reply) => {
      const { statusCode, body } = errorReply(error);
      if (statusCode >= 500) console.error('console: request failed:', error);
      void reply.code(statusCode).send(body);
    });
    await authRoutes(app, {
      users,
      sessions,
      readOnly,
      secureCookie: options.session?.secureCookie ?? false,
      maxAgeMinutes,
    });
    app.get('/api/clusters', { config: { role: 'viewer' } }, async () => ({ clusters: [...clusters.keys()] }));
    clusterRoutes(app, cluster);
    topicRoutes(app, cluster, options.throughputSampleMs);
    messageRoutes(app, cluster);
    groupRoutes(app, cluster);
    topicConfigRoutes(app, cluster);
    brokerRoutes(app, cluster);
    throughputRoutes(app, cluster, options.throughputSampleMs ?? 5000);
    electionRoutes(app, cluster);
    reassignmentRoutes(app, cluster);
    aclRoutes(app, cluster);
    groupOffsetRoutes(app, cluster);
    quotaRoutes(app, cluster);
    scramUserRoutes(app, cluster);
    topicMessageRoutes(app, cluster);
    streamsAppRoutes(app, cluster);
    liveTailRoutes(app, cluster);
    connectRoutes(app, cluster);
    auditRoutes(
      app,
      cluster,
      users.length === 0 ? undefined : new AuditLog(options.auditTopic ?? '__samsa_console_audit'),
    );
    app.all('/api/*', { config: { role: 'viewer' } }, async () => {
      throw new HttpError(404, 'no such API');
    });
    const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
    // The frontend routes in the browser (history API): unknown paths get index.html.
    app.get('/*', { config: { role: 'public' } }, async (request, reply) => {
      const path = normalize(decodeURIComponent(request.url.split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
      const file = extname(path) === '' ? 'index.html' : path;
      try {
        const content = await readFile(join(webRoot, file));
        return reply.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').send(content);
      } catch {
        throw new HttpError(404, `not found: ${path}`);
      }
    });
    await app.listen({ port: options.port ?? 8080, host: options.host ?? '127.0.0.1' });
    return server;
  }

  get port(): number {
    const address = this.app.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    await this.app.close();
    await Promise.allSettled([...this.clusters.values()].map((c) => c.close()));
  }
}
