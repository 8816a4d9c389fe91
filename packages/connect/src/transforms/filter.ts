import { ConfigDef } from '../config/config-def.js';
import type { Transformation } from './transformation.js';

/** Kafka's Filter: drops every record it is applied to; used with a predicate. */
export class Filter implements Transformation {
  configure(): void {}
  config(): ConfigDef {
    return new ConfigDef();
  }
  apply(): null {
    return null;
  }
  close(): void {}
}
