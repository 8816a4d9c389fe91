/**
 * Our schema tables against Apache Kafka's JSON message specifications (franz-go's DSL check).
 *
 * The reference specs live outside the repository, at `../shared/reference/kafka-protocol`
 * relative to the repository root (or `$SAMSA_KAFKA_PROTOCOL_SPECS`). CI machines have them, and
 * under `CI=true` their absence fails the comparison; elsewhere it is skipped with a message saying
 * so, while the structural self-check below still runs, since it needs nothing but our tables.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  API_SPECS,
  type FieldSpec,
  MESSAGE_SPECS,
  type MessageSpec,
  PRIMITIVE_TYPES,
  parseVersionRange,
  type StructSpec,
} from '../src/schema/index.js';
import {
  findKafkaSpecsDir,
  type KafkaJsonField,
  type KafkaJsonMessage,
  loadKafkaSpecs,
} from './support/kafka-json-specs.js';

const referenceDir = findKafkaSpecsDir();

/**
 * Where the tables follow Kafka 4.0 and 4.1 beyond the reference (Kafka 3.9's client specs): the
 * exact differences the comparison is expected to find. ConsumerGroupDescribe v1 adds each
 * member's type (KIP-1099). The share group APIs (KIP-932) are Kafka 4.1's first stable version,
 * v1: v0 was 4.0's early access and is gone; ShareFetch v1 adds MaxRecords, BatchSize and the
 * response's AcquisitionLockTimeoutMs, and drops PartitionMaxBytes.
 */
const KAFKA_4_0_DIFFERENCES = new Set([
  'ConsumerGroupDescribeRequest: validVersions is 0-1, Kafka says 0-0',
  'ConsumerGroupDescribeResponse: validVersions is 0-1, Kafka says 0-0',
  'ConsumerGroupDescribeResponse.Groups.Members: fields are [MemberId, InstanceId, RackId, MemberEpoch, ClientId, ClientHost, SubscribedTopicNames, SubscribedTopicRegex, Assignment, TargetAssignment, MemberType], Kafka has [MemberId, InstanceId, RackId, MemberEpoch, ClientId, ClientHost, SubscribedTopicNames, SubscribedTopicRegex, Assignment, TargetAssignment]',
  'ShareAcknowledgeRequest: validVersions is 1-1, Kafka says 0-0',
  'ShareAcknowledgeRequest: latestVersionUnstable is false, Kafka says true',
  'ShareAcknowledgeResponse: validVersions is 1-1, Kafka says 0-0',
  'ShareFetchRequest: validVersions is 1-1, Kafka says 0-0',
  'ShareFetchRequest: latestVersionUnstable is false, Kafka says true',
  'ShareFetchRequest: fields are [GroupId, MemberId, ShareSessionEpoch, MaxWaitMs, MinBytes, MaxBytes, MaxRecords, BatchSize, Topics, ForgottenTopicsData], Kafka has [GroupId, MemberId, ShareSessionEpoch, MaxWaitMs, MinBytes, MaxBytes, Topics, ForgottenTopicsData]',
  'ShareFetchRequest.Topics.Partitions: fields are [PartitionIndex, AcknowledgementBatches], Kafka has [PartitionIndex, PartitionMaxBytes, AcknowledgementBatches]',
  'ShareFetchResponse: validVersions is 1-1, Kafka says 0-0',
  'ShareFetchResponse: fields are [ThrottleTimeMs, ErrorCode, ErrorMessage, AcquisitionLockTimeoutMs, Responses, NodeEndpoints], Kafka has [ThrottleTimeMs, ErrorCode, ErrorMessage, Responses, NodeEndpoints]',
  'ShareFetchResponse.Responses.Partitions.Records: nullableVersions is 0-0, Kafka says 0+',
  'ShareGroupDescribeRequest: validVersions is 1-1, Kafka says 0-0',
  'ShareGroupDescribeRequest: latestVersionUnstable is false, Kafka says true',
  'ShareGroupDescribeResponse: validVersions is 1-1, Kafka says 0-0',
  'ShareGroupHeartbeatRequest: validVersions is 1-1, Kafka says 0-0',
  'ShareGroupHeartbeatRequest: latestVersionUnstable is false, Kafka says true',
  'ShareGroupHeartbeatResponse: validVersions is 1-1, Kafka says 0-0',
]);

