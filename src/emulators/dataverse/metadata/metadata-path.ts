import { dataverseErrors } from '../errors.js';

/**
 * Keys the metadata entity sets accept (MSDocs webapi/query-metadata-web-api.md §Retrieving attributes):
 * the MetadataId GUID, bare or named, or an alternate key such as `LogicalName='lead'` / `Name='budgetstatus'`.
 */
export type MetadataKey =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'name'; readonly property: string; readonly value: string };

export interface MetadataSegment {
  readonly name: string;
  readonly key?: MetadataKey;
}

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

const syntaxError = () => dataverseErrors.invalidQuery('Bad Request - Error in query syntax.');

/** Splits `EntityDefinitions(LogicalName='lead')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata`. */
export function parseMetadataPath(path: string): MetadataSegment[] {
  const text = decode(path.replace(/^\/+|\/+$/g, ''));
  const segments: MetadataSegment[] = [];
  let i = 0;
  while (i < text.length) {
    let name = '';
    while (i < text.length && text[i] !== '(' && text[i] !== '/') name += text[i++];
    let key: MetadataKey | undefined;
    if (text[i] === '(') {
      const start = ++i;
      let inQuote = false;
      for (; i < text.length; i++) {
        if (text[i] === "'")
          inQuote = !inQuote; // a doubled quote toggles twice and stays inside
        else if (text[i] === ')' && !inQuote) break;
      }
      if (i >= text.length) throw syntaxError();
      key = parseKey(text.slice(start, i));
      i++;
    }
    if (name === '' || (i < text.length && text[i] !== '/')) throw syntaxError();
    i++;
    segments.push(key ? { name, key } : { name });
  }
  return segments;
}

function parseKey(inside: string): MetadataKey {
  const bare = GUID.exec(inside.trim());
  if (bare?.[1]) return { kind: 'id', id: bare[1].toLowerCase() };
  const eq = inside.indexOf('=');
  if (eq <= 0) throw syntaxError();
  const property = inside.slice(0, eq).trim();
  const raw = inside.slice(eq + 1).trim();
  const guid = GUID.exec(raw);
  if (property === 'MetadataId' && guid?.[1]) return { kind: 'id', id: guid[1].toLowerCase() };
  if (raw.length < 2 || !raw.startsWith("'") || !raw.endsWith("'")) throw syntaxError();
  return { kind: 'name', property, value: raw.slice(1, -1).replace(/''/g, "'") };
}

/** The router may hand over the path still percent-encoded or already decoded; names never contain `%`. */
function decode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** How a key is echoed in `@odata.context`: `('lead')` for a name, the bare GUID for an id. */
export function contextKey(key: MetadataKey): string {
  return key.kind === 'id' ? key.id : `'${key.value.replace(/'/g, "''")}'`;
}
