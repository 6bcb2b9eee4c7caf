/**
 * Reads a `$batch` response (docs/protocols/dataverse.md §3): `multipart/mixed` parts holding HTTP
 * responses, change sets as nested multiparts with `Content-ID` on each part. Lenient the way clients
 * must be: CRLF or bare LF, quoted or unquoted boundaries, `Content-ID` before or after the status line.
 */

export interface BatchPartResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type BatchResponseItem =
  | { readonly kind: 'operation'; readonly response: BatchPartResponse }
  | {
      readonly kind: 'changeSet';
      readonly parts: ReadonlyArray<{ readonly contentId?: string; readonly response: BatchPartResponse }>;
    };

export class BatchResponseFormatError extends Error {
  constructor(message: string) {
    super(`The $batch response cannot be read: ${message}`);
    this.name = 'BatchResponseFormatError';
  }
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match?.[1] ?? match?.[2];
}

export function isMultipart(contentType: string | undefined): boolean {
  return /^\s*multipart\/mixed\b/i.test(contentType ?? '');
}

/** The parts between `--boundary` lines, without the line break that belongs to each delimiter. */
function splitParts(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const atLineStart = (from: number): number => {
    let index = body.indexOf(delimiter, from);
    while (index > 0 && body[index - 1] !== '\n') index = body.indexOf(delimiter, index + 1);
    return index;
  };
  const parts: string[] = [];
  let index = atLineStart(0);
  if (index < 0) throw new BatchResponseFormatError(`no '${delimiter}' delimiter.`);
  for (;;) {
    const after = index + delimiter.length;
    if (body.startsWith('--', after)) return parts;
    const lineEnd = body.indexOf('\n', after);
    if (lineEnd < 0) throw new BatchResponseFormatError(`'${delimiter}' is never closed.`);
    const next = atLineStart(lineEnd + 1);
    if (next < 0) throw new BatchResponseFormatError(`'${delimiter}' is never closed.`);
    let end = next - 1; // the LF before the delimiter
    if (body[end - 1] === '\r') end--;
    parts.push(body.slice(lineEnd + 1, Math.max(lineEnd + 1, end)));
    index = next;
  }
}

/** Splits `headers<blank line>rest`; header names lower-cased. */
function splitHeaders(text: string): { headers: Record<string, string>; rest: string } {
  const match = /\r?\n\r?\n/.exec(text);
  const head = match ? text.slice(0, match.index) : text;
  const rest = match ? text.slice(match.index + match[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, rest };
}

function parseHttpResponse(text: string): { response: BatchPartResponse; contentId?: string } {
  const trimmed = text.replace(/^(?:\r?\n)+/, '');
  const lineEnd = trimmed.search(/\r?\n/);
  const statusLine = lineEnd < 0 ? trimmed : trimmed.slice(0, lineEnd);
  const status = /^HTTP\/\s*\d(?:\.\d)?\s+(\d{3})\b/.exec(statusLine)?.[1];
  if (status === undefined)
    throw new BatchResponseFormatError(`'${statusLine.slice(0, 60)}' is not a status line.`);
  const afterStatus = lineEnd < 0 ? '' : trimmed.slice(lineEnd).replace(/^\r?\n/, '');
  // A part without headers and body is just the status line followed by blank lines.
  const { headers, rest } = /^\r?\n/.test(afterStatus)
    ? { headers: {}, rest: afterStatus.replace(/^\r?\n/, '') }
    : splitHeaders(afterStatus);
  const contentId = headers['content-id'];
  return {
    response: { status: Number(status), headers, body: rest.replace(/(?:\r?\n)+$/, '') },
    ...(contentId !== undefined ? { contentId } : {}),
  };
}

function parseApplicationHttp(part: string): { response: BatchPartResponse; contentId?: string } {
  // The status line starts the embedded response; before it are the part's MIME headers. Searching for
  // it (rather than for a blank line) also reads parts whose Content-ID line lacks the blank line after it.
  const start = /^HTTP\/\s*\d/m.exec(part);
  if (start === null) throw new BatchResponseFormatError('a part holds no HTTP response.');
  const mime = splitHeaders(part.slice(0, start.index)).headers;
  const parsed = parseHttpResponse(part.slice(start.index));
  const contentId = mime['content-id'] ?? parsed.contentId;
  return { response: parsed.response, ...(contentId !== undefined ? { contentId } : {}) };
}

/** The response items in request order. A failed change set comes back as one `operation` item. */
export function parseBatchResponse(contentType: string | undefined, body: string): BatchResponseItem[] {
  const boundary = boundaryOf(contentType);
  if (boundary === undefined) throw new BatchResponseFormatError(`no boundary in '${contentType ?? ''}'.`);
  return splitParts(body, boundary).map((part): BatchResponseItem => {
    const { headers, rest } = splitHeaders(part);
    const type = headers['content-type'];
    if (isMultipart(type)) {
      const inner = boundaryOf(type);
      if (inner === undefined) throw new BatchResponseFormatError('a change set part has no boundary.');
      return { kind: 'changeSet', parts: splitParts(rest, inner).map(parseApplicationHttp) };
    }
    return { kind: 'operation', response: parseApplicationHttp(part).response };
  });
}
