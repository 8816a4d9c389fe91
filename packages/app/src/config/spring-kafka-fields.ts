import { parseSpringDataSize, parseSpringDuration } from './spring-duration.js';

/*
 * The table of Spring Boot's `spring.kafka.*` properties (`KafkaProperties` and its nested
 * classes): for each relaxed name, the Kafka setting it becomes (client settings) or the field of
 * Spring's component it sets (listener, template, admin, ...), with the conversion Boot applies.
 * Conversions throw plain Errors; the binder names the key.
 */

/** Client roles whose settings layer over the shared (`root`) ones. */
export type ClientRole = 'root' | 'producer' | 'consumer' | 'admin' | 'streams';

/** Converts a property's text to the text of the Kafka setting. */
export type Conv = (value: string) => string;
export const str: Conv = (v) => v.trim();
const list: Conv = (v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join(',');
const int: Conv = (v) => String(toInt(v));
const bool: Conv = (v) => String(toBool(v));
const ms: Conv = (v) => String(int32(parseSpringDuration(v)));
const sizeInt: Conv = (v) => String(int32(parseSpringDataSize(v)));
const size: Conv = (v) => String(parseSpringDataSize(v));
const lowerEnum =
  (values: readonly string[]): Conv =>
  (v) =>
    toEnum(v, values).toLowerCase();
const resource: Conv = (v) => {
  const t = v.trim();
  if (t.startsWith('classpath:')) throw new Error(`a classpath: resource cannot be read outside a JVM ('${t}')`);
  return t.startsWith('file:') ? t.slice('file:'.length).replace(/^\/\/(?=\/)/, '') : t;
};

/** `spring.kafka[.<role>].ssl.*` (Boot's `Ssl`), by relaxed name. */
export const SSL: Readonly<Record<string, [string, Conv]>> = {
  keypassword: ['ssl.key.password', str],
  keystorecertificatechain: ['ssl.keystore.certificate.chain', str],
  keystorekey: ['ssl.keystore.key', str],
  keystorelocation: ['ssl.keystore.location', resource],
  keystorepassword: ['ssl.keystore.password', str],
  keystoretype: ['ssl.keystore.type', str],
  truststorecertificates: ['ssl.truststore.certificates', str],
  truststorelocation: ['ssl.truststore.location', resource],
  truststorepassword: ['ssl.truststore.password', str],
  truststoretype: ['ssl.truststore.type', str],
  protocol: ['ssl.protocol', str],
};

/** Typed client settings per role, by relaxed name: Kafka's key and the conversion. */
export const CLIENT_FIELDS: Readonly<Record<ClientRole, Readonly<Record<string, [string, Conv]>>>> = {
  root: { bootstrapservers: ['bootstrap.servers', list], clientid: ['client.id', str] },
  producer: {
    acks: ['acks', str],
    batchsize: ['batch.size', sizeInt],
    bootstrapservers: ['bootstrap.servers', list],
    buffermemory: ['buffer.memory', size],
    clientid: ['client.id', str],
    compressiontype: ['compression.type', str],
    keyserializer: ['key.serializer', str],
    valueserializer: ['value.serializer', str],
    retries: ['retries', int],
  },
  consumer: {
    autocommitinterval: ['auto.commit.interval.ms', ms],
    autooffsetreset: ['auto.offset.reset', str],
    bootstrapservers: ['bootstrap.servers', list],
    clientid: ['client.id', str],
    enableautocommit: ['enable.auto.commit', bool],
    fetchmaxwait: ['fetch.max.wait.ms', ms],
    fetchminsize: ['fetch.min.bytes', sizeInt],
    groupid: ['group.id', str],
    heartbeatinterval: ['heartbeat.interval.ms', ms],
    isolationlevel: ['isolation.level', lowerEnum(['READ_UNCOMMITTED', 'READ_COMMITTED'])],
    keydeserializer: ['key.deserializer', str],
    valuedeserializer: ['value.deserializer', str],
    maxpollrecords: ['max.poll.records', int],
    maxpollinterval: ['max.poll.interval.ms', ms],
  },
  admin: { clientid: ['client.id', str] },
  streams: {
    applicationid: ['application.id', str],
    bootstrapservers: ['bootstrap.servers', list],
    statestorecachemaxsize: ['statestore.cache.max.bytes', sizeInt],
    clientid: ['client.id', str],
    replicationfactor: ['replication.factor', int],
    statedir: ['state.dir', str],
  },
};

export type Section = 'listener' | 'template' | 'admin' | 'streams' | 'retry' | 'producer';

/** Typed settings of Spring's components, by section and relaxed path. */
export const SETTINGS: Readonly<Record<Section, Readonly<Record<string, [string, (v: string) => unknown]>>>> = {
  producer: { transactionidprefix: ['transactionIdPrefix', (v) => v.trim()] },
  admin: {
    closetimeout: ['closeTimeoutMs', (v) => parseSpringDuration(v)],
    operationtimeout: ['operationTimeoutMs', (v) => parseSpringDuration(v)],
    failfast: ['failFast', toBool],
    modifytopicconfigs: ['modifyTopicConfigs', toBool],
    autocreate: ['autoCreate', toBool],
  },
  streams: {
    autostartup: ['autoStartup', toBool],
    'cleanup.onstartup': ['cleanupOnStartup', toBool],
    'cleanup.onshutdown': ['cleanupOnShutdown', toBool],
  },
  template: {
    defaulttopic: ['defaultTopic', (v) => v.trim()],
    transactionidprefix: ['transactionIdPrefix', (v) => v.trim()],
    observationenabled: ['observationEnabled', toBool],
  },
  listener: {
    type: ['type', (v) => toEnum(v, ['SINGLE', 'BATCH']).toLowerCase()],
    ackmode: [
      'ackMode',
      (v) => toEnum(v, ['RECORD', 'BATCH', 'TIME', 'COUNT', 'COUNT_TIME', 'MANUAL', 'MANUAL_IMMEDIATE']),
    ],
    ackcount: ['ackCount', toInt],
    acktime: ['ackTimeMs', (v) => parseSpringDuration(v)],
    asyncacks: ['asyncAcks', toBool],
    clientid: ['clientIdPrefix', (v) => v.trim()],
    concurrency: ['concurrency', toInt],
    polltimeout: ['pollTimeoutMs', (v) => parseSpringDuration(v)],
    nopollthreshold: ['noPollThreshold', toFloat],
    idlebetweenpolls: ['idleBetweenPollsMs', (v) => parseSpringDuration(v)],
    idleeventinterval: ['idleEventIntervalMs', (v) => parseSpringDuration(v)],
    idlepartitioneventinterval: ['idlePartitionEventIntervalMs', (v) => parseSpringDuration(v)],
    // Boot's @DurationUnit(SECONDS): a bare number is seconds here.
    monitorinterval: ['monitorIntervalMs', (v) => parseSpringDuration(v, 's')],
    logcontainerconfig: ['logContainerConfig', toBool],
    missingtopicsfatal: ['missingTopicsFatal', toBool],
    immediatestop: ['immediateStop', toBool],
    autostartup: ['autoStartup', toBool],
    changeconsumerthreadname: ['changeConsumerThreadName', toBool],
    observationenabled: ['observationEnabled', toBool],
    authexceptionretryinterval: ['authExceptionRetryIntervalMs', (v) => parseSpringDuration(v)],
  },
  retry: {
    'topic.enabled': ['enabled', toBool],
    'topic.attempts': ['attempts', toInt],
    'topic.backoff.delay': ['delayMs', (v) => parseSpringDuration(v)],
    'topic.backoff.multiplier': ['multiplier', toFloat],
    'topic.backoff.maxdelay': ['maxDelayMs', (v) => parseSpringDuration(v)],
    'topic.backoff.random': ['random', toBool],
    // Boot 3.1's names, before the backoff group.
    'topic.delay': ['delayMs', (v) => parseSpringDuration(v)],
    'topic.multiplier': ['multiplier', toFloat],
    'topic.maxdelay': ['maxDelayMs', (v) => parseSpringDuration(v)],
    'topic.randombackoff': ['random', toBool],
  },
};

/** Spring's `StringToBooleanConverter`: true/on/yes/1 and false/off/no/0, any case. */
export function toBool(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === 'on' || v === 'yes' || v === '1') return true;
  if (v === 'false' || v === 'off' || v === 'no' || v === '0') return false;
  throw new Error(`Invalid boolean value '${value}'`);
}

export function toInt(value: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(value)) throw new Error(`'${value}' is not an integer`);
  return int32(Number(value));
}

export function int32(n: number): number {
  if (!Number.isSafeInteger(n) || n > 0x7fffffff || n < -0x80000000) throw new Error(`${n} does not fit an int`);
  return n;
}

export function toFloat(value: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`'${value}' is not a number`);
  return n;
}

/** Boot's lenient enum binding: case, '-' and '_' do not count (`manual-immediate`, `MANUAL_IMMEDIATE`). */
export function toEnum(value: string, values: readonly string[]): string {
  const wanted = value
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  const match = values.find((v) => v.toLowerCase().replace(/[^a-z0-9]/g, '') === wanted);
  if (match === undefined) throw new Error(`'${value}' is not one of ${values.join(', ')}`);
  return match;
}
