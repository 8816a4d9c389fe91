/**
 * The `authorizer.class.name` values that select Samsa's AclAuthorizer: Kafka's ZooKeeper-mode
 * AclAuthorizer, its pre-2.4 name, and KRaft's StandardAuthorizer, whose ACL semantics are the
 * same. Empty (Kafka's default) means no authorizer: every request is allowed and the ACL APIs
 * answer SECURITY_DISABLED. Any other class cannot be loaded by a Node broker.
 */
export const ACL_AUTHORIZER_CLASS_NAMES: readonly string[] = [
  'kafka.security.authorizer.AclAuthorizer',
  'kafka.security.auth.SimpleAclAuthorizer',
  'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
];

/** The config validator of `authorizer.class.name`. */
export function authorizerClassNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '' || ACL_AUTHORIZER_CLASS_NAMES.includes(value.trim())) {
    return undefined;
  }
  return `Samsa provides only its ACL authorizer, selected by ${ACL_AUTHORIZER_CLASS_NAMES.join(', ')}`;
}
