/**
 * Loads Apache Kafka's JSON message specifications (`clients/src/main/resources/common/message/`),
 * which are JSON with `//` line comments.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KafkaJsonField {
  readonly name: string;
  readonly type: string;
  /** Absent on some tagged-only fields, where Kafka takes `taggedVersions` instead. */
  readonly versions?: string;
  readonly nullableVersions?: string;
  readonly taggedVersions?: string;
  readonly tag?: number;
  readonly default?: string | number | boolean;
  readonly ignorable?: boolean;
  readonly flexibleVersions?: string;
  readonly mapKey?: boolean;
  readonly fields?: readonly KafkaJsonField[];
}

export interface KafkaJsonStruct {
  readonly name: string;
  readonly versions: string;
  readonly fields: readonly KafkaJsonField[];
}

export interface KafkaJsonMessage {
  readonly apiKey?: number;
  readonly type: string;
  readonly listeners?: readonly string[];
  readonly name: string;
  readonly validVersions: string;
  readonly flexibleVersions: string;
  readonly deprecatedVersions?: string;
  readonly latestVersionUnstable?: boolean;
  readonly fields: readonly KafkaJsonField[];
  readonly commonStructs?: readonly KafkaJsonStruct[];
}

/**
 * Removes `//` comments outside string literals. Kafka's specs only use line comments, but their
 * `about` strings may contain `//` (URLs), so a per-line regex is not enough.
 */
export function stripLineComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[i + 1] ?? '';
        i++;
      } else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
      continue;
    }
    out += c;
  }
  return out;
}

const SPECS_BESIDE_REPOSITORY = join('..', 'shared', 'reference', 'kafka-protocol');

/**
 * Where Kafka's JSON specs are, if anywhere: `$SAMSA_KAFKA_PROTOCOL_SPECS`, else
 * `../shared/reference/kafka-protocol` beside the repository. A clone made from a local checkout
 * (`git clone /path/to/samsa`) also looks beside the checkout it came from, so a scratch clone
 * elsewhere on the same machine finds the same folder. No machine's absolute path is written here.
 */
export function findKafkaSpecsDir(): string | undefined {
  const fromEnv = process.env.SAMSA_KAFKA_PROTOCOL_SPECS;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
  const candidates = [resolve(repoRoot, SPECS_BESIDE_REPOSITORY)];
  const origin = localOrigin(repoRoot);
  if (origin !== undefined) candidates.push(resolve(origin, SPECS_BESIDE_REPOSITORY));
  return candidates.find((dir) => existsSync(dir));
}

/** The path of the `origin` remote when it is a directory on this machine. */
function localOrigin(repoRoot: string): string | undefined {
  try {
    const url = execFileSync('git', ['-C', repoRoot, 'config', '--get', 'remote.origin.url'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    return isAbsolute(path) && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Every `*.json` message spec of `dir`, by message name; `undefined` if the directory is absent. */
export function loadKafkaSpecs(dir: string): Map<string, KafkaJsonMessage> | undefined {
  if (!existsSync(dir)) return undefined;
  const specs = new Map<string, KafkaJsonMessage>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json')) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    let spec: KafkaJsonMessage;
    try {
      spec = JSON.parse(stripLineComments(text)) as KafkaJsonMessage;
    } catch (error) {
      throw new Error(`${file}: not JSON after stripping comments`, { cause: error });
    }
    specs.set(spec.name, spec);
  }
  return specs;
}
