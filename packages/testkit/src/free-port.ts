import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now, for services (ZooKeeper, Burrow) that cannot bind
 * port 0 and report back. There is a small window in which another process could take it.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
