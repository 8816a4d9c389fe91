import type { OptionSpec, ParsedOptions } from '../../options/option-parser.js';
import { UsageError } from '../../support/command-errors.js';
import { checkInvalidArgs } from '../../support/tool.js';

/** The valid operation names, as Kafka's `--operation` help lists them. */
const OPERATION_NAMES = [
  'All',
  'Read',
  'Write',
  'Create',
  'Delete',
  'Alter',
  'Describe',
  'ClusterAction',
  'DescribeConfigs',
  'AlterConfigs',
  'IdempotentWrite',
  'CreateTokens',
  'DescribeTokens',
];

/** kafka-acls.sh's options (Kafka's AclCommandOptions), in Kafka's words. */
export const ACLS_SPECS: OptionSpec[] = [
  {
    name: 'bootstrap-server',
    description:
      'A list of host/port pairs to use for establishing the connection to the Kafka cluster. This list should be in the form host1:port1,host2:port2,... This config is required for acl management using admin client API.',
    arg: 'required',
    argName: 'server to connect to',
  },
  {
    name: 'bootstrap-controller',
    description:
      'A list of host/port pairs to use for establishing the connection to the Kafka cluster. This list should be in the form host1:port1,host2:port2,... This config is required for acl management using admin client API.',
    arg: 'required',
    argName: 'controller to connect to',
  },
  {
    name: 'command-config',
    description: 'A property file containing configs to be passed to Admin Client.',
    arg: 'optional',
    argName: 'command-config',
  },
  {
    name: 'topic',
    description:
      "topic to which ACLs should be added or removed. A value of '*' indicates ACL should apply to all topics.",
    arg: 'required',
    argName: 'topic',
  },
  { name: 'cluster', description: 'Add/Remove cluster ACLs.' },
  {
    name: 'group',
    description:
      "Consumer Group to which the ACLs should be added or removed. A value of '*' indicates the ACLs should apply to all groups.",
    arg: 'required',
    argName: 'group',
  },
  {
    name: 'transactional-id',
    description:
      "The transactionalId to which ACLs should be added or removed. A value of '*' indicates the ACLs should apply to all transactionalIds.",
    arg: 'required',
    argName: 'transactional-id',
  },
  {
    name: 'idempotent',
    description:
      'Enable idempotence for the producer. This should be used in combination with the --producer option. Note that idempotence is enabled automatically if the producer is authorized to a particular transactional-id.',
  },
  {
    name: 'delegation-token',
    description:
      "Delegation token to which ACLs should be added or removed. A value of '*' indicates ACL should apply to all tokens.",
    arg: 'required',
    argName: 'delegation-token',
  },
  {
    name: 'resource-pattern-type',
    description:
      "The type of the resource pattern or pattern filter. When adding acls, this should be a specific pattern type, e.g. 'literal' or 'prefixed'. When listing or removing acls, a specific pattern type can be used to list or remove acls from specific resource patterns, or use the filter values of 'any' or 'match', where 'any' will match any pattern type, but will match the resource name exactly, where as 'match' will perform pattern matching to list or remove all acls that affect the supplied resource(s). WARNING: 'match', when used in combination with the '--remove' switch, should be used with care.",
    arg: 'required',
    argName: 'ANY|MATCH|LITERAL|PREFIXED',
    defaultValue: 'LITERAL',
  },
  { name: 'add', description: 'Indicates you are trying to add ACLs.' },
  { name: 'remove', description: 'Indicates you are trying to remove ACLs.' },
  {
    name: 'list',
    description:
      'List ACLs for the specified resource, use --topic <topic> or --group <group> or --cluster to specify a resource.',
  },
  {
    name: 'operation',
    description: `Operation that is being allowed or denied. Valid operation names are: \n${OPERATION_NAMES.map((n) => `\t${n}`).join('\n')}\n`,
    arg: 'required',
    defaultValue: 'All',
  },
  {
    name: 'allow-principal',
    description:
      "principal is in principalType:name format. Note that principalType must be supported by the Authorizer being used. For example, User:'*' is the wild card indicating all users.",
    arg: 'required',
    argName: 'allow-principal',
  },
  {
    name: 'deny-principal',
    description:
      "principal is in principalType:name format. By default anyone not added through --allow-principal is denied access. You only need to use this option as negation to already allowed set. Note that principalType must be supported by the Authorizer being used. For example if you wanted to allow access to all users in the system but not test-user you can define an ACL that allows access to User:'*' and specify --deny-principal=User:test@EXAMPLE.COM. AND PLEASE REMEMBER DENY RULES TAKES PRECEDENCE OVER ALLOW RULES.",
    arg: 'required',
    argName: 'deny-principal',
  },
  {
    name: 'principal',
    description:
      'List ACLs for the specified principal. principal is in principalType:name format. Note that principalType must be supported by the Authorizer being used. Multiple --principal option can be passed.',
    arg: 'optional',
    argName: 'principal',
  },
  {
    name: 'allow-host',
    description:
      "Host from which principals listed in --allow-principal will have access. If you have specified --allow-principal then the default for this option will be set to '*' which allows access from all hosts.",
    arg: 'required',
    argName: 'allow-host',
  },
  {
    name: 'deny-host',
    description:
      "Host from which principals listed in --deny-principal will be denied access. If you have specified --deny-principal then the default for this option will be set to '*' which denies access from all hosts.",
    arg: 'required',
    argName: 'deny-host',
  },
  {
    name: 'producer',
    description:
      'Convenience option to add/remove ACLs for producer role. This will generate ACLs that allows WRITE,DESCRIBE and CREATE on topic.',
  },
  {
    name: 'consumer',
    description:
      'Convenience option to add/remove ACLs for consumer role. This will generate ACLs that allows READ,DESCRIBE on topic and READ on group.',
  },
  { name: 'force', description: 'Assume Yes to all queries and do not prompt.' },
  {
    name: 'user-principal',
    description:
      'Specifies a user principal as a resource in relation with the operation. For instance one could grant CreateTokens or DescribeTokens permission on a given user principal.',
    arg: 'required',
    argName: 'user-principal',
  },
];

