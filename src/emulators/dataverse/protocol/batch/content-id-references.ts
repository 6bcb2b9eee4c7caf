/**
 * `$n` Content-ID references (docs/protocols/dataverse.md §3; OData 4.0 part 1 §11.7.3.1): inside a change
 * set, `$1` stands for the URL of the entity created by the operation whose Content-ID is `1`. They appear
 * at the start of a request target (`PUT $1/lastname`) and as values of `…@odata.bind` / `@odata.id` in
 * bodies (`"originatingleadid@odata.bind":"$1"`, `{"@odata.id":"$2"}`).
 */

/**
 * `$`-prefixed names that are OData system resources relative to the service root, not Content-ID
 * references (`GET $metadata`, `POST $batch`, …).
 */
const SYSTEM_RESOURCES = new Set(['metadata', 'batch', 'entity', 'crossjoin', 'all', 'root']);

export interface ContentIdReference {
  /** The referenced Content-ID without the `$`. */
  readonly contentId: string;
  /** What follows the reference: `''`, `'/lastname'`, `'?$select=x'`. */
  readonly rest: string;
}

/** Splits `$1/lastname` into `{ contentId: '1', rest: '/lastname' }`; undefined when not a reference. */
export function parseContentIdReference(target: string): ContentIdReference | undefined {
  if (!target.startsWith('$')) return undefined;
  const match = /^\$([^/?#()]+)(.*)$/s.exec(target);
  const contentId = match?.[1];
  if (match === null || contentId === undefined || SYSTEM_RESOURCES.has(contentId.toLowerCase()))
    return undefined;
  return { contentId, rest: match[2] ?? '' };
}

/**
 * Content-ID references found in a JSON request body, in document order. A body that is not JSON has no
 * references (binary uploads, plain-text values). The walk is iterative so a hostile, deeply nested body
 * cannot overflow the stack.
 */
export function bodyContentIdReferences(body: string): ContentIdReference[] {
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return [];
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch {
    return [];
  }
  const found: ContentIdReference[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) pending.push(node[i]);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key.endsWith('@odata.bind') || key === '@odata.id') {
          const values: unknown[] = Array.isArray(value) ? value : [value];
          for (const v of values) {
            const reference = typeof v === 'string' ? parseContentIdReference(v) : undefined;
            if (reference !== undefined) found.push(reference);
          }
        } else if (typeof value === 'object' && value !== null) {
          pending.push(value);
        }
      }
    }
  }
  return found;
}