/**
 * Data records whose specs are not in the reference: the KIP-848 consumer group records of
 * `__consumer_offsets` live in Kafka's group-coordinator module, not with the client specs.
 */
const RECORDS_OUTSIDE_REFERENCE =
  /^ConsumerGroup(Metadata|PartitionMetadata|MemberMetadata|TargetAssignmentMetadata|TargetAssignmentMember|CurrentMemberAssignment)(Key|Value)$/;

const INTEGERS = new Set(['int8', 'int16', 'uint16', 'int32', 'uint32', 'int64']);

/** A version range in one canonical spelling, so `"0+"` and `"0-2147483647"`-style spellings compare equal. */
function normRange(range: string | undefined): string {
  if (range === undefined) return 'none';
  const parsed = parseVersionRange(range);
  if (parsed === undefined) return 'none';
  return parsed.max === Number.POSITIVE_INFINITY ? `${parsed.min}+` : `${parsed.min}-${parsed.max}`;
}

function isNullText(value: unknown): boolean {
  return value === null || value === 'null';
}

/**
 * The effective default of a field as a canonical string: Kafka's implicit default when the spec
 * omits it, numbers in decimal (Kafka writes some in hex: `"0x7fffffff"`), `null` spelled once.
 */
function effectiveDefault(type: string, value: unknown): string {
  if (type.startsWith('[]') || !PRIMITIVE_TYPES.has(type)) return isNullText(value) ? 'null' : 'empty';
  if (INTEGERS.has(type)) {
    if (value === undefined) return '0';
    const text = String(value).trim();
    const negative = text.startsWith('-');
    const digits = negative ? text.slice(1) : text;
    const magnitude = BigInt(digits); // BigInt parses "0x…" as hex
    return String(negative ? -magnitude : magnitude);
  }
  switch (type) {
    case 'float64':
      return value === undefined ? '0' : String(Number(value));
    case 'bool':
      return value === true || value === 'true' ? 'true' : 'false';
    case 'string':
      if (isNullText(value)) return 'null';
      return JSON.stringify(value === undefined ? '' : String(value));
    case 'bytes':
    case 'records':
      return isNullText(value) ? 'null' : 'empty';
    default:
      return 'implicit';
  }
}

class Differences {
  readonly list: string[] = [];

  check(path: string, what: string, ours: unknown, kafka: unknown): void {
    if (ours !== kafka) this.list.push(`${path}: ${what} is ${String(ours)}, Kafka says ${String(kafka)}`);
  }

  add(message: string): void {
    this.list.push(message);
  }
}

function compareFields(
  diffs: Differences,
  path: string,
  ours: readonly FieldSpec[],
  kafka: readonly KafkaJsonField[],
): void {
  const ourNames = ours.map((f) => f.name);
  const kafkaNames = kafka.map((f) => f.name);
  if (ourNames.join(',') !== kafkaNames.join(',')) {
    diffs.add(`${path}: fields are [${ourNames.join(', ')}], Kafka has [${kafkaNames.join(', ')}]`);
  }
  for (const k of kafka) {
    const o = ours.find((f) => f.name === k.name);
    if (o === undefined) continue;
    const at = `${path}.${k.name}`;
    diffs.check(at, 'type', o.type, k.type);
    diffs.check(at, 'versions', normRange(o.versions), normRange(k.versions ?? k.taggedVersions));
    diffs.check(at, 'nullableVersions', normRange(o.nullableVersions), normRange(k.nullableVersions));
    diffs.check(at, 'taggedVersions', normRange(o.taggedVersions), normRange(k.taggedVersions));
    diffs.check(at, 'tag', o.tag, k.tag);
    diffs.check(at, 'default', effectiveDefault(o.type, o.default), effectiveDefault(k.type, k.default));
    diffs.check(at, 'ignorable', o.ignorable === true, k.ignorable === true);
    diffs.check(at, 'flexibleVersions', o.flexibleVersions ?? '(message)', k.flexibleVersions ?? '(message)');
    diffs.check(at, 'mapKey', o.mapKey === true, k.mapKey === true);
    if (k.fields !== undefined || o.fields !== undefined) {
      if (k.fields === undefined) diffs.add(`${at}: declares its fields inline, Kafka uses a common struct`);
      else if (o.fields === undefined) diffs.add(`${at}: uses a common struct, Kafka declares its fields inline`);
      else compareFields(diffs, at, o.fields, k.fields);
    }
  }
}

