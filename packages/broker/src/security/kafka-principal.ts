/**
 * Who a connection is (Kafka's KafkaPrincipal): `User:alice` after SASL, the mapped certificate
 * DN after TLS client authentication, `User:ANONYMOUS` otherwise. ACLs name principals in the
 * `Type:name` form.
 */
export interface KafkaPrincipal {
  readonly principalType: string;
  readonly name: string;
}

export const ANONYMOUS: KafkaPrincipal = Object.freeze({ principalType: 'User', name: 'ANONYMOUS' });

export function userPrincipal(name: string): KafkaPrincipal {
  return { principalType: 'User', name };
}

export function principalToString(principal: KafkaPrincipal): string {
  return `${principal.principalType}:${principal.name}`;
}

/** Parses `Type:name` (the name may contain ':'); undefined when there is no type. */
export function parsePrincipal(text: string): KafkaPrincipal | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { principalType: text.slice(0, colon), name: text.slice(colon + 1) };
}
