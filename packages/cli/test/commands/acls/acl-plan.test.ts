import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { filterToAcls, resourceToAcls } from '../../../src/commands/acls/acl-plan.js';
import { entriesText, entryText, patternText } from '../../../src/commands/acls/acl-text.js';
import { ACLS_SPECS, checkAclArgs } from '../../../src/commands/acls/acls-options.js';
import { OptionParser } from '../../../src/options/option-parser.js';
import { UsageError } from '../../../src/support/command-errors.js';

const parse = (...argv: string[]) => new OptionParser(ACLS_SPECS).parse(['--bootstrap-server', 'b:9092', ...argv]);

/** The plan as `TYPE:PATTERN:name => PRINCIPAL/HOST/OP/PERMISSION` lines. */
function plan(...argv: string[]): string[] {
  return filterToAcls(parse(...argv)).flatMap(({ filter, entries }) =>
    entries.map(
      (e) =>
        `${filter.resourceType}:${filter.patternType}:${filter.name} => ${e.principal}/${e.host}/${e.operation}/${e.permissionType}`,
    ),
  );
}

describe('kafka-acls.sh plans (Kafka AclCommand)', () => {
  test('--operation and principals: every allowed principal × operation × host, then denied ones', () => {
    assert.deepEqual(
      plan(
        '--add',
        '--allow-principal',
        'User:a',
        '--allow-principal',
        'User:b',
        '--allow-host',
        '10.0.0.1',
        '--deny-principal',
        'User:c',
        '--operation',
        'Read',
        '--operation',
        'WRITE',
        '--topic',
        't',
      ),
      [
        'TOPIC:LITERAL:t => User:a/10.0.0.1/READ/ALLOW',
        'TOPIC:LITERAL:t => User:a/10.0.0.1/WRITE/ALLOW',
        'TOPIC:LITERAL:t => User:b/10.0.0.1/READ/ALLOW',
        'TOPIC:LITERAL:t => User:b/10.0.0.1/WRITE/ALLOW',
        'TOPIC:LITERAL:t => User:c/*/READ/DENY',
        'TOPIC:LITERAL:t => User:c/*/WRITE/DENY',
      ],
    );
    assert.deepEqual(plan('--add', '--allow-principal', 'User:a', '--cluster'), [
      'CLUSTER:LITERAL:kafka-cluster => User:a/*/ALL/ALLOW',
    ]);
  });

  test('--producer: WRITE, DESCRIBE, CREATE on topics; WRITE, DESCRIBE on transactional ids; IDEMPOTENT_WRITE with --idempotent', () => {
    assert.deepEqual(
      plan(
        '--add',
        '--producer',
        '--allow-principal',
        'User:p',
        '--topic',
        't',
        '--transactional-id',
        'tx',
        '--idempotent',
      ),
      [
        'TOPIC:LITERAL:t => User:p/*/WRITE/ALLOW',
        'TOPIC:LITERAL:t => User:p/*/DESCRIBE/ALLOW',
        'TOPIC:LITERAL:t => User:p/*/CREATE/ALLOW',
        'TRANSACTIONAL_ID:LITERAL:tx => User:p/*/WRITE/ALLOW',
        'TRANSACTIONAL_ID:LITERAL:tx => User:p/*/DESCRIBE/ALLOW',
        'CLUSTER:LITERAL:kafka-cluster => User:p/*/IDEMPOTENT_WRITE/ALLOW',
      ],
    );
  });

  test('--consumer: READ, DESCRIBE on topics and READ on groups; with --producer the topic gets both', () => {
    assert.deepEqual(plan('--add', '--consumer', '--allow-principal', 'User:c', '--topic', 't', '--group', 'g'), [
      'TOPIC:LITERAL:t => User:c/*/READ/ALLOW',
      'TOPIC:LITERAL:t => User:c/*/DESCRIBE/ALLOW',
      'GROUP:LITERAL:g => User:c/*/READ/ALLOW',
    ]);
    assert.deepEqual(
      plan('--add', '--producer', '--consumer', '--allow-principal', 'User:x', '--topic', 't', '--group', 'g'),
      [
        'TOPIC:LITERAL:t => User:x/*/READ/ALLOW',
        'TOPIC:LITERAL:t => User:x/*/DESCRIBE/ALLOW',
        'TOPIC:LITERAL:t => User:x/*/WRITE/ALLOW',
        'TOPIC:LITERAL:t => User:x/*/CREATE/ALLOW',
        'GROUP:LITERAL:g => User:x/*/READ/ALLOW',
      ],
    );
  });

  test("Kafka's refusals", () => {
    const usage = (argv: string[], message: string) =>
      assert.throws(
        () => {
          const options = parse(...argv);
          checkAclArgs(options);
          if (options.has('add')) resourceToAcls(options);
          else filterToAcls(options);
        },
        (e: unknown) => e instanceof UsageError && e.message === message,
        message,
      );
    usage(['--list', '--add'], 'Command must include exactly one action: --list, --add, --remove. ');
    usage(['--list', '--producer'], 'Option "[list]" can\'t be used with option "[producer]"');
    usage(['--add', '--producer', '--allow-principal', 'User:a'], 'With --producer you must specify a --topic');
    usage(['--add', '--idempotent', '--topic', 't'], 'The --idempotent option is only available if --producer is set');
    usage(['--add', '--principal', 'User:a'], 'The --principal option is only available if --list is set');
    usage(
      ['--add', '--consumer', '--topic', 't'],
      'With --consumer you must specify a --topic and a --group and no --cluster or --transactional-id option should be specified.',
    );
    usage(
      ['--add', '--allow-principal', 'User:a'],
      'You must provide at least one resource: --topic <topic> or --cluster or --group <group> or --delegation-token <Delegation Token ID>',
    );
    usage(
      ['--add', '--allow-principal', 'User:a', '--transactional-id', 'x', '--operation', 'Read'],
      'ResourceType TRANSACTIONAL_ID only supports operations Describe, Write, All',
    );
    usage(
      ['--add', '--allow-principal', 'User:a', '--topic', 't', '--operation', 'read'],
      'ResourceType TOPIC only supports operations Read, Write, Create, Describe, Delete, Alter, DescribeConfigs, AlterConfigs, All',
    );
    usage(
      ['--add', '--allow-principal', 'User:a', '--topic', 't', '--resource-pattern-type', 'match'],
      "A '--resource-pattern-type' value of 'MATCH' is not valid when adding acls.",
    );
    usage(
      ['--list', '--resource-pattern-type', 'fuzzy'],
      "Cannot parse argument 'fuzzy' of option resource-pattern-type",
    );
    usage([], 'Command must include exactly one action: --list, --add, --remove. ');
  });

  test("Kafka's toString of patterns and entries", () => {
    const pattern = { resourceType: 'GROUP', name: 'g', patternType: 'PREFIXED' } as const;
    const entry = { principal: 'User:a', host: '*', operation: 'READ', permissionType: 'DENY' } as const;
    assert.equal(patternText(pattern), 'ResourcePattern(resourceType=GROUP, name=g, patternType=PREFIXED)');
    assert.equal(entryText(entry), '(principal=User:a, host=*, operation=READ, permissionType=DENY)');
    assert.equal(entriesText([entry, entry]), ` \n \t${entryText(entry)}\n\t${entryText(entry)} \n`);
  });
});
