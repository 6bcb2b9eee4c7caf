import type { CrmTable } from '../../domain/index.js';
import { chunksOf } from './bulk-writes.js';
import { crmTableNames } from './crm-table-names.js';
import type { DataverseClient } from './dataverse-client.js';
import { DataverseError } from './dataverse-error.js';
import { isGuid } from './odata-syntax.js';

/** Members per request: the action documents no limit; stay at the bulk messages' size. */
const MEMBERS_PER_REQUEST = 1000;

/**
 * Adds records to a static marketing list with the unbound `AddListMembersList` action (Web API
 * action reference: parameters `List`, a list entity, and `Members`, a collection of entities; no
 * return value). The list's "Targeted at" (`createdfromcode`) must be the records' table.
 */
export async function addToMarketingList(
  client: DataverseClient,
  listId: string,
  table: CrmTable,
  recordIds: readonly string[],
): Promise<void> {
  const names = crmTableNames(table);
  for (const id of [listId, ...recordIds])
    if (!isGuid(id)) throw new DataverseError('crm_validation_failed', `'${id}' is not a GUID.`, undefined);
  const members = [...new Set(recordIds.map((id) => id.toLowerCase()))];
  for (const chunk of chunksOf(members, MEMBERS_PER_REQUEST))
    await client.callAction('AddListMembersList', {
      List: { '@odata.type': 'Microsoft.Dynamics.CRM.list', listid: listId.toLowerCase() },
      Members: chunk.map((id) => ({
        '@odata.type': `Microsoft.Dynamics.CRM.${names.logicalName}`,
        [names.primaryIdAttribute]: id,
      })),
    });
}
