import { BrokerProcess } from '@samsa/testkit';
import { ConsoleServer } from '../../src/console-server.js';

/** A real Samsa broker and a console server on free loopback ports, for API and browser tests. */
export interface ConsoleFixture {
  readonly broker: BrokerProcess;
  readonly server: ConsoleServer;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startConsole(): Promise<ConsoleFixture> {
  const broker = await BrokerProcess.start({ properties: { 'num.partitions': 1 } });
  const server = await ConsoleServer.start({
    clusters: [{ name: 'local', bootstrapServers: broker.bootstrap }],
    port: 0,
    throughputSampleMs: 500,
  });
  return {
    broker,
    server,
    async call(method, path, body) {
      const init: RequestInit = { method };
      if (body !== undefined) {
        init.headers = { 'content-type': 'application/json' };
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
      }
      const response = await fetch(`${server.url}/api${path}`, init);
      const text = await response.text();
      return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
    },
    async close() {
      await server.close();
      await broker.close();
    },
  };
}