/** Kafka's AclCommandOptions.checkArgs. */
export function checkAclArgs(options: ParsedOptions): void {
  if (options.has('bootstrap-server') && options.has('bootstrap-controller')) {
    throw new UsageError('Only one of --bootstrap-server or --bootstrap-controller must be specified');
  }
  if (!options.has('bootstrap-server') && !options.has('bootstrap-controller')) {
    throw new UsageError('One of --bootstrap-server or --bootstrap-controller must be specified');
  }
  if (['add', 'remove', 'list'].filter((a) => options.has(a)).length !== 1) {
    throw new UsageError('Command must include exactly one action: --list, --add, --remove. ');
  }
  checkInvalidArgs(options, 'list', [
    'producer',
    'consumer',
    'allow-host',
    'allow-principal',
    'deny-host',
    'deny-principal',
  ]);
  // --producer and --consumer imply the operations, and grant only.
  checkInvalidArgs(options, 'producer', ['operation', 'deny-principal', 'deny-host']);
  checkInvalidArgs(options, 'consumer', ['operation', 'deny-principal', 'deny-host']);
  if (options.has('principal') && !options.has('list')) {
    throw new UsageError('The --principal option is only available if --list is set');
  }
  if (options.has('producer') && !options.has('topic'))
    throw new UsageError('With --producer you must specify a --topic');
  if (options.has('idempotent') && !options.has('producer')) {
    throw new UsageError('The --idempotent option is only available if --producer is set');
  }
  if (
    options.has('consumer') &&
    (!options.has('topic') ||
      !options.has('group') ||
      (!options.has('producer') && (options.has('cluster') || options.has('transactional-id'))))
  ) {
    throw new UsageError(
      'With --consumer you must specify a --topic and a --group and no --cluster or --transactional-id option should be specified.',
    );
  }
}
