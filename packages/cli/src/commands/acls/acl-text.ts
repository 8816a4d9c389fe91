import type { AclBindingDescription } from '@samsa/client';
import type { AclOperationName, AclPatternTypeName, AclPermissionTypeName, AclResourceTypeName } from '@samsa/protocol';

/**
 * kafka-acls.sh's words for patterns and entries: Java's `ResourcePattern.toString()` (also
 * ResourcePatternFilter's) and `AccessControlEntry.toString()`, which the tool prints.
 */

/** A resource pattern (filter) as kafka-acls.sh handles it: enum names, a name or null for any. */
export interface PatternText {
  readonly resourceType: AclResourceTypeName;
  readonly name: string | null;
  readonly patternType: AclPatternTypeName;
}

/** An access control entry, enums by name. */
export interface EntryText {
  readonly principal: string;
  readonly host: string;
  readonly operation: AclOperationName;
  readonly permissionType: AclPermissionTypeName;
}

export function patternText(pattern: PatternText): string {
  return `ResourcePattern(resourceType=${pattern.resourceType}, name=${pattern.name ?? '<any>'}, patternType=${pattern.patternType})`;
}

export function entryText(entry: EntryText): string {
  return `(principal=${entry.principal}, host=${entry.host}, operation=${entry.operation}, permissionType=${entry.permissionType})`;
}

/** Kafka's list of entries after a colon in a message: ` \n \t(a)\n\t(b) \n`. */
export function entriesText(entries: readonly EntryText[]): string {
  return ` \n ${entries.map((e) => `\t${entryText(e)}`).join('\n')} \n`;
}

export function patternOf(binding: AclBindingDescription): PatternText {
  return { resourceType: binding.resourceType, name: binding.resourceName, patternType: binding.patternType };
}

export function patternKey(pattern: PatternText): string {
  return `${pattern.resourceType}\u0000${pattern.patternType}\u0000${pattern.name ?? ''}`;
}

export function entryKey(entry: EntryText): string {
  return `${entry.principal}\u0000${entry.host}\u0000${entry.operation}\u0000${entry.permissionType}`;
}
