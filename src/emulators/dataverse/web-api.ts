import { DataverseError, dataverseErrors } from './errors.js';
import type { Caller, DataverseEnvironment, OperationContext } from './environment.js';
import { executeBatch } from './handlers/batch.handler.js';
import { BULK_ACTIONS, bulkWriteHandler, type BulkAction } from './handlers/bulk.handlers.js';
import { countRecordsHandler, queryRecordsHandler } from './handlers/collection.handlers.js';
import type { ExecutionScope, OperationRunner, RecordRoute } from './handlers/handler-context.js';
import { addListMembersHandler } from './handlers/list-members.handler.js';
import { metadataHandler } from './handlers/metadata.handler.js';
import { recordPathHandler } from './handlers/property.handlers.js';
import {
  createRecordHandler,
  deleteRecordHandler,
  patchRecordHandler,
  retrieveRecordHandler,
} from './handlers/record.handlers.js';
import { whoAmIHandler } from './handlers/who-am-i.handler.js';
import type { EmulatorRequest, EmulatorResponse } from './protocol/emulator-request.js';
import { parsePreferences, type Preferences } from './protocol/prefer-header.js';
import { parseResourcePath, splitServicePath } from './protocol/resource-path.js';
import { errorResponse, withAnnotationsApplied } from './protocol/responses.js';

/**
 * The Web API's protocol layer: routes a request to its handler inside a store transaction and turns
 * thrown {@link DataverseError}s into Dataverse's error responses. HTTP concerns (auth, limits, faults)
 * stay in the server; `$batch` calls back into {@link execute} for every part.
 */
export class DataverseWebApi implements OperationRunner {
  constructor(readonly env: DataverseEnvironment) {}

  handle(request: EmulatorRequest, caller: Caller): EmulatorResponse {
    let preferences: Preferences | undefined;
    try {
      preferences = parsePreferences(request.headers['prefer']);
      const prefs = preferences;
      if (isBatch(request)) return executeBatch(this, request, caller, prefs);
      return this.env.store.transaction((tx) => this.execute(request, caller, prefs, { tx }));
    } catch (error) {
      return this.errorFor(error, preferences);
    }
  }

  errorFor(error: unknown, preferences: Preferences | undefined): EmulatorResponse {
    const known =
      error instanceof DataverseError ? error : dataverseErrors.internal((error as Error).message);
    return errorResponse(known, preferences?.includeAnnotations !== undefined);
  }

  /** Runs one operation in `scope.tx`; throws DataverseError on failure (the caller decides about rollback). */
  execute(
    request: EmulatorRequest,
    caller: Caller,
    preferences: Preferences,
    scope: ExecutionScope,
  ): EmulatorResponse {
    const service = splitServicePath(request.url.pathname);
    if (!service) throw dataverseErrors.resourceNotFound(request.url.pathname);
    const ctx: OperationContext = {
      env: this.env,
      tx: scope.tx,
      caller,
      now: this.env.now(),
      serviceRoot: `${request.url.origin}/api/data/${service.version}/`,
      preferences,
      contentIds: scope.contentIds ?? new Map(),
      detectDuplicates: request.headers['mscrm.suppressduplicatedetection']?.toLowerCase() === 'false',
    };
    const rest = safeDecode(service.rest);
    const firstName = rest.split(/[/(]/, 1)[0] ?? '';
    if (rest === '' && request.method === 'GET') return metadataHandler(ctx, 'service-document', request);
    if (rest === '$metadata' && request.method === 'GET') return metadataHandler(ctx, 'csdl', request);
    if ((rest === 'WhoAmI' || rest === 'WhoAmI()') && request.method === 'GET') return whoAmIHandler(ctx);
    // Unbound actions are called by their unqualified name (an action import), as WhoAmI is.
    if (rest === 'AddListMembersList') {
      if (request.method !== 'POST') throw dataverseErrors.methodNotAllowed(request.method, rest);
      return addListMembersHandler(ctx, request);
    }
    if (firstName === 'EntityDefinitions' || firstName === 'GlobalOptionSetDefinitions') {
      if (request.method !== 'GET') throw dataverseErrors.notImplemented(`${request.method} on metadata`);
      return metadataHandler(ctx, 'definitions', request, rest);
    }
    const segments = parseResourcePath(rest);
    const [head, ...tail] = segments;
    const table = head ? this.env.catalog.tableBySetName(head.name) : undefined;
    if (!head || !table) throw dataverseErrors.resourceNotFound(head?.name ?? rest);
    const route: RecordRoute = { table, rest: tail, ...(head.key ? { key: head.key } : {}) };
    return withAnnotationsApplied(this.dispatch(ctx, route, request), preferences.includeAnnotations);
  }

  private dispatch(ctx: OperationContext, route: RecordRoute, request: EmulatorRequest): EmulatorResponse {
    const { method } = request;
    const [first] = route.rest;
    if (!route.key) {
      if (!first) {
        if (method === 'GET') return queryRecordsHandler(ctx, route, request);
        if (method === 'POST') return createRecordHandler(ctx, route, request);
        throw dataverseErrors.methodNotAllowed(method, route.table.entitySetName);
      }
      if (first.name === '$count' && route.rest.length === 1 && method === 'GET')
        return countRecordsHandler(ctx, route, request);
      const action = first.name.replace(/^Microsoft\.Dynamics\.CRM\./, '');
      if (route.rest.length === 1 && (BULK_ACTIONS as readonly string[]).includes(action)) {
        if (method !== 'POST') throw dataverseErrors.methodNotAllowed(method, first.name);
        return bulkWriteHandler(action as BulkAction)(ctx, route, request);
      }
      throw dataverseErrors.resourceNotFound(first.name);
    }
    if (first) return recordPathHandler(ctx, route, request);
    switch (method) {
      case 'GET':
        return retrieveRecordHandler(ctx, route, request);
      case 'PATCH':
        return patchRecordHandler(ctx, route, request);
      case 'DELETE':
        return deleteRecordHandler(ctx, route, request);
      default:
        throw dataverseErrors.methodNotAllowed(method, route.table.entitySetName);
    }
  }
}

function isBatch(request: EmulatorRequest): boolean {
  const service = splitServicePath(request.url.pathname);
  return service?.rest === '$batch';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw dataverseErrors.invalidQuery('Bad Request - Error in query syntax.');
  }
}
