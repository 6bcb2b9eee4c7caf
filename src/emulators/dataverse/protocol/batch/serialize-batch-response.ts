import type { EmulatorResponse } from '../emulator-request.js';
import type { BatchResponseItem } from './batch-response.js';
import { httpReasonPhrase } from './http-reason-phrase.js';

const CRLF = '\r\n';

/**
 * Header names as Dataverse spells them in batch parts (§1.3, §3: `OData-Version`, `OData-EntityId`,
 * `REQ_ID`, …). Handlers may use lower-case names internally; the parts go out in the service's casing.
 */
const CANONICAL_HEADER_NAMES: ReadonlyMap<string, string> = new Map(
  [
    'OData-Version',
    'OData-EntityId',
    'OData-MaxVersion',
    'Location',
    'Content-Type',
    'ETag',
    'Preference-Applied',
    'REQ_ID',
    'Retry-After',
    'Cache-Control',
    'Allow',
    'WWW-Authenticate',
    'x-ms-ratelimit-burst-remaining-xrm-requests',
    'x-ms-ratelimit-time-remaining-xrm-requests',
  ].map((name) => [name.toLowerCase(), name]),
);

/**
 * Framing headers describe the outer HTTP message, not a part: real batch parts never carry them, and a
 * handler-computed length would be wrong once the part is embedded in the multipart body.
 */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

/** Line breaks inside a header would let a value forge extra headers or parts. */
function singleLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** `HTTP/1.1 <status> <reason>`, the part's headers, a blank line and the body. */
function httpPart(response: EmulatorResponse): string {
  const lines = [`HTTP/1.1 ${response.status} ${httpReasonPhrase(response.status)}`];
  for (const [name, value] of Object.entries(response.headers)) {
    const lower = name.toLowerCase();
    if (FRAMING_HEADERS.has(lower)) continue;
    lines.push(`${singleLine(CANONICAL_HEADER_NAMES.get(lower) ?? name)}: ${singleLine(value)}`);
  }
  return `${lines.join(CRLF)}${CRLF}${CRLF}${response.body ?? ''}`;
}

function applicationHttpPart(response: EmulatorResponse, contentId?: string): string {
  const mime = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== undefined) mime.push(`Content-ID: ${singleLine(contentId)}`);
  return `${mime.join(CRLF)}${CRLF}${CRLF}${httpPart(response)}`;
}

/**
 * Serializes `$batch` response parts in Dataverse's exact wire format (docs/protocols/dataverse.md §3):
 *
 * ```
 * --batchresponse_<guid>
 * Content-Type: application/http
 * Content-Transfer-Encoding: binary
 *
 * HTTP/1.1 204 No Content
 * OData-Version: 4.0
 *
 *
 * --batchresponse_<guid>
 * Content-Type: multipart/mixed; boundary=changesetresponse_<guid>
 *
 * --changesetresponse_<guid>
 * Content-Type: application/http
 * Content-Transfer-Encoding: binary
 * Content-ID: 1
 *
 * HTTP/1.1 204 No Content
 * …
 * --changesetresponse_<guid>--
 * --batchresponse_<guid>--
 * ```
 *
 * Every delimiter is preceded by CRLF (RFC 2046), which is why a body-less part shows two blank lines
 * before the next delimiter, exactly as in the MSDocs and real captures (scottdurow/dataverse-ify). The
 * change-set close delimiter is followed directly by the next batch delimiter. All line breaks are CRLF.
 *
 * `newGuid` is called once for the batch boundary and once per change set, in order.
 */
export function serializeBatchResponse(
  items: readonly BatchResponseItem[],
  newGuid: () => string,
): { contentType: string; body: string } {
  const boundary = `batchresponse_${newGuid()}`;
  const parts: string[] = [];
  for (const item of items) {
    if (item.kind === 'operation') {
      parts.push(applicationHttpPart(item.response));
      continue;
    }
    const changeSetBoundary = `changesetresponse_${newGuid()}`;
    const inner = item.parts.map(
      (part) => `--${changeSetBoundary}${CRLF}${applicationHttpPart(part.response, part.contentId)}${CRLF}`,
    );
    parts.push(
      `Content-Type: multipart/mixed; boundary=${changeSetBoundary}${CRLF}${CRLF}` +
        `${inner.join('')}--${changeSetBoundary}--`,
    );
  }
  const body = parts.map((part) => `--${boundary}${CRLF}${part}${CRLF}`).join('') + `--${boundary}--${CRLF}`;
  return { contentType: `multipart/mixed; boundary=${boundary}`, body };
}
