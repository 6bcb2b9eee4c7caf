import { createHash } from 'node:crypto';
import type { LeadPayload } from '../domain/index.js';

/**
 * The key that makes a redelivered lead a no-op (unique per source): the lead's own `externalId`;
 * else the request's `Idempotency-Key` header, with `#<index>` for each lead of an array; else a
 * SHA-256 over the source id and the payload's canonical JSON, so the same lead posted twice without
 * any key is still stored once.
 */
export function idempotencyKeyFor(
  sourceId: string,
  lead: LeadPayload,
  headerKey?: string,
  index?: number,
): string {
  const externalId = lead['externalId'];
  if (typeof externalId === 'string' && externalId !== '') return externalId;
  if (headerKey !== undefined && headerKey !== '')
    return index === undefined ? headerKey : `${headerKey}#${index}`;
  const digest = createHash('sha256')
    .update(`${sourceId}\n${canonicalJson(lead)}`)
    .digest('hex');
  return `sha256:${digest}`;
}

/** JSON with object keys sorted at every level, so key order never changes the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
