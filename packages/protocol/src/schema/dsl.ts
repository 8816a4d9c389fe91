/**
 * The vocabulary of Samsa's schema tables.
 *
 * A table states, for one Kafka message, which fields exist in which versions and how they are
 * encoded — the same facts Apache Kafka keeps in its JSON message specifications, in a typed form
 * that our code generator (`codegen/generate.ts`) turns into straight-line encoders and decoders.
 *
 * Version ranges use Kafka's spelling: `"3+"` (3 and later), `"0-4"` (inclusive), `"5"` (only 5),
 * `"none"` (never).
 *
 * Field types: `bool`, `int8`, `int16`, `uint16`, `int32`, `uint32`, `int64`, `float64`, `string`,
 * `bytes`, `records`, `uuid`, a struct name (with `fields`, or declared in `commonStructs`), or an
 * array of any of those spelled `[]T`.
 */

export type VersionRange = string;

/** The primitive field types of Kafka's message specifications; anything else is a struct (or `[]T`). */
export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'bytes',
  'records',
  'uuid',
]);

export type DefaultValue = number | bigint | string | boolean | null;

export interface FieldSpec {
  /** Kafka's field name, PascalCase as in the specifications (camelCase for a few `data` records). */
  readonly name: string;
  readonly type: string;
  readonly versions: VersionRange;
  readonly nullableVersions?: VersionRange;
  /** Versions in which the field travels in the tagged-field section (KIP-482). */
  readonly taggedVersions?: VersionRange;
  readonly tag?: number;
  /** Value when absent from a version. Kafka's implicit defaults apply when omitted. */
  readonly default?: DefaultValue;
  /** A non-default value may be dropped silently when encoding a version without the field. */
  readonly ignorable?: boolean;
  /** Field-level override; `"none"` keeps classic encoding even in flexible versions. */
  readonly flexibleVersions?: VersionRange;
  /** The field is the key of a map-like array in Kafka's generated Java; informational here. */
  readonly mapKey?: boolean;
  /** Fields of an inline struct or struct array. */
  readonly fields?: readonly FieldSpec[];
}

export interface StructSpec {
  readonly name: string;
  readonly versions: VersionRange;
  readonly fields: readonly FieldSpec[];
}

export type MessageKind = 'request' | 'response' | 'header' | 'data';

export interface MessageSpec {
  /** The full message name, e.g. `ProduceRequest` or `OffsetCommitValue`. */
  readonly name: string;
  readonly kind: MessageKind;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange;
  readonly deprecatedVersions?: VersionRange;
  readonly latestVersionUnstable?: boolean;
  readonly fields: readonly FieldSpec[];
  readonly commonStructs?: readonly StructSpec[];
}

export type Listener = 'zkBroker' | 'broker' | 'controller';

export interface ApiSpec {
  readonly apiKey: number;
  /** The API name without suffix, e.g. `Produce`. */
  readonly name: string;
  readonly listeners: readonly Listener[];
  readonly request: MessageSpec;
  readonly response: MessageSpec;
}

type FieldOptions = Omit<FieldSpec, 'name' | 'type' | 'versions'>;
type MessageBody = Omit<MessageSpec, 'name' | 'kind'>;

/** A field: `f('Acks', 'int16', '0+')`. */
export function f(name: string, type: string, versions: VersionRange, options: FieldOptions = {}): FieldSpec {
  return { name, type, versions, ...options };
}

/** A common struct shared by several fields of one message. */
export function struct(name: string, versions: VersionRange, fields: readonly FieldSpec[]): StructSpec {
  return { name, versions, fields };
}

export function defineApi(spec: {
  apiKey: number;
  name: string;
  listeners: readonly Listener[];
  request: MessageBody;
  response: MessageBody;
}): ApiSpec {
  return {
    apiKey: spec.apiKey,
    name: spec.name,
    listeners: spec.listeners,
    request: { name: `${spec.name}Request`, kind: 'request', ...spec.request },
    response: { name: `${spec.name}Response`, kind: 'response', ...spec.response },
  };
}

export function defineMessage(name: string, kind: 'header' | 'data', body: MessageBody): MessageSpec {
  return { name, kind, ...body };
}

/** Parses a version range into inclusive bounds; `none` yields `undefined`. */
export function parseVersionRange(range: VersionRange): { min: number; max: number } | undefined {
  const text = range.trim();
  if (text === 'none') return undefined;
  const match = /^(\d+)(?:(\+)|-(\d+))?$/.exec(text);
  if (match === null) throw new Error(`not a version range: ${JSON.stringify(range)}`);
  const min = Number(match[1]);
  if (match[2] === '+') return { min, max: Number.POSITIVE_INFINITY };
  const max = match[3] === undefined ? min : Number(match[3]);
  if (max < min) throw new Error(`empty version range: ${JSON.stringify(range)}`);
  return { min, max };
}