function compareMessage(diffs: Differences, ours: MessageSpec, kafka: KafkaJsonMessage): void {
  const at = ours.name;
  diffs.check(at, 'validVersions', normRange(ours.validVersions), normRange(kafka.validVersions));
  diffs.check(at, 'flexibleVersions', normRange(ours.flexibleVersions), normRange(kafka.flexibleVersions));
  diffs.check(at, 'deprecatedVersions', normRange(ours.deprecatedVersions), normRange(kafka.deprecatedVersions));
  diffs.check(at, 'latestVersionUnstable', ours.latestVersionUnstable === true, kafka.latestVersionUnstable === true);
  compareFields(diffs, at, ours.fields, kafka.fields);
  const ourStructs = new Map<string, StructSpec>((ours.commonStructs ?? []).map((s) => [s.name, s]));
  for (const k of kafka.commonStructs ?? []) {
    const o = ourStructs.get(k.name);
    if (o === undefined) {
      diffs.add(`${at}: common struct ${k.name} is missing`);
      continue;
    }
    ourStructs.delete(k.name);
    diffs.check(`${at}.${k.name}`, 'versions', normRange(o.versions), normRange(k.versions));
    compareFields(diffs, `${at}.${k.name}`, o.fields, k.fields);
  }
  for (const name of ourStructs.keys()) diffs.add(`${at}: common struct ${name} does not exist in Kafka's spec`);
}

describe('schema tables conform to Kafka JSON specs', () => {
  const specs = referenceDir === undefined ? undefined : loadKafkaSpecs(referenceDir);
  const missing =
    "Kafka's JSON specs were not found at ../shared/reference/kafka-protocol next to the repository " +
    '(or $SAMSA_KAFKA_PROTOCOL_SPECS); without them nothing guards the schema tables against drift';
  /** Outside CI a machine without the specs skips the comparison; under CI=true that is a failure. */
  const skipWithoutSpecs = (t: { skip(message: string): void }): boolean => {
    if (specs !== undefined) return false;
    if (process.env.CI === 'true') assert.fail(missing);
    t.skip(missing);
    return true;
  };

  test('every API served by brokers has a table, and the tables match Kafka', (t) => {
    if (skipWithoutSpecs(t) || specs === undefined) return;
    const diffs = new Differences();
    const byKey = new Map(API_SPECS.map((api) => [api.apiKey, api]));
    let compared = 0;
    for (const request of specs.values()) {
      if (request.type !== 'request' || request.apiKey === undefined) continue;
      const listeners = request.listeners ?? [];
      const api = byKey.get(request.apiKey);
      if (api === undefined) {
        if (listeners.includes('broker') || listeners.includes('zkBroker')) {
          diffs.add(
            `${request.name} (key ${request.apiKey}): no table, but brokers serve it (${listeners.join(', ')})`,
          );
        }
        continue;
      }
      byKey.delete(request.apiKey);
      diffs.check(`${api.name} (key ${api.apiKey})`, 'request name', api.request.name, request.name);
      diffs.check(
        `${api.name} (key ${api.apiKey})`,
        'listeners',
        [...api.listeners].sort().join(','),
        [...listeners].sort().join(','),
      );
      compareMessage(diffs, api.request, request);
      const response = specs.get(api.response.name);
      if (response === undefined) diffs.add(`${api.response.name}: Kafka has no such response`);
      else {
        diffs.check(api.response.name, 'apiKey', api.apiKey, response.apiKey);
        compareMessage(diffs, api.response, response);
      }
      compared++;
    }
    for (const api of byKey.values()) diffs.add(`${api.name} (key ${api.apiKey}): Kafka has no such API`);
    const unexpected = diffs.list.filter((d) => !KAFKA_4_0_DIFFERENCES.has(d));
    assert.deepEqual(
      diffs.list.filter((d) => KAFKA_4_0_DIFFERENCES.has(d)).length,
      KAFKA_4_0_DIFFERENCES.size,
      'every Kafka 4.0 difference still shows (else remove it from the list)',
    );
    assert.deepEqual(unexpected, [], `${unexpected.length} differences:\n  ${unexpected.join('\n  ')}`);
    assert.ok(compared >= 60, `only ${compared} APIs compared; is ${referenceDir} complete?`);
  });

  test('headers and data records match Kafka', (t) => {
    if (skipWithoutSpecs(t) || specs === undefined) return;
    const diffs = new Differences();
    for (const message of MESSAGE_SPECS) {
      const kafka = specs.get(message.name);
      if (kafka === undefined && RECORDS_OUTSIDE_REFERENCE.test(message.name)) continue;
      if (kafka === undefined) {
        diffs.add(`${message.name}: Kafka has no such message`);
        continue;
      }
      diffs.check(message.name, 'type', message.kind, kafka.type);
      compareMessage(diffs, message, kafka);
    }
    assert.deepEqual(diffs.list, [], `${diffs.list.length} differences:\n  ${diffs.list.join('\n  ')}`);
  });
});

