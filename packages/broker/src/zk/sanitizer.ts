/**
 * Kafka's Sanitizer: user principals (and client ids) become ZooKeeper node names by URL-encoding
 * (`/config/users/User%3Aalice%2Fx`), the way Java's URLEncoder writes UTF-8 — letters, digits and
 * `.-_` stay, everything else is `%XX` — except that Kafka writes a space as `%20` rather than `+`
 * and `*` as `%2A`. Both sides must agree byte for byte: a Kafka tool and a Samsa broker share
 * these znodes.
 */

const UNRESERVED = /^[A-Za-z0-9._-]$/;

export function sanitize(name: string): string {
  let out = '';
  for (const char of name) {
    if (UNRESERVED.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Java's URLDecoder: `+` is a space, `%XX` a UTF-8 byte. Throws URIError on a malformed escape. */
export function desanitize(name: string): string {
  return decodeURIComponent(name.replace(/\+/g, ' '));
}
