/** Kafka's `SecurityProtocol` ids, as UpdateMetadata carries a broker endpoint's protocol. */
export const SecurityProtocol = {
  PLAINTEXT: 0,
  SSL: 1,
  SASL_PLAINTEXT: 2,
  SASL_SSL: 3,
} as const;
export type SecurityProtocolName = keyof typeof SecurityProtocol;

/** The name of a security protocol id; undefined for ids this table does not know. */
export function securityProtocolName(id: number): SecurityProtocolName | undefined {
  return (Object.keys(SecurityProtocol) as SecurityProtocolName[]).find((name) => SecurityProtocol[name] === id);
}