// -------------------------------------------------------------------------------------------------
// Structural self-check: needs no reference, so the tables are checked on every machine.

function structuralProblems(message: MessageSpec): string[] {
  const problems: string[] = [];
  const parse = (where: string, range: string | undefined): { min: number; max: number } | undefined => {
    if (range === undefined) return undefined;
    try {
      return parseVersionRange(range);
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
      return undefined;
    }
  };
  const valid = parse(`${message.name}.validVersions`, message.validVersions);
  if (valid === undefined) problems.push(`${message.name}: no valid versions`);
  const flexible = parse(`${message.name}.flexibleVersions`, message.flexibleVersions);
  parse(`${message.name}.deprecatedVersions`, message.deprecatedVersions);
  const common = new Map((message.commonStructs ?? []).map((s) => [s.name, s]));
  if (common.size !== (message.commonStructs ?? []).length) problems.push(`${message.name}: duplicate common struct`);
  const inlineStructs = new Map<string, string>();

  const visit = (path: string, fields: readonly FieldSpec[]): void => {
    const names = new Set<string>();
    const tags = new Map<number, string>();
    for (const field of fields) {
      const at = `${path}.${field.name}`;
      if (names.has(field.name)) problems.push(`${at}: duplicate field name`);
      names.add(field.name);
      const versions = parse(`${at}.versions`, field.versions);
      const nullable = parse(`${at}.nullableVersions`, field.nullableVersions);
      const tagged = parse(`${at}.taggedVersions`, field.taggedVersions);
      parse(`${at}.flexibleVersions`, field.flexibleVersions);
      if (valid !== undefined && versions !== undefined && (versions.min > valid.max || versions.max < valid.min)) {
        problems.push(`${at}: versions ${field.versions} never overlap validVersions ${message.validVersions}`);
      }
      const base = field.type.startsWith('[]') ? field.type.slice(2) : field.type;
      const isArray = field.type.startsWith('[]');
      if (
        nullable !== undefined &&
        !isArray &&
        ['bool', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'float64', 'uuid'].includes(base)
      ) {
        problems.push(`${at}: a ${field.type} cannot be nullable`);
      }
      if ((field.tag === undefined) !== (field.taggedVersions === undefined)) {
        problems.push(`${at}: tag and taggedVersions must be given together`);
      }
      if (field.tag !== undefined) {
        if (!Number.isInteger(field.tag) || field.tag < 0) problems.push(`${at}: tag ${field.tag} is not a valid tag`);
        const other = tags.get(field.tag);
        if (other !== undefined) problems.push(`${at}: tag ${field.tag} is already used by ${other}`);
        tags.set(field.tag, field.name);
      }
      if (tagged !== undefined) {
        if (flexible === undefined || tagged.min < flexible.min) {
          problems.push(
            `${at}: tagged in ${field.taggedVersions}, but the message is flexible only in ${message.flexibleVersions}`,
          );
        }
        if (tagged.max !== Number.POSITIVE_INFINITY) problems.push(`${at}: taggedVersions must be open-ended`);
        if (versions !== undefined && (tagged.min < versions.min || tagged.max > versions.max)) {
          problems.push(`${at}: taggedVersions ${field.taggedVersions} exceed versions ${field.versions}`);
        }
      }
      if (field.default !== undefined && field.default !== null && INTEGERS.has(field.type)) {
        try {
          effectiveDefault(field.type, field.default);
        } catch {
          problems.push(`${at}: default ${String(field.default)} is not an integer`);
        }
      }
      if (
        isNullText(field.default) &&
        !isArray &&
        PRIMITIVE_TYPES.has(base) &&
        base !== 'string' &&
        base !== 'bytes' &&
        base !== 'records'
      ) {
        problems.push(`${at}: a ${field.type} cannot default to null`);
      }
      if (PRIMITIVE_TYPES.has(base)) {
        if (field.fields !== undefined) problems.push(`${at}: a ${field.type} cannot have fields`);
        continue;
      }
      if (field.fields !== undefined) {
        const previous = inlineStructs.get(base);
        if (previous !== undefined) problems.push(`${at}: struct ${base} is also declared at ${previous}`);
        if (common.has(base)) problems.push(`${at}: struct ${base} is also a common struct`);
        inlineStructs.set(base, at);
        visit(at, field.fields);
      } else if (!common.has(base)) {
        problems.push(`${at}: struct ${base} is declared nowhere`);
      }
    }
  };
  visit(message.name, message.fields);
  for (const s of message.commonStructs ?? []) {
    parse(`${message.name}.${s.name}.versions`, s.versions);
    visit(`${message.name}.${s.name}`, s.fields);
  }
  return problems;
}

