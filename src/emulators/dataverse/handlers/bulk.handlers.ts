import { dataverseErrors } from '../errors.js';
import type { OperationContext } from '../environment.js';
import type { TableModel } from '../metadata/table-catalog.js';
import type { EmulatorRequest, EmulatorResponse } from '../protocol/emulator-request.js';
import { emptyResponse, jsonResponse } from '../protocol/responses.js';
import { isJsonObject } from '../records/record-payload.js';
import { createRecord, updateRecord } from '../records/record-writer.js';
import { parseJsonBody, type RecordRoute } from './handler-context.js';

export const BULK_ACTIONS = ['CreateMultiple', 'UpdateMultiple', 'UpsertMultiple'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** Dataverse documents CreateMultiple/UpdateMultiple for batches up to about 1,000 rows; we allow the same. */
const MAX_TARGETS = 1000;

/**
 * `POST /{entityset}/Microsoft.Dynamics.CRM.CreateMultiple` and its siblings (MSDocs bulk-operations):
 * one atomic write of many rows of one table; `Targets` entries carry `@odata.type`.
 */
export function bulkWriteHandler(action: BulkAction) {
  return (ctx: OperationContext, route: RecordRoute, request: EmulatorRequest): EmulatorResponse => {
    const { table } = route;
    if (!table.definition.messages.includes(action) && !table.definition.messages.includes('Create'))
      throw dataverseErrors.readOnlyTable(table.logicalName, action);
    const targets = readTargets(table, parseJsonBody(request, table.entitySetName));
    const ids: string[] = [];
    for (const target of targets) {
      if (action === 'CreateMultiple') {
        ids.push(createRecord(ctx, table, target).id);
        continue;
      }
      const id = target[table.primaryIdAttribute];
      if (typeof id !== 'string') {
        if (action === 'UpdateMultiple')
          throw dataverseErrors.invalidArgument(
            `Each target of UpdateMultiple needs its primary key '${table.primaryIdAttribute}'.`,
          );
        ids.push(createRecord(ctx, table, target).id);
        continue;
      }
      const existing = ctx.tx.get(table.logicalName, id.toLowerCase());
      if (existing) updateRecord(ctx, table, id.toLowerCase(), existing, target);
      else if (action === 'UpdateMultiple') throw dataverseErrors.recordNotFound(table.logicalName, id);
      else createRecord(ctx, table, target);
    }
    if (action === 'CreateMultiple')
      return jsonResponse(200, {
        '@odata.context': `${ctx.serviceRoot}$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse`,
        Ids: ids,
      });
    return emptyResponse(204);
  };
}

function readTargets(table: TableModel, body: unknown): Record<string, unknown>[] {
  if (!isJsonObject(body) || !Array.isArray(body['Targets']))
    throw dataverseErrors.invalidJson(
      table.entitySetName,
      "The parameter 'Targets' is required and must be a collection of records.",
    );
  const targets = body['Targets'];
  if (targets.length === 0) throw dataverseErrors.invalidArgument("The 'Targets' collection is empty.");
  if (targets.length > MAX_TARGETS)
    throw dataverseErrors.invalidArgument(
      `The 'Targets' collection holds ${targets.length} records; at most ${MAX_TARGETS} are allowed.`,
    );
  return targets.map((target: unknown) => {
    if (!isJsonObject(target))
      throw dataverseErrors.invalidJson(table.entitySetName, 'Each entry of Targets must be a JSON object.');
    const type = target['@odata.type'];
    if (type !== `Microsoft.Dynamics.CRM.${table.logicalName}`)
      throw dataverseErrors.invalidArgument(
        `Each entry of Targets needs "@odata.type": "Microsoft.Dynamics.CRM.${table.logicalName}" (got ${JSON.stringify(type ?? null)}).`,
      );
    return target;
  });
}
