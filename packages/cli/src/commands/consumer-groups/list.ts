import type { Admin } from '@samsa/client';
import type { ParsedOptions } from '../../options/option-parser.js';
import { UsageError } from '../../support/command-errors.js';
import type { CommandIo } from '../../support/command-io.js';

/** The group states and types `--state` and `--type` accept, as Kafka prints them. */
const STATES = ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty', 'Assigning', 'Reconciling'];
const TYPES = ['Consumer', 'Classic', 'Share', 'Streams'];

/** Consumer groups: groups of the consumer protocol, and groups that only store offsets. */
export async function listConsumerGroups(admin: Admin): Promise<{ groupId: string; state: string; type: string }[]> {
  const groups = await admin.listGroups();
  return groups.filter((g) => g.protocolType === 'consumer' || g.protocolType === '');
}

function capitalize(s: string): string {
  return s === '' ? s : s[0]?.toUpperCase() + s.slice(1);
}

function parseFilter(value: string | undefined, valid: readonly string[], what: 'state' | 'types'): Set<string> {
  if (value === undefined || value === '') return new Set();
  const out = new Set<string>();
  for (const item of value.split(',')) {
    const match = valid.find((v) => v.toLowerCase() === item.trim().toLowerCase());
    if (match === undefined) {
      throw new UsageError(
        what === 'state'
          ? `Invalid state list '${value}'. Valid states are: ${valid.join(', ')}`
          : `Invalid types list '${value}'. Valid types are: ${valid.map((v) => v.toLowerCase()).join(', ')}`,
      );
    }
    out.add(match);
  }
  return out;
}

export async function listGroups(admin: Admin, options: ParsedOptions, io: CommandIo): Promise<void> {
  const includeType = options.has('type');
  const includeState = options.has('state');
  let groups = await listConsumerGroups(admin);
  if (!includeType && !includeState) {
    io.stdout.write(groups.map((g) => `${g.groupId}\n`).join(''));
    return;
  }
  const states = parseFilter(options.value('state'), STATES, 'state');
  const types = parseFilter(options.value('type'), TYPES, 'types');
  groups = groups.filter(
    (g) => (states.size === 0 || states.has(g.state)) && (types.size === 0 || types.has(capitalize(g.type))),
  );
  const width = Math.max(15, ...groups.map((g) => g.groupId.length)) + 10;
  const row = (cells: string[]) => {
    const [first, ...rest] = cells;
    return `${(first ?? '').padEnd(width)}${rest.map((c) => ` ${c.padEnd(20)}`).join('')}\n`;
  };
  const header = ['GROUP', ...(includeType ? ['TYPE'] : []), ...(includeState ? ['STATE'] : [])];
  let out = row(header);
  for (const g of groups)
    out += row([
      g.groupId,
      ...(includeType ? [capitalize(g.type) || 'Unknown'] : []),
      ...(includeState ? [g.state || 'Unknown'] : []),
    ]);
  io.stdout.write(out);
}
