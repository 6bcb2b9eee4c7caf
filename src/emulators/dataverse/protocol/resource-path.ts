import { dataverseErrors } from '../errors.js';

/** A key in a record URI: `(guid)`, `(leadid=guid)` or alternate keys `(emailaddress1='x',k2=1)`. */
export type RecordKey =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'alternate'; readonly values: ReadonlyMap<string, string | number> };

/** One step of a resource path after the service root. */
export interface PathSegment {
  readonly name: string;
  readonly key?: RecordKey;
}

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Versions the Web API answers under (protocols/dataverse.md §1.1). */
const VERSION_PATTERN = /^\/api\/data\/(v8\.[0-2]|v9\.[0-2])(\/.*)?$/;

export function splitServicePath(pathname: string): { version: string; rest: string } | undefined {
  const match = VERSION_PATTERN.exec(pathname);
  if (!match) return undefined;
  return { version: match[1] ?? 'v9.2', rest: (match[2] ?? '/').slice(1) };
}

/**
 * Splits `leads(…)/Lead_Tasks/$ref` into segments. Slashes inside quoted key values are kept
 * (alternate-key values are URL-decoded strings and may contain them).
 */
export function parseResourcePath(rest: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < rest.length) {
    let name = '';
    while (i < rest.length && rest[i] !== '(' && rest[i] !== '/') name += rest[i++];
    let key: RecordKey | undefined;
    if (rest[i] === '(') {
      const start = ++i;
      let inQuote = false;
      while (i < rest.length) {
        const ch = rest[i];
        if (ch === "'") {
          if (inQuote && rest[i + 1] === "'") i++;
          else inQuote = !inQuote;
        } else if (ch === ')' && !inQuote) break;
        i++;
      }
      if (i >= rest.length) throw dataverseErrors.invalidQuery(`Bad Request - Error in query syntax.`);
      const inside = rest.slice(start, i);
      i++; // ')'
      key = inside === '' ? undefined : parseKey(inside);
      if (name === '' || (rest[i] !== undefined && rest[i] !== '/'))
        throw dataverseErrors.invalidQuery('Bad Request - Error in query syntax.');
    }
    if (rest[i] === '/') i++;
    if (name === '') continue;
    segments.push(key ? { name, key } : { name });
  }
  return segments;
}

function parseKey(inside: string): RecordKey {
  if (GUID_PATTERN.test(inside)) return { kind: 'id', id: inside.toLowerCase() };
  const values = new Map<string, string | number>();
  for (const part of splitKeyParts(inside)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw dataverseErrors.invalidQuery(`Bad Request - Error in query syntax.`);
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    values.set(name, parseKeyLiteral(raw));
  }
  return { kind: 'alternate', values };
}

function splitKeyParts(inside: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuote = false;
  for (let i = 0; i < inside.length; i++) {
    const ch = inside[i];
    if (ch === "'") inQuote = !inQuote;
    if (ch === ',' && !inQuote) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function parseKeyLiteral(raw: string): string | number {
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2)
    return raw.slice(1, -1).replaceAll("''", "'");
  if (GUID_PATTERN.test(raw)) return raw.toLowerCase();
  const n = Number(raw);
  if (raw !== '' && Number.isFinite(n)) return n;
  throw dataverseErrors.invalidQuery(`Unrecognized key literal ${raw}.`);
}
