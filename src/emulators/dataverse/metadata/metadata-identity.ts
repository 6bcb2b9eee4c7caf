import { createHash } from 'node:crypto';

/**
 * Every metadata item (table, column, label, option set, key) carries a `MetadataId` GUID that stays the same
 * across requests and restarts, as in a real environment. We derive it from the item's names with an RFC 4122
 * §4.3 name-based UUID (version 5, SHA-1) so no id table has to be stored.
 */
const NAMESPACE = Buffer.from('4c6e0f1a5b2d4e8f9a3c7d1e2f4a6b8c', 'hex');

const cache = new Map<string, string>();

export function metadataId(...names: readonly string[]): string {
  const name = names.join('\u0000');
  const cached = cache.get(name);
  if (cached) return cached;
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50; // version 5
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  cache.set(name, id);
  return id;
}
