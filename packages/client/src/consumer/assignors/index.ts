import { ConfigError } from '../../errors/client-errors.js';
import { CooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
import type { PartitionAssignor } from './partition-assignor.js';
import { RangeAssignor } from './range-assignor.js';
import { RoundRobinAssignor } from './round-robin-assignor.js';
import { StickyAssignor } from './sticky-assignor.js';

/** Assignors from `partition.assignment.strategy` (names, or assignor objects as they are). */
export function createAssignors(spec: readonly unknown[]): PartitionAssignor[] {
  return spec.map((item) => {
    if (typeof item !== 'string') return item as PartitionAssignor;
    switch (item) {
      case 'range':
        return new RangeAssignor();
      case 'roundrobin':
        return new RoundRobinAssignor();
      case 'sticky':
        return new StickyAssignor();
      case 'cooperative-sticky':
        return new CooperativeStickyAssignor();
      default:
        throw new ConfigError('partition.assignment.strategy', `unknown assignor '${item}'`);
    }
  });
}
