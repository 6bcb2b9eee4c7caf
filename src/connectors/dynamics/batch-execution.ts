import { randomUUID } from 'node:crypto';
import { buildBatchRequest, isChangeSet, type BatchItem } from './batch/batch-request.js';
import {
  BatchResponseFormatError,
  parseBatchResponse,
  type BatchPartResponse,
  type BatchResponseItem,
} from './batch/batch-response.js';
import { DataverseError } from './dataverse-error.js';
import { mapDataverseFailure, readErrorBody } from './dataverse-error-mapping.js';
import type { DataverseSender } from './dataverse-request.js';
import { idFromEntityUrl } from './odata-syntax.js';

/** One request item's outcome, in the order the items were given. */
export type BatchItemOutcome =
  | { readonly status: 'succeeded'; readonly responses: readonly BatchPartResult[] }
  | { readonly status: 'failed'; readonly error: DataverseError }
  /** Dataverse stopped at an earlier failure (no `continueOnError`), or rolled this change set back. */
  | { readonly status: 'not_executed' };

export interface BatchPartResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON, or undefined for an empty body. */
  readonly body: unknown;
  readonly contentId?: string;
  /** The GUID from `OData-EntityId`, for created rows. */
  readonly id?: string;
}

export interface BatchOptions {
  /** `Prefer: odata.continue-on-error`: run every item even after a failure. */
  readonly continueOnError?: boolean;
}

/**
 * `$batch`: operations run in order; each change set is all-or-nothing. Without `continueOnError`
 * Dataverse stops at the first failure, so later items are `not_executed`. The whole batch is one
 * request for service protection but counts one per operation for the entitlement (§3–4).
 */
export async function executeBatch(
  sender: DataverseSender,
  items: readonly BatchItem[],
  options: BatchOptions = {},
): Promise<BatchItemOutcome[]> {
  const built = buildBatchRequest(items, { servicePath: sender.servicePath, newId: randomUUID });
  const response = await sender.send({
    method: 'POST',
    path: '$batch',
    headers: {
      'Content-Type': built.contentType,
      ...(options.continueOnError ? { Prefer: 'odata.continue-on-error' } : {}),
    },
    body: built.body,
    operations: built.operationCount,
    batch: true,
  });
  let parsed: BatchResponseItem[];
  try {
    parsed = parseBatchResponse(response.headers['content-type'], response.body);
  } catch (error) {
    if (error instanceof BatchResponseFormatError)
      throw new DataverseError('crm_unavailable', error.message, undefined, {
        httpStatus: response.status,
      });
    throw error;
  }
  return matchBatchResponses(sender, items, parsed, response.headers['req_id']);
}

function partResult(part: BatchPartResponse, contentId?: string): BatchPartResult {
  const id = idFromEntityUrl(part.headers['odata-entityid'] ?? part.headers['location']);
  let body: unknown;
  try {
    body = part.body.trim() === '' ? undefined : JSON.parse(part.body);
  } catch {
    body = part.body;
  }
  return {
    status: part.status,
    headers: part.headers,
    body,
    ...(contentId !== undefined ? { contentId } : {}),
    ...(id !== undefined ? { id } : {}),
  };
}

function partError(
  sender: DataverseSender,
  part: BatchPartResponse,
  operation: string,
  fallbackRequestId?: string,
): DataverseError {
  const body = readErrorBody(part.body, part.headers['content-type']);
  const requestId = part.headers['req_id'] ?? fallbackRequestId;
  return mapDataverseFailure(
    { kind: 'response', status: part.status, ...body, ...(requestId !== undefined ? { requestId } : {}) },
    { environmentUrl: sender.environmentUrl, operation, now: sender.now() },
  );
}

/**
 * Lines the response items up with the request items. Dataverse answers a failed change set with
 * one error part (its operations rolled back) and stops after a failure unless continuing on error.
 */
function matchBatchResponses(
  sender: DataverseSender,
  items: readonly BatchItem[],
  responses: readonly BatchResponseItem[],
  requestId: string | undefined,
): BatchItemOutcome[] {
  const describe = (item: BatchItem) =>
    isChangeSet(item)
      ? `change set of ${item.changeSet.length} operation(s) (in $batch)`
      : `${item.method} ${item.path.split('?')[0]} (in $batch)`;
  return items.map((item, index): BatchItemOutcome => {
    const response = responses[index];
    if (response === undefined) return { status: 'not_executed' };
    if (response.kind === 'operation') {
      if (response.response.status >= 400)
        return { status: 'failed', error: partError(sender, response.response, describe(item), requestId) };
      return { status: 'succeeded', responses: [partResult(response.response)] };
    }
    const failure = response.parts.find((part) => part.response.status >= 400);
    if (failure !== undefined)
      return { status: 'failed', error: partError(sender, failure.response, describe(item), requestId) };
    return {
      status: 'succeeded',
      responses: response.parts.map((part) => partResult(part.response, part.contentId)),
    };
  });
}
