import { dataverseErrors } from '../errors.js';
import type { OperationContext } from '../environment.js';
import type { LookupValue } from '../persistence/record-store.js';
import type { EmulatorRequest, EmulatorResponse } from '../protocol/emulator-request.js';
import { emptyResponse } from '../protocol/responses.js';
import { isJsonObject } from '../records/record-payload.js';
import { createRecord } from '../records/record-writer.js';
import { parseJsonBody } from './handler-context.js';

/** `list.createdfromcode` ("Targeted At", list.md): which table a list's members come from. */
const MEMBER_TABLES: Readonly<Record<number, string>> = { 1: 'account', 2: 'contact', 4: 'lead' };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `POST AddListMembersList`, the unbound action behind the SDK's AddListMembersListRequest (Web API
 * action reference, mt607641: parameters `List` — a list — and `Members` — a collection of
 * crmbaseentity —, no return value). Each member becomes a `listmember` row of the list; members
 * already in it are left as they are. Members must be rows of the table the list targets, and the
 * list must be static (dynamic lists take their members from a query).
 */
export function addListMembersHandler(ctx: OperationContext, request: EmulatorRequest): EmulatorResponse {
  const body = parseJsonBody(request, 'AddListMembersList');
  if (!isJsonObject(body)) throw dataverseErrors.invalidArgument('AddListMembersList takes a JSON object.');
  const listTable = ctx.env.catalog.require('list');
  const listId = entityId(body['List'], 'list', 'listid');
  const list = ctx.tx.get('list', listId);
  if (!list) throw dataverseErrors.recordNotFound('list', listId);
  if (list['type'] === true)
    throw dataverseErrors.invalidArgument('Members cannot be added to a dynamic marketing list.');
  const memberTableName = MEMBER_TABLES[Number(list['createdfromcode'])];
  if (memberTableName === undefined)
    throw dataverseErrors.invalidArgument(`The list ${listId} does not target accounts, contacts or leads.`);
  const memberTable = ctx.env.catalog.require(memberTableName);
  const members = body['Members'];
  if (!Array.isArray(members) || members.length === 0)
    throw dataverseErrors.invalidArgument(
      "The parameter 'Members' is required and must hold at least one record.",
    );

  const inList = new Set<string>();
  for (const row of ctx.tx.rows('listmember')) {
    const owner = row['listid'] as LookupValue | null | undefined;
    const entity = row['entityid'] as LookupValue | null | undefined;
    if (owner?.id === listId && entity) inList.add(entity.id);
  }
  for (const member of members) {
    const type = isJsonObject(member) ? member['@odata.type'] : undefined;
    if (
      type !== `Microsoft.Dynamics.CRM.${memberTableName}` &&
      type !== `#Microsoft.Dynamics.CRM.${memberTableName}`
    )
      throw dataverseErrors.invalidArgument(
        `The list ${listId} is targeted at ${memberTableName} records; a member of type ${JSON.stringify(type ?? null)} cannot be added.`,
      );
    const id = entityId(member, memberTableName, memberTable.primaryIdAttribute);
    if (!ctx.tx.get(memberTableName, id)) throw dataverseErrors.recordNotFound(memberTableName, id);
    if (inList.has(id)) continue;
    inList.add(id);
    createRecord(ctx, ctx.env.catalog.require('listmember'), {
      [`listid@odata.bind`]: `/${listTable.entitySetName}(${listId})`,
      [`entityid_${memberTableName}@odata.bind`]: `/${memberTable.entitySetName}(${id})`,
    });
  }
  return emptyResponse(204);
}

/** The key of an entity-typed action parameter (`{"listid": "<guid>"}`). */
function entityId(value: unknown, table: string, primaryIdAttribute: string): string {
  const id = isJsonObject(value) ? value[primaryIdAttribute] : undefined;
  if (typeof id !== 'string' || !GUID.test(id))
    throw dataverseErrors.invalidArgument(
      `Each ${table} parameter needs its '${primaryIdAttribute}' as a GUID.`,
    );
  return id.toLowerCase();
}
