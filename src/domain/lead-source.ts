import type { DuplicateHandling } from './duplicate-policy.js';
import type { SourceMappings } from './field-mapping.js';

/** Where leads come from. Each kind has its own way in; all share mapping, duplicates and sync. */
export type SourceKind = 'api' | 'form' | 'csv' | 'partner' | 'linkedin' | 'workspace';
export const SOURCE_KINDS: readonly SourceKind[] = ['api', 'form', 'csv', 'partner', 'linkedin', 'workspace'];

export type FieldRule = 'crm' | 'leadbridge';

export type SourceFieldType = 'text' | 'email' | 'phone' | 'textarea' | 'select' | 'checkbox' | 'number';

/** A field a source delivers (and a hosted form asks for). */
export interface SourceField {
  /** Key in the lead payload, e.g. `email`, `firstName`. */
  readonly name: string;
  readonly label: string;
  readonly type: SourceFieldType;
  readonly required: boolean;
  readonly maxLength?: number;
  /** For `select`. */
  readonly options?: readonly string[];
}

export interface LeadSource {
  readonly id: string;
  readonly name: string;
  readonly kind: SourceKind;
  /** The CRM connection leads go to; absent means the organisation's primary connection. */
  readonly connectionId?: string;
  readonly fields: readonly SourceField[];
  readonly mappings: SourceMappings;
  readonly duplicates: DuplicateHandling;
  /** CRM systemuser id that owns created records; absent leaves Dataverse's default (the caller). */
  readonly ownerSystemUserId?: string;
  /** CRM campaign (`campaignid`) created leads are linked to through `campaignid`. */
  readonly campaignId?: string;
  /** CRM marketing list (`listid`) created records are added to. */
  readonly marketingListId?: string;
  /**
   * Two-way sync: which side wins per CRM column when a record Leadbridge created is changed in
   * Dynamics 365. `crm` (the default for every column) keeps the CRM's value and stops Leadbridge
   * from writing that column to the record again; `leadbridge` writes Leadbridge's value back.
   */
  readonly fieldRules?: Readonly<Record<string, FieldRule>>;
  /** Scheduled sync cycle in minutes (default 5). */
  readonly syncIntervalMinutes: number;
  readonly enabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type NewLeadSource = Omit<LeadSource, 'id' | 'createdAt' | 'updatedAt'>;
export type LeadSourceChanges = Partial<NewLeadSource>;

export interface LeadSourceRepository {
  create(input: NewLeadSource): Promise<LeadSource>;
  get(id: string): Promise<LeadSource | undefined>;
  list(): Promise<readonly LeadSource[]>;
  update(id: string, changes: LeadSourceChanges): Promise<LeadSource>;
  /** Refuses (`conflict`) while the source still has leads waiting to sync. */
  delete(id: string): Promise<void>;
}
