import type { CrmTable } from '../../domain/index.js';
import { LeadbridgeError } from '../../shared/errors.js';

export interface CrmTableNames {
  readonly logicalName: CrmTable;
  readonly entitySetName: string;
  readonly primaryIdAttribute: string;
}

/**
 * The names of the tables the app syncs. They are system tables whose entity set and primary key are
 * fixed by Dataverse (protocols/dataverse.md §1.1, §5.2), so record calls need no metadata request
 * first; the metadata is still read (and cached) where its contents matter.
 */
const NAMES: Readonly<Record<CrmTable, CrmTableNames>> = {
  lead: { logicalName: 'lead', entitySetName: 'leads', primaryIdAttribute: 'leadid' },
  contact: { logicalName: 'contact', entitySetName: 'contacts', primaryIdAttribute: 'contactid' },
  account: { logicalName: 'account', entitySetName: 'accounts', primaryIdAttribute: 'accountid' },
};

export function crmTableNames(table: CrmTable): CrmTableNames {
  const names = NAMES[table] as CrmTableNames | undefined;
  if (names === undefined)
    throw new LeadbridgeError('crm_validation_failed', `'${String(table)}' is not a table Leadbridge syncs.`);
  return names;
}
