import type { TableCatalog, TableModel } from './metadata/table-catalog.js';
import type { RecordStore, StoreTransaction } from './persistence/record-store.js';
import type { Preferences } from './protocol/prefer-header.js';

/** The organisation the emulator pretends to be. */
export interface EmulatorOrganization {
  readonly organizationId: string;
  readonly name: string;
  readonly businessUnitId: string;
  readonly baseCurrencyId: string;
}

/** An alternate key (MSDocs define-alternate-keys-entity): none exist out of the box. */
export interface AlternateKey {
  readonly name: string;
  readonly attributes: readonly string[];
}

/** A published duplicate detection rule: same value of `attribute` on `baseTable` and `matchingTable`. */
export interface DuplicateRule {
  readonly name: string;
  readonly baseTable: string;
  readonly matchingTable: string;
  readonly attribute: string;
}

export interface EnvironmentSettings {
  readonly alternateKeys: Readonly<Record<string, readonly AlternateKey[]>>;
  readonly duplicateRules: readonly DuplicateRule[];
  /** Tables with ChangeTrackingEnabled = true. */
  readonly changeTracking: ReadonlySet<string>;
}

/** Out-of-the-box duplicate detection rules on email, as a new Dynamics 365 organisation has them. */
export const DEFAULT_DUPLICATE_RULES: readonly DuplicateRule[] = [
  {
    name: 'Leads with the same e-mail address',
    baseTable: 'lead',
    matchingTable: 'lead',
    attribute: 'emailaddress1',
  },
  {
    name: 'Contacts with the same e-mail address',
    baseTable: 'contact',
    matchingTable: 'contact',
    attribute: 'emailaddress1',
  },
  {
    name: 'Accounts with the same e-mail address',
    baseTable: 'account',
    matchingTable: 'account',
    attribute: 'emailaddress1',
  },
];

export const DEFAULT_CHANGE_TRACKING: ReadonlySet<string> = new Set([
  'account',
  'contact',
  'lead',
  'opportunity',
  'systemuser',
  'position',
  'team',
  'businessunit',
  'campaign',
  'list',
  'listmember',
  'task',
  'phonecall',
  'annotation',
]);

/** Everything a Web API operation works against, shared by all requests of one emulator. */
export interface DataverseEnvironment {
  readonly catalog: TableCatalog;
  readonly store: RecordStore;
  readonly organization: EmulatorOrganization;
  readonly settings: EnvironmentSettings;
  readonly now: () => Date;
  readonly newGuid: () => string;
}

/** The Dataverse user a request runs as (application user or person). */
export interface Caller {
  readonly systemUserId: string;
  readonly businessUnitId: string;
  /**
   * The authenticated user when they impersonate `systemUserId` (CallerObjectId, MSCRMCallerID):
   * Dataverse records them as createdonbehalfby / modifiedonbehalfby.
   */
  readonly delegateUserId?: string;
}

/** A row addressed by table and id. */
export interface RecordRef {
  readonly table: TableModel;
  readonly id: string;
}

/** One operation's view of the world: a transaction, the caller, preferences and batch references. */
export interface OperationContext {
  readonly env: DataverseEnvironment;
  readonly tx: StoreTransaction;
  readonly caller: Caller;
  readonly now: Date;
  /** e.g. https://127.0.0.1:8443/api/data/v9.2/ */
  readonly serviceRoot: string;
  readonly preferences: Preferences;
  /** Content-ID → created row, inside a `$batch` change set. */
  readonly contentIds: ReadonlyMap<string, RecordRef>;
  readonly detectDuplicates: boolean;
}
