/** One `-----BEGIN <label>-----` block of a PEM text. */
export interface PemBlock {
  readonly label: string;
  /** The block re-wrapped as OpenSSL reads it. */
  readonly pem: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * The PEM blocks of `text`, in order. Kafka's `.properties` files carry inline PEM
 * (`ssl.keystore.key`, `ssl.truststore.certificates`) on one logical line, the line breaks lost
 * to `\` continuations; Java's PEM reader does not mind, OpenSSL does, so each block's base64 is
 * re-wrapped at 64 columns. A block with RFC 1421 headers (`Proc-Type:`, a legacy encrypted key)
 * is kept as written: its line structure carries meaning.
 */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const label = m[1] as string;
    const body = m[2] as string;
    if (body.includes(':')) {
      out.push({ label, pem: m[0] });
      continue;
    }
    const base64 = body.replace(/\s+/g, '');
    const lines = base64.match(/.{1,64}/g) ?? [];
    out.push({ label, pem: `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n` });
  }
  return out;
}

export function isPrivateKeyLabel(label: string): boolean {
  return label.endsWith('PRIVATE KEY');
}
