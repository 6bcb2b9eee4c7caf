import { dataverseErrors } from '../errors.js';
import type { Caller, DataverseEnvironment, OperationContext, RecordRef } from '../environment.js';
import type { StoreTransaction } from '../persistence/record-store.js';
import type { Preferences } from '../protocol/prefer-header.js';
import type { TableModel } from '../metadata/table-catalog.js';
import type { EmulatorRequest, EmulatorResponse } from '../protocol/emulator-request.js';
import type { PathSegment, RecordKey } from '../protocol/resource-path.js';

/** What the router hands a record handler. */
export interface RecordRoute {
  readonly table: TableModel;
  readonly key?: RecordKey;
  /** Segments after the entity set segment (property, navigation, `$ref`, `$count`, action). */
  readonly rest: readonly PathSegment[];
}

/** Where an operation runs: its own transaction, or a change set's shared one. */
export interface ExecutionScope {
  readonly tx: StoreTransaction;
  readonly contentIds?: ReadonlyMap<string, RecordRef>;
}

/** What `$batch` needs from the Web API to run its parts (implemented by DataverseWebApi). */
export interface OperationRunner {
  readonly env: DataverseEnvironment;
  /** A whole request in its own transaction; failures come back as error responses. */
  handle(request: EmulatorRequest, caller: Caller): EmulatorResponse;
  /** One operation inside `scope.tx`; throws DataverseError so the caller can roll back. */
  execute(
    request: EmulatorRequest,
    caller: Caller,
    preferences: Preferences,
    scope: ExecutionScope,
  ): EmulatorResponse;
  errorFor(error: unknown, preferences: Preferences | undefined): EmulatorResponse;
}

/** Parses a JSON body, answering malformed JSON with Dataverse's payload error. */
export function parseJsonBody(request: EmulatorRequest, entitySet: string): unknown {
  const contentType = request.headers['content-type'] ?? 'application/json';
  if (!/^application\/json\b/i.test(contentType.trim()))
    throw dataverseErrors.unsupportedMediaType(contentType);
  if (request.body.trim() === '')
    throw dataverseErrors.invalidJson(entitySet, 'The request body is empty; a JSON object was expected.');
  try {
    return JSON.parse(request.body) as unknown;
  } catch (error) {
    throw dataverseErrors.invalidJson(entitySet, `Invalid JSON. ${(error as Error).message}`);
  }
}

export const entityUrl = (ctx: OperationContext, table: TableModel, id: string) =>
  `${ctx.serviceRoot}${table.entitySetName}(${id})`;

export const entityContext = (
  ctx: OperationContext,
  table: TableModel,
  select: readonly string[] | undefined,
) => `${ctx.serviceRoot}$metadata#${table.entitySetName}${select ? `(${select.join(',')})` : ''}/$entity`;
