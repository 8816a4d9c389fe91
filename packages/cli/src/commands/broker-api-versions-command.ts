import { clientVersionRange, usableVersion, type VersionRange } from '@samsa/client';
import { type ApiCodec, apiCodec, GENERATED_APIS } from '@samsa/protocol';
import type { OptionSpec } from '../options/option-parser.js';
import { connectAdmin } from '../support/admin-client.js';
import { errorLine } from '../support/error-report.js';
import { requireOption, type Tool } from '../support/tool.js';

const specs: OptionSpec[] = [
  {
    name: 'command-config',
    description: 'A property file containing configs to be passed to Admin Client.',
    arg: 'required',
    argName: 'command config property file',
  },
  {
    name: 'bootstrap-server',
    description: 'REQUIRED: The server to connect to.',
    arg: 'required',
    argName: 'server(s) to use for bootstrapping',
  },
];

function range(v: VersionRange): string {
  return v.min === v.max ? `${v.min}` : `${v.min} to ${v.max}`;
}

/**
 * One broker's API versions as Java's `NodeApiVersions.toString(true)` prints them, ascending by
 * API key: `Name(key): min to max [usable: v]` for APIs both sides know, where usable is the
 * version Samsa's client would send (or why none is: the node is too new or too old);
 * `UNKNOWN(key): ...` for APIs the broker offers that Samsa has no codec for; `Name(key):
 * UNSUPPORTED` for broker APIs Samsa knows that this broker does not offer.
 */
export function formatNodeApiVersions(versions: ReadonlyMap<number, VersionRange>): string {
  const entries = new Map<number, string>();
  for (const [key, broker] of versions) {
    const api = apiCodec(key);
    if (api === undefined) {
      entries.set(key, `UNKNOWN(${key}): ${range(broker)}`);
      continue;
    }
    const usable = usableVersion(clientVersionRange(api), broker);
    const note = typeof usable === 'number' ? `[usable: ${usable}]` : `[unusable: ${usable}]`;
    entries.set(key, `${api.name}(${key}): ${range(broker)} ${note}`);
  }
  for (const api of GENERATED_APIS as readonly ApiCodec[]) {
    if (!entries.has(api.apiKey)) entries.set(api.apiKey, `${api.name}(${api.apiKey}): UNSUPPORTED`);
  }
  const sorted = [...entries].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
  return `(\n\t${sorted.join(',\n\t')}\n)`;
}

/** `kafka-broker-api-versions.sh`: the API versions of every broker of the cluster. */
export const brokerApiVersionsTool: Tool = {
  name: 'broker-api-versions',
  script: 'kafka-broker-api-versions.sh',
  purpose: 'This tool helps to retrieve broker version information.',
  specs,
  async run(options, io) {
    requireOption(options, 'bootstrap-server');
    const admin = await connectAdmin(options.value('bootstrap-server'), options.value('command-config'), io);
    try {
      const metadata = await admin.cluster.fetchMetadata([]);
      for (const node of [...metadata.brokers].sort((a, b) => a.nodeId - b.nodeId)) {
        // Java's Node.toString.
        const name = `${node.host}:${node.port} (id: ${node.nodeId} rack: ${node.rack ?? 'null'})`;
        try {
          const connection = await admin.cluster.connectionTo(node.nodeId);
          io.stdout.write(`${name} -> ${formatNodeApiVersions(connection.apiVersions)}\n`);
        } catch (error) {
          io.stdout.write(`${name} -> ERROR: ${errorLine(error)}\n`);
        }
      }
      return 0;
    } finally {
      await admin.close();
    }
  },
};
