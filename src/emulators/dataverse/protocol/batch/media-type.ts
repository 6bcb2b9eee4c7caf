import { BatchFormatError } from './batch-format-error.js';

/** A parsed `Content-Type` value: lower-cased `type/subtype` and its parameters (names lower-cased). */
export interface MediaType {
  readonly type: string;
  readonly parameters: ReadonlyArray<readonly [name: string, value: string]>;
}

/** RFC 2046 §5.1.1: a boundary is 1..70 characters and must not end with a space. */
const MAX_BOUNDARY_LENGTH = 70;

/**
 * Parses `type/subtype; name=value; name="quoted \"value\""`. Returns undefined when the text is not a
 * media type at all. Whitespace around `;` and `=` is tolerated because clients differ: MSDocs sends
 * `multipart/mixed; boundary="batch_…"`, DynamicsWebApi `multipart/mixed;boundary=dwa_batch_…` (§3).
 */
export function parseMediaType(text: string): MediaType | undefined {
  const semicolon = text.indexOf(';');
  const type = (semicolon === -1 ? text : text.slice(0, semicolon)).trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return undefined;
  const parameters: Array<readonly [string, string]> = [];
  let i = semicolon === -1 ? text.length : semicolon + 1;
  while (i < text.length) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === ';')) i++;
    if (i >= text.length) break;
    const eq = text.indexOf('=', i);
    if (eq === -1) return undefined;
    const name = text.slice(i, eq).trim().toLowerCase();
    if (name === '' || /[\s;"]/.test(name)) return undefined;
    i = eq + 1;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    let value = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const ch = text[i];
        if (ch === '\\' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (ch === '"') {
          closed = true;
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      if (!closed) return undefined;
      while (i < text.length && text[i] !== ';') {
        if (text[i] !== ' ' && text[i] !== '\t') return undefined;
        i++;
      }
    } else {
      const end = text.indexOf(';', i);
      value = (end === -1 ? text.slice(i) : text.slice(i, end)).trim();
      i = end === -1 ? text.length : end;
    }
    parameters.push([name, value]);
  }
  return { type, parameters };
}

/**
 * The `boundary` parameter of a `multipart/mixed` content type. Error texts follow ODataLib, the library
 * the Dataverse Web API is built on (`MediaTypeUtils_BoundaryMustBeSpecifiedForBatchPayloads`,
 * `ValidationUtils.ValidateBoundaryString`).
 */
export function multipartBoundary(contentType: string): string {
  const mediaType = parseMediaType(contentType);
  if (mediaType === undefined || mediaType.type !== 'multipart/mixed') {
    throw new BatchFormatError(
      `The content type '${contentType}' is not valid for a batch payload. A batch payload must use the ` +
        `content type 'multipart/mixed' with a 'boundary' parameter.`,
    );
  }
  const boundaries = mediaType.parameters.filter(([name]) => name === 'boundary');
  const boundary = boundaries[0]?.[1];
  if (boundaries.length !== 1 || boundary === undefined) {
    throw new BatchFormatError(
      `The content type '${contentType}' specifies a batch payload; however, the payload either does not ` +
        `include a batch boundary or includes more than one boundary. In OData, batch payload content types ` +
        `must specify exactly one batch boundary in the 'boundary' parameter of the content type.`,
    );
  }
  if (boundary.length === 0 || boundary.length > MAX_BOUNDARY_LENGTH || boundary.endsWith(' ')) {
    throw new BatchFormatError(
      `The boundary delimiter '${boundary}' is invalid. A boundary delimiter must be non-null, be non-empty, ` +
        `and have a maximum of ${MAX_BOUNDARY_LENGTH} characters.`,
    );
  }
  return boundary;
}
