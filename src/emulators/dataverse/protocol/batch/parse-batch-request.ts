import { BatchFormatError } from './batch-format-error.js';
import type { BatchItem, BatchOperation, BatchRequest, BatchTarget } from './batch-request.js';
import { bodyContentIdReferences, parseContentIdReference } from './content-id-references.js';
import { readHeaderBlock } from './header-block.js';
import { multipartBoundary, parseMediaType } from './media-type.js';
import { isBlankLine, linesOf, splitMultipart, type Segment } from './multipart-body.js';
import { resolveRequestTarget } from './resolve-request-target.js';

/** "Batch requests can contain up to 1000 individual requests" (docs/protocols/dataverse.md §3). */
export const MAX_BATCH_OPERATIONS = 1000;

export interface ParseBatchOptions {
  /** Operations allowed in one batch, change-set operations included. Default {@link MAX_BATCH_OPERATIONS}. */
  readonly maxOperations?: number;
}

/** Keeps error messages readable when the offending line is huge (a 64 KB GET URL, garbage input). */
function excerpt(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Tracks the operation budget so a hostile body is rejected as soon as it crosses the limit. */
class OperationBudget {
  private count = 0;
  constructor(private readonly max: number) {}

  take(): void {
    this.count++;
    // Wording of the real service as reported by users (MicrosoftDocs/powerapps-docs#1890, there with '250').
    if (this.count > this.max) {
      throw new BatchFormatError(
        `The current batch message contains too many parts. Only batch messages with a maximum number of ` +
          `'${this.max}' query operations, including changeset operations, are allowed.`,
      );
    }
  }
}

/**
 * End of `segment` once trailing CR/LF are dropped: clients leave blank lines between a body and the next
 * delimiter (DynamicsWebApi, MSDocs). A loop rather than `/[\r\n]+$/`, which backtracks quadratically on
 * bodies full of line breaks.
 */
function withoutTrailingLineBreaks(text: string, segment: Segment): number {
  let end = segment.end;
  while (end > segment.start && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
  return end;
}

interface ChangeSetContext {
  /** Content-IDs declared by the change set's earlier operations: the only valid `$n` targets. */
  readonly declared: Set<string>;
}

function contentIdNotFound(contentId: string): BatchFormatError {
  // Exact text of the documented 400 (MSDocs execute-batch-operations-using-web-api.md, quoted in §3).
  return new BatchFormatError(`Content-ID Reference: '$${contentId}' does not exist in the batch context.`);
}

/**
 * Parses the `application/http` content of one part: optional blank lines, the request line, headers, a
 * blank line, the body. `changeSet` is undefined for operations outside a change set, where no Content-ID
 * can be referenced (§3: `$n` works "within changesets").
 */
function parseOperation(
  text: string,
  content: Segment,
  mimeHeaders: Map<string, string>,
  serviceRoot: URL,
  changeSet: ChangeSetContext | undefined,
): BatchOperation {
  let requestLine: string | undefined;
  let afterRequestLine = content.end;
  for (const line of linesOf(text, content)) {
    if (isBlankLine(text, line)) continue;
    requestLine = text.slice(line.start, line.end).trim();
    afterRequestLine = line.next;
    break;
  }
  if (requestLine === undefined) {
    throw new BatchFormatError(
      `A batch operation has no request line. The request line at the start of each operation must be of ` +
        `the format 'HttpMethod RequestUrl HttpVersion'.`,
    );
  }
  const tokens = requestLine.split(/[ \t]+/);
  const [rawMethod, rawTarget, version] = tokens;
  const invalidRequestLine = (): BatchFormatError =>
    new BatchFormatError(
      `The request line '${excerpt(requestLine)}' is invalid. The request line at the start of each operation ` +
        `must be of the format 'HttpMethod RequestUrl HttpVersion'.`,
    );
  if (tokens.length !== 3 || rawMethod === undefined || rawTarget === undefined || version === undefined) {
    throw invalidRequestLine();
  }
  if (!/^[A-Za-z]+$/.test(rawMethod)) throw invalidRequestLine();
  if (version.toUpperCase() !== 'HTTP/1.1') {
    throw new BatchFormatError(
      `The HTTP version '${excerpt(version)}' used in a batch operation request or response is not valid. ` +
        `The value must be 'HTTP/1.1'.`,
    );
  }
  const method = rawMethod.toUpperCase();
  if (changeSet !== undefined && method === 'GET') {
    // "GET request are not allowed within change sets" (MSDocs, §3).
    throw new BatchFormatError(
      `GET requests are not allowed inside a change set ('${excerpt(requestLine)}'). ` +
        `Send the GET outside the change set.`,
    );
  }

  const inner = readHeaderBlock(text, { start: afterRequestLine, end: content.end }, false);
  const headers = Object.fromEntries(inner.headers);
  const body = text.slice(
    Math.min(inner.contentStart, content.end),
    withoutTrailingLineBreaks(text, content),
  );

  const reference = parseContentIdReference(rawTarget);
  let target: BatchTarget;
  if (reference !== undefined) {
    if (changeSet === undefined || !changeSet.declared.has(reference.contentId)) {
      throw contentIdNotFound(reference.contentId);
    }
    target = { kind: 'reference', contentId: reference.contentId, rest: reference.rest, raw: rawTarget };
  } else {
    const url = resolveRequestTarget(rawTarget, serviceRoot);
    if (url === undefined) {
      throw new BatchFormatError(
        `The request line '${excerpt(requestLine)}' is invalid: '${excerpt(rawTarget)}' is not a valid URL.`,
      );
    }
    target = { kind: 'url', url };
  }
  for (const bodyReference of bodyContentIdReferences(body)) {
    if (changeSet === undefined || !changeSet.declared.has(bodyReference.contentId)) {
      throw contentIdNotFound(bodyReference.contentId);
    }
  }

  const contentId = (mimeHeaders.get('content-id') ?? inner.headers.get('content-id'))?.trim();
  return contentId === undefined || contentId === ''
    ? { method, target, headers, body }
    : { method, target, headers, body, contentId };
}

/**
 * A part must be `application/http` (one operation) or, at the top level only, `multipart/mixed` (a change
 * set). Texts follow ODataLib (`ODataBatchReaderStream_*`), which Dataverse's Web API is built on.
 */
function partKind(mimeHeaders: Map<string, string>, inChangeSet: boolean): 'operation' | 'changeSet' {
  const contentType = mimeHeaders.get('content-type');
  if (contentType === undefined) {
    throw new BatchFormatError(
      `The 'Content-Type' header is missing. The 'Content-Type' header must be specified for each MIME part ` +
        `of a batch message.`,
    );
  }
  const type = parseMediaType(contentType)?.type;
  if (type === 'application/http') {
    const encoding = mimeHeaders.get('content-transfer-encoding')?.toLowerCase();
    // Accepted leniently when missing; only encodings that would need decoding are refused.
    if (encoding === 'base64' || encoding === 'quoted-printable') {
      throw new BatchFormatError(
        `A missing or invalid 'Content-Transfer-Encoding' header was found. The 'Content-Transfer-Encoding' ` +
          `header must be specified for each batch operation, and its value must be 'binary'.`,
      );
    }
    return 'operation';
  }
  if (type === 'multipart/mixed') {
    if (inChangeSet) throw new BatchFormatError('Nested change sets in a batch payload are not supported.');
    return 'changeSet';
  }
  throw new BatchFormatError(
    `The 'Content-Type' header value '${excerpt(contentType)}' is invalid. When this is the start of the ` +
      `change set, the value must be 'multipart/mixed'; otherwise it must be 'application/http'.`,
  );
}

function parseChangeSet(
  text: string,
  part: Segment,
  contentType: string,
  serviceRoot: URL,
  budget: OperationBudget,
  maxOperations: number,
): BatchItem {
  const boundary = multipartBoundary(contentType);
  const context: ChangeSetContext = { declared: new Set() };
  const operations: BatchOperation[] = [];
  for (const segment of splitMultipart(text, part, boundary, 'change set')) {
    const mime = readHeaderBlock(text, segment, true);
    partKind(mime.headers, true);
    if (operations.length >= maxOperations) {
      // ODataLib's ODataBatchReader_MaxChangeSetSizeExceeded, as users see it from Dataverse
      // (AleksandrRogov/DynamicsWebApi#71).
      throw new BatchFormatError(
        `The current change set contains too many operations. A maximum number of '${maxOperations}' ` +
          `operations are allowed in a change set.`,
      );
    }
    budget.take();
    const operation = parseOperation(
      text,
      { start: mime.contentStart, end: segment.end },
      mime.headers,
      serviceRoot,
      context,
    );
    if (operation.contentId !== undefined) {
      if (context.declared.has(operation.contentId)) {
        throw new BatchFormatError(
          `The content ID '${excerpt(operation.contentId)}' was found more than once in the same change set. ` +
            `Content IDs have to be unique across all operations of a change set.`,
        );
      }
      context.declared.add(operation.contentId);
    }
    operations.push(operation);
  }
  return { kind: 'changeSet', operations };
}

/**
 * Parses a `$batch` request body (docs/protocols/dataverse.md §3) into its operations and change sets, in
 * request order. `contentTypeHeader` is the outer request's Content-Type (it carries the boundary);
 * `serviceRoot` is the environment's service root, e.g. `https://127.0.0.1:8443/api/data/v9.2/`.
 *
 * Pure and linear in the body size. Throws only {@link BatchFormatError}.
 */
export function parseBatchRequest(
  contentTypeHeader: string,
  body: string,
  serviceRoot: URL,
  options: ParseBatchOptions = {},
): BatchRequest {
  const maxOperations = options.maxOperations ?? MAX_BATCH_OPERATIONS;
  const boundary = multipartBoundary(contentTypeHeader);
  const budget = new OperationBudget(maxOperations);
  const items: BatchItem[] = [];
  for (const part of splitMultipart(body, { start: 0, end: body.length }, boundary, 'batch request body')) {
    const mime = readHeaderBlock(body, part, true);
    const content: Segment = { start: mime.contentStart, end: part.end };
    if (partKind(mime.headers, false) === 'changeSet') {
      const contentType = mime.headers.get('content-type') ?? '';
      items.push(parseChangeSet(body, content, contentType, serviceRoot, budget, maxOperations));
    } else {
      budget.take();
      items.push({
        kind: 'operation',
        operation: parseOperation(body, content, mime.headers, serviceRoot, undefined),
      });
    }
  }
  return { items };
}
