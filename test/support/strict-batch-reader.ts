/**
 * A deliberately strict reader of `$batch` responses, independent of the emulator's own codec: it
 * accepts only what RFC 2046 and the Dataverse captures show (CRLF line breaks everywhere, no preamble,
 * every delimiter preceded by CRLF, a close delimiter, `application/http` parts with
 * `Content-Transfer-Encoding: binary`, change sets one level deep) and throws on anything else.
 */
export interface BatchResponsePart {
  readonly contentId?: string;
  readonly mimeHeaders: ReadonlyMap<string, string>;
  readonly status: number;
  readonly reason: string;
  /** Header names in lower case. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

export type BatchResponseEntry =
  | { readonly kind: 'operation'; readonly part: BatchResponsePart }
  | { readonly kind: 'changeSet'; readonly boundary: string; readonly parts: readonly BatchResponsePart[] };

const CRLF = '\r\n';

export function boundaryOf(contentType: string | null): string {
  const match = /^multipart\/mixed\s*;\s*boundary=("?)([^";]+)\1\s*$/i.exec(contentType ?? '');
  if (!match?.[2])
    throw new Error(`not a multipart/mixed content type with a boundary: '${String(contentType)}'`);
  return match[2];
}

function splitParts(body: string, boundary: string): string[] {
  const dash = `--${boundary}`;
  if (!body.startsWith(`${dash}${CRLF}`)) throw new Error(`the body must start with '${dash}' and CRLF`);
  const close = `${CRLF}${dash}--`;
  const end = body.lastIndexOf(close);
  if (end < 0) throw new Error(`no close delimiter '${dash}--'`);
  const epilogue = body.slice(end + close.length);
  if (epilogue !== '' && epilogue !== CRLF) throw new Error(`unexpected text after the close delimiter`);
  return body.slice(dash.length + CRLF.length, end).split(`${CRLF}${dash}${CRLF}`);
}

function splitHead(text: string): { headers: Map<string, string>; firstLine?: string; rest: string } {
  const blank = text.indexOf(`${CRLF}${CRLF}`);
  if (blank < 0) throw new Error(`no blank line ends the headers of: ${text.slice(0, 120)}`);
  const lines = text.slice(0, blank).split(CRLF);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`not a header line: '${line}'`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, rest: text.slice(blank + 2 * CRLF.length) };
}

function readHttpPart(text: string): BatchResponsePart {
  const mime = splitHead(text);
  if (mime.headers.get('content-type') !== 'application/http')
    throw new Error(`part Content-Type is '${String(mime.headers.get('content-type'))}'`);
  if (mime.headers.get('content-transfer-encoding') !== 'binary')
    throw new Error('part without Content-Transfer-Encoding: binary');
  const lineEnd = mime.rest.indexOf(CRLF);
  const statusLine = mime.rest.slice(0, lineEnd);
  const status = /^HTTP\/1\.1 (\d{3}) (.+)$/.exec(statusLine);
  if (!status?.[1] || !status[2]) throw new Error(`bad status line '${statusLine}'`);
  const afterStatus = mime.rest.slice(lineEnd + CRLF.length);
  // A part with no headers at all goes straight to the blank line.
  const http = afterStatus.startsWith(CRLF)
    ? { headers: new Map<string, string>(), rest: afterStatus.slice(CRLF.length) }
    : splitHead(afterStatus);
  const contentId = mime.headers.get('content-id');
  return {
    ...(contentId !== undefined ? { contentId } : {}),
    mimeHeaders: mime.headers,
    status: Number(status[1]),
    reason: status[2],
    headers: http.headers,
    body: http.rest,
  };
}

export function readBatchResponse(contentType: string | null, body: string): BatchResponseEntry[] {
  if (/(^|[^\r])\n/.test(body)) throw new Error('the body has a bare LF line break');
  const boundary = boundaryOf(contentType);
  if (!/^batchresponse_[0-9a-f-]{36}$/.test(boundary)) throw new Error(`batch boundary '${boundary}'`);
  return splitParts(body, boundary).map((text): BatchResponseEntry => {
    if (text.startsWith('Content-Type: multipart/mixed')) {
      const head = splitHead(text);
      const inner = boundaryOf(head.headers.get('content-type') ?? '');
      if (!/^changesetresponse_[0-9a-f-]{36}$/.test(inner)) throw new Error(`change set boundary '${inner}'`);
      return { kind: 'changeSet', boundary: inner, parts: splitParts(head.rest, inner).map(readHttpPart) };
    }
    return { kind: 'operation', part: readHttpPart(text) };
  });
}

/** Every part in order, change-set parts flattened. */
export function allParts(entries: readonly BatchResponseEntry[]): BatchResponsePart[] {
  return entries.flatMap((e) => (e.kind === 'operation' ? [e.part] : [...e.parts]));
}
