import { dataverseErrors } from '../errors.js';
import type { OperationContext } from '../environment.js';
import type { EmulatorRequest, EmulatorResponse } from '../protocol/emulator-request.js';
import { parseQueryOptions } from '../protocol/query-options.js';
import { emptyResponse, jsonResponse } from '../protocol/responses.js';
import { isJsonObject } from '../records/record-payload.js';
import { requireRecord } from '../records/record-locator.js';
import { queryCollection } from '../records/record-query.js';
import { readableProperties } from '../records/record-serializer.js';
import { updateRecord } from '../records/record-writer.js';
import { parseJsonBody, type RecordRoute } from './handler-context.js';
import { representRecord } from './record.handlers.js';

/**
 * Requests below a record: `…(id)/telephone1` (GET/PUT/DELETE one column), `…(id)/parentaccountid`
 * (the related row), `…(id)/Lead_Tasks` (related rows) and `…/$ref` (associate/disassociate),
 * as MSDocs webapi/update-delete-entities-using-web-api.md and associate-disassociate-entities describe.
 */
export function recordPathHandler(
  ctx: OperationContext,
  route: RecordRoute,
  request: EmulatorRequest,
): EmulatorResponse {
  if (!route.key) throw dataverseErrors.invalidQuery('A key is required.');
  const [first, second, third] = route.rest;
  if (!first) throw dataverseErrors.invalidQuery('Bad Request - Error in query syntax.');
  const { table } = route;
  const { id, record } = requireRecord(ctx, table, route.key);
  const single = table.singleNavigations.get(first.name);
  const collection = table.collectionNavigations.get(first.name);

  if (single && second?.name === '$ref' && !third) {
    if (request.method === 'DELETE') {
      updateRecord(ctx, table, id, record, { [`${single.name}@odata.bind`]: null });
      return emptyResponse(204);
    }
    if (request.method === 'PUT' || request.method === 'POST') {
      const uri = referenceUri(request, table.entitySetName);
      updateRecord(ctx, table, id, record, { [`${single.name}@odata.bind`]: uri });
      return emptyResponse(204);
    }
  }
  if (collection && second?.name === '$ref' && !third && request.method === 'POST') {
    const uri = referenceUri(request, table.entitySetName);
    updateRecord(ctx, table, id, record, { [`${collection.name}@odata.bind`]: [uri] });
    return emptyResponse(204);
  }
  if (collection && first.key && second?.name === '$ref' && request.method === 'DELETE') {
    const child = ctx.env.catalog.require(collection.referencingTable);
    const { id: childId, record: childRecord } = requireRecord(ctx, child, first.key);
    const ref = childRecord[collection.referencingAttribute];
    if (!ref || (ref as { id?: string }).id !== id)
      throw dataverseErrors.recordNotFound(child.logicalName, childId);
    const nav = [...child.singleNavigations.values()].find(
      (n) => n.attribute.logicalName === collection.referencingAttribute,
    );
    updateRecord(ctx, child, childId, childRecord, {
      [`${nav?.name ?? collection.referencingAttribute}@odata.bind`]: null,
    });
    return emptyResponse(204);
  }
  if (second) throw dataverseErrors.resourceNotFound(second.name);

  if (single && request.method === 'GET') {
    const value = record[single.attribute.logicalName] as { id: string; entity: string } | null | undefined;
    if (!value || !single.targets.includes(value.entity)) return emptyResponse(204);
    const target = ctx.env.catalog.require(value.entity);
    const related = requireRecord(ctx, target, { kind: 'id', id: value.id });
    return jsonResponse(200, representRecord(ctx, target, related.record, request.url, true));
  }
  if (collection && request.method === 'GET') {
    const child = ctx.env.catalog.require(collection.referencingTable);
    const options = parseQueryOptions(request.url.searchParams);
    const scope = `_${collection.referencingAttribute}_value eq ${id}`;
    const filter = options.filter === undefined ? scope : `(${scope}) and (${options.filter})`;
    const page = queryCollection(ctx, child, { ...options, filter }, request.url);
    return jsonResponse(
      200,
      page.body,
      page.preferenceApplied.length ? { 'preference-applied': page.preferenceApplied.join(',') } : {},
    );
  }

  const property = readableProperties(table).get(first.name);
  if (!property || property.isLookup) throw dataverseErrors.resourceNotFound(first.name);
  const column = property.attribute.logicalName;
  switch (request.method) {
    case 'GET': {
      const value = record[column];
      if (value === null || value === undefined) return emptyResponse(204);
      return jsonResponse(200, {
        '@odata.context': `${ctx.serviceRoot}$metadata#${table.entitySetName}(${id})/${column}`,
        value,
      });
    }
    case 'PUT': {
      const body = parseJsonBody(request, table.entitySetName);
      if (!isJsonObject(body) || !('value' in body))
        throw dataverseErrors.invalidJson(
          table.entitySetName,
          'A single property PUT needs a body of the form {"value": …}.',
        );
      updateRecord(ctx, table, id, record, { [column]: body['value'] });
      return emptyResponse(204);
    }
    case 'DELETE':
      updateRecord(ctx, table, id, record, { [column]: null });
      return emptyResponse(204);
    default:
      throw dataverseErrors.methodNotAllowed(request.method, request.url.pathname);
  }
}

function referenceUri(request: EmulatorRequest, entitySet: string): string {
  const body = parseJsonBody(request, entitySet);
  const uri = isJsonObject(body) ? body['@odata.id'] : undefined;
  if (typeof uri !== 'string')
    throw dataverseErrors.invalidJson(entitySet, 'A $ref body must be {"@odata.id": "<record uri>"}.');
  return uri;
}
