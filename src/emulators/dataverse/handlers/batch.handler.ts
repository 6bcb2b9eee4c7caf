import { randomUUID } from 'node:crypto';
import { dataverseErrors } from '../errors.js';
import type { Caller, RecordRef } from '../environment.js';
import {
  BatchFormatError,
  parseBatchRequest,
  serializeBatchResponse,
  type BatchOperation,
  type BatchResponseItem,
  type ChangeSetResponsePart,
} from '../protocol/batch/index.js';
import type { EmulatorRequest, EmulatorResponse } from '../protocol/emulator-request.js';
import { parsePreferences, type Preferences } from '../protocol/prefer-header.js';
import { splitServicePath } from '../protocol/resource-path.js';
import type { OperationRunner } from './handler-context.js';

/**
 * POST $batch (MSDocs webapi/execute-batch-operations-using-web-api.md): parts run in order; a change
 * set runs in one store transaction, so a failure rolls all of it back; without
 * `Prefer: odata.continue-on-error` the batch stops at the first failure and takes its status.
 */
export function executeBatch(
  api: OperationRunner,
  request: EmulatorRequest,
  caller: Caller,
  preferences: Preferences,
): EmulatorResponse {
  if (request.method !== 'POST') throw dataverseErrors.methodNotAllowed(request.method, '$batch');
  const service = splitServicePath(request.url.pathname);
  const serviceRoot = new URL(`${request.url.origin}/api/data/${service?.version ?? 'v9.2'}/`);
  const contentType = request.headers['content-type'] ?? '';
  if (!/^multipart\/mixed\b/i.test(contentType.trim()))
    throw dataverseErrors.invalidArgument(
      `A $batch request needs Content-Type multipart/mixed with a boundary; got '${contentType}'.`,
    );
  let parsed;
  try {
    parsed = parseBatchRequest(contentType, request.body, serviceRoot);
  } catch (error) {
    if (error instanceof BatchFormatError) throw dataverseErrors.invalidArgument(error.message);
    throw error;
  }
  const items: BatchResponseItem[] = [];
  let failedStatus: number | undefined;
  for (const item of parsed.items) {
    if (item.kind === 'operation') {
      const response = withRequestId(api.handle(toRequest(item.operation, undefined, serviceRoot), caller));
      items.push({ kind: 'operation', response });
      if (response.status >= 400) failedStatus = response.status;
    } else {
      const outcome = runChangeSet(api, item.operations, caller, serviceRoot);
      items.push(
        outcome.failure
          ? { kind: 'operation', response: withRequestId(outcome.failure) }
          : { kind: 'changeSet', parts: outcome.parts },
      );
      if (outcome.failure) failedStatus = outcome.failure.status;
    }
    if (failedStatus !== undefined && !preferences.continueOnError) break;
  }
  const { contentType: responseType, body } = serializeBatchResponse(items, randomUUID);
  const headers: Record<string, string> = { 'content-type': responseType, 'odata-version': '4.0' };
  if (preferences.continueOnError) headers['preference-applied'] = 'odata.continue-on-error';
  const status = failedStatus !== undefined && !preferences.continueOnError ? failedStatus : 200;
  return { status, headers, body };
}

function runChangeSet(
  api: OperationRunner,
  operations: readonly BatchOperation[],
  caller: Caller,
  serviceRoot: URL,
): { parts: ChangeSetResponsePart[]; failure?: EmulatorResponse } {
  const parts: ChangeSetResponsePart[] = [];
  const contentIds = new Map<string, RecordRef>();
  let current: BatchOperation | undefined;
  try {
    api.env.store.transaction((tx) => {
      for (const operation of operations) {
        current = operation;
        const request = toRequest(operation, contentIds, serviceRoot);
        const response = api.execute(request, caller, parsePreferences(request.headers['prefer']), {
          tx,
          contentIds,
        });
        if (operation.contentId !== undefined) {
          const ref = createdRecord(api, response);
          if (ref) contentIds.set(operation.contentId, ref);
        }
        parts.push(
          operation.contentId !== undefined ? { contentId: operation.contentId, response } : { response },
        );
      }
    });
    return { parts };
  } catch (error) {
    const prefer = current?.headers['prefer'];
    const failure = api.errorFor(error, safePreferences(prefer));
    return { parts: [], failure };
  }
}

/** Failed parts carry their own REQ_ID, as in real captures (protocols/dataverse.md §1.11, §3). */
function withRequestId(response: EmulatorResponse): EmulatorResponse {
  if (response.status < 400) return response;
  return { ...response, headers: { ...response.headers, req_id: randomUUID() } };
}

function safePreferences(header: string | undefined): Preferences | undefined {
  try {
    return parsePreferences(header);
  } catch {
    return undefined;
  }
}

/** `$1` in a request line stands for the row created by the part with Content-ID 1. */
function toRequest(
  operation: BatchOperation,
  contentIds: ReadonlyMap<string, RecordRef> | undefined,
  serviceRoot: URL,
): EmulatorRequest {
  const { target } = operation;
  let url: URL;
  if (target.kind === 'url') url = target.url;
  else {
    const ref = contentIds?.get(target.contentId);
    if (!ref)
      throw dataverseErrors.invalidBind(
        `Content-ID Reference: '$${target.contentId}' does not exist in the batch context.`,
      );
    url = new URL(`${serviceRoot.href}${ref.table.entitySetName}(${ref.id})${target.rest}`);
  }
  if (splitServicePath(url.pathname)?.rest === '$batch')
    throw dataverseErrors.invalidArgument('A $batch request cannot contain another $batch.');
  return { method: operation.method, url, headers: operation.headers, body: operation.body };
}

function createdRecord(api: OperationRunner, response: EmulatorResponse): RecordRef | undefined {
  const entityId = response.headers['odata-entityid'];
  const match = entityId ? /\/api\/data\/v\d\.\d\/([A-Za-z_]+)\(([0-9a-fA-F-]{36})\)$/.exec(entityId) : null;
  const table = match?.[1] ? api.env.catalog.tableBySetName(match[1]) : undefined;
  if (!entityId || !match?.[2] || !table) return undefined;
  return { table, id: match[2].toLowerCase() };
}
