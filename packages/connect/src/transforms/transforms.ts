import { Cast } from './cast.js';
import { DropHeaders } from './drop-headers.js';
import { ExtractField } from './extract-field.js';
import { Filter } from './filter.js';
import { Flatten } from './flatten.js';
import { HeaderFrom } from './header-from.js';
import { HoistField } from './hoist-field.js';
import { InsertField } from './insert-field.js';
import { InsertHeader } from './insert-header.js';
import { MaskField } from './mask-field.js';
import { javaReplacement, RegexRouter } from './regex-router.js';
import { ReplaceField } from './replace-field.js';
import { SetSchemaMetadata } from './set-schema-metadata.js';
import { TimestampConverter } from './timestamp-converter.js';
import { TimestampRouter } from './timestamp-router.js';
import type { Transformation } from './transformation.js';
import { ValueToKey } from './value-to-key.js';

export {
  Cast,
  DropHeaders,
  ExtractField,
  Filter,
  Flatten,
  HeaderFrom,
  HoistField,
  InsertField,
  InsertHeader,
  javaReplacement,
  MaskField,
  RegexRouter,
  ReplaceField,
  SetSchemaMetadata,
  TimestampConverter,
  TimestampRouter,
  ValueToKey,
};

/**
 * Kafka's built-in single message transforms (org.apache.kafka.connect.transforms.*), one file
 * each, registered here by Kafka's class names.
 */

const P = 'org.apache.kafka.connect.transforms.';

/**
 * Kafka class name → factory. `registerTransformation` adds one (a custom transform, for a worker
 * embedded with `StandaloneHerder`).
 */
export const TRANSFORMATIONS: ReadonlyMap<string, () => Transformation> = new Map<string, () => Transformation>([
  [`${P}InsertHeader`, () => new InsertHeader()],
  [`${P}HeaderFrom$Key`, () => new HeaderFrom('key')],
  [`${P}HeaderFrom$Value`, () => new HeaderFrom('value')],
  [`${P}DropHeaders`, () => new DropHeaders()],
  [`${P}SetSchemaMetadata$Key`, () => new SetSchemaMetadata('key')],
  [`${P}SetSchemaMetadata$Value`, () => new SetSchemaMetadata('value')],
  [`${P}InsertField$Key`, () => new InsertField('key')],
  [`${P}InsertField$Value`, () => new InsertField('value')],
  [`${P}ReplaceField$Key`, () => new ReplaceField('key')],
  [`${P}ReplaceField$Value`, () => new ReplaceField('value')],
  [`${P}MaskField$Key`, () => new MaskField('key')],
  [`${P}MaskField$Value`, () => new MaskField('value')],
  [`${P}ValueToKey`, () => new ValueToKey()],
  [`${P}ExtractField$Key`, () => new ExtractField('key')],
  [`${P}ExtractField$Value`, () => new ExtractField('value')],
  [`${P}HoistField$Key`, () => new HoistField('key')],
  [`${P}HoistField$Value`, () => new HoistField('value')],
  [`${P}Cast$Key`, () => new Cast('key')],
  [`${P}Cast$Value`, () => new Cast('value')],
  [`${P}RegexRouter`, () => new RegexRouter()],
  [`${P}TimestampRouter`, () => new TimestampRouter()],
  [`${P}Filter`, () => new Filter()],
  [`${P}Flatten$Key`, () => new Flatten('key')],
  [`${P}Flatten$Value`, () => new Flatten('value')],
  [`${P}TimestampConverter$Key`, () => new TimestampConverter('key')],
  [`${P}TimestampConverter$Value`, () => new TimestampConverter('value')],
]);

/** Makes a custom transformation available under `className` in `transforms.<alias>.type`. */
export function registerTransformation(className: string, factory: () => Transformation): void {
  (TRANSFORMATIONS as Map<string, () => Transformation>).set(className, factory);
}