describe('schema tables are well formed', () => {
  test('every table parses, with unique tags, tagged fields only in flexible versions, resolvable structs', () => {
    const problems: string[] = [];
    for (const api of API_SPECS) {
      problems.push(...structuralProblems(api.request), ...structuralProblems(api.response));
      if (normRange(api.request.validVersions) !== normRange(api.response.validVersions)) {
        problems.push(`${api.name}: request and response validVersions differ`);
      }
    }
    for (const message of MESSAGE_SPECS) problems.push(...structuralProblems(message));
    assert.deepEqual(problems, [], `${problems.length} problems:\n  ${problems.join('\n  ')}`);
  });

  test('API keys and names are unique', () => {
    const keys = API_SPECS.map((a) => a.apiKey);
    assert.equal(new Set(keys).size, keys.length, 'duplicate API key');
    const names = [...API_SPECS.map((a) => a.name), ...MESSAGE_SPECS.map((m) => m.name)];
    assert.equal(new Set(names).size, names.length, 'duplicate name');
  });

  test('the self-check catches a broken table', () => {
    // Guards the checker itself: a table with a duplicate tag, a tag outside flexible versions and
    // an unresolvable struct must be reported.
    const broken: MessageSpec = {
      name: 'BrokenRequest',
      kind: 'request',
      validVersions: '0-3',
      flexibleVersions: '2+',
      fields: [
        { name: 'A', type: 'int32', versions: '0+', tag: 0, taggedVersions: '1+' },
        { name: 'B', type: 'int32', versions: '2+', tag: 0, taggedVersions: '2+' },
        { name: 'C', type: 'Missing', versions: '0+' },
        { name: 'D', type: 'int32', versions: '0-x' },
      ],
    };
    const problems = structuralProblems(broken);
    assert.ok(
      problems.some((p) => p.includes('tag 0 is already used')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('flexible only in')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('declared nowhere')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('not a version range')),
      problems.join('\n'),
    );
  });
});
