import type { TopicPartition } from '@samsa/client';
import type { OptionSpec } from '../options/option-parser.js';
import { connectAdmin } from '../support/admin-client.js';
import { CommandError } from '../support/command-errors.js';
import { javaThrowableText } from '../support/java-exception.js';
import { jsonArray, jsonInt, jsonLong, jsonObject, jsonString, readJsonFile } from '../support/json-file.js';
import { requireOption, type Tool } from '../support/tool.js';

const specs: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description: 'REQUIRED: The server to connect to.',
    arg: 'required',
    argName: 'server(s) to use for bootstrapping',
  },
  {
    name: 'offset-json-file',
    description:
      'REQUIRED: The JSON file with offset per partition. The format to use is:\n{"partitions":\n  [{"topic": "foo", "partition": 1, "offset": 1}],\n "version":1\n}',
    arg: 'required',
    argName: 'Offset json file path',
  },
  {
    name: 'command-config',
    description: 'A property file containing configs to be passed to Admin Client.',
    arg: 'required',
    argName: 'command config property file path',
  },
];

/**
 * Kafka's offset JSON file: `{"partitions": [{"topic": t, "partition": p, "offset": o}], "version": 1}`
 * (version 1 when absent, the only one there is). A partition named twice is refused.
 */
export function readOffsetJsonFile(path: string): (TopicPartition & { offset: bigint })[] {
  const json = jsonObject(readJsonFile(path), path);
  const version = json.version === undefined ? 1 : jsonInt(json.version, '"version"');
  if (version !== 1) throw new CommandError(`Not supported version field value ${version}`);
  if (json.partitions === undefined) throw new CommandError('Missing partitions field');
  const entries = jsonArray(json.partitions, '"partitions"').map((entry, i) => {
    const p = jsonObject(entry, `partitions[${i}]`);
    return {
      topic: jsonString(p.topic, `partitions[${i}].topic`),
      partition: jsonInt(p.partition, `partitions[${i}].partition`),
      offset: jsonLong(p.offset, `partitions[${i}].offset`),
    };
  });
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(`${e.topic}-${e.partition}`, (counts.get(`${e.topic}-${e.partition}`) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1).map(([name]) => name);
  if (duplicates.length > 0) {
    throw new CommandError(`Offset json file contains duplicate topic partitions: ${duplicates.join(',')}`);
  }
  return entries;
}

/**
 * `kafka-delete-records.sh`: moves partitions' log start offsets forward. Each partition's outcome
 * is printed; as in Kafka, one partition's failure is reported on its line and the exit status
 * stays 0.
 */
export const deleteRecordsTool: Tool = {
  name: 'delete-records',
  script: 'kafka-delete-records.sh',
  purpose: 'This tool helps to delete records of the given partitions down to the specified offset.',
  specs,
  async run(options, io) {
    requireOption(options, 'bootstrap-server');
    const file = requireOption(options, 'offset-json-file');
    const requests = readOffsetJsonFile(file);
    const admin = await connectAdmin(options.value('bootstrap-server'), options.value('command-config'), io);
    try {
      io.stdout.write('Executing records delete operation\n');
      const results = await admin.deleteRecords(requests);
      io.stdout.write('Records delete operation completed:\n');
      for (const r of results) {
        const outcome = r.error === null ? `low_watermark: ${r.lowWatermark}` : `error: ${javaThrowableText(r.error)}`;
        io.stdout.write(`partition: ${r.topic}-${r.partition}\t${outcome}\n`);
      }
      return 0;
    } finally {
      await admin.close();
    }
  },
};
