import type { CrmTable } from './crm-metadata.js';

/**
 * A lead as it arrived from a source, kept verbatim, plus where its sync stands. The payload is the
 * source's own field names and values; mapping to CRM columns happens in the sync engine.
 */
export type LeadStatus =
  /** Waiting for (or between) sync attempts. */
  | 'pending'
  | 'synced'
  /** The decision was "do nothing" (duplicate with no action, or create action none). */
  | 'skipped'
  /** A permanent failure: dead-lettered with its reason, replayable after a fix. */
  | 'failed';

export type LeadPayload = Readonly<Record<string, string | number | boolean | null>>;

export interface InboundLead {
  readonly id: string;
  readonly sourceId: string;
  /** `externalId`, the `Idempotency-Key` header, or a hash of the payload; unique per source. */
  readonly idempotencyKey: string;
  readonly payload: LeadPayload;
  readonly status: LeadStatus;
  readonly attempts: number;
  readonly crmTable?: CrmTable;
  readonly crmRecordId?: string;
  /** Plain words: the last decision or failure. */
  readonly statusReason?: string;
  /** The record's mapped columns as Dynamics 365 last reported them (two-way sync). */
  readonly crmValues?: Readonly<Record<string, unknown>>;
  /** `modifiedon` of that report. */
  readonly crmModifiedOn?: string;
  readonly receivedAt: string;
  readonly updatedAt: string;
}

export interface NewInboundLead {
  readonly sourceId: string;
  readonly idempotencyKey: string;
  readonly payload: LeadPayload;
}

export interface AcceptedLead {
  readonly id: string;
  /** True when this idempotency key was already known: nothing new was stored or enqueued. */
  readonly duplicate: boolean;
}

export interface LeadOutcomeUpdate {
  readonly id: string;
  readonly status: LeadStatus;
  readonly crmTable?: CrmTable;
  readonly crmRecordId?: string;
  readonly statusReason?: string;
}

/** What a sync cycle learnt from the CRM about a lead's record. */
export interface LeadCrmChange {
  readonly id: string;
  readonly crmValues: Readonly<Record<string, unknown>>;
  readonly crmModifiedOn: string;
  readonly statusReason: string;
}

export interface LeadFilter {
  readonly sourceId?: string;
  readonly status?: LeadStatus;
  readonly limit?: number;
  /** Opaque cursor from the previous page. */
  readonly after?: string;
}

export interface InboundLeadRepository {
  /**
   * Stores new leads and one sync job each (queue = `connectionId`) in one transaction; a known
   * idempotency key returns the stored lead's id with `duplicate: true` and enqueues nothing.
   * Results are in input order.
   */
  accept(
    leads: readonly NewInboundLead[],
    job: { readonly connectionId: string },
  ): Promise<readonly AcceptedLead[]>;
  get(id: string): Promise<InboundLead | undefined>;
  getMany(ids: readonly string[]): Promise<readonly InboundLead[]>;
  list(filter: LeadFilter): Promise<{ readonly leads: readonly InboundLead[]; readonly next?: string }>;
  recordOutcomes(updates: readonly LeadOutcomeUpdate[]): Promise<void>;
  countByStatus(sourceId?: string): Promise<Readonly<Record<LeadStatus, number>>>;
  /** Leads whose CRM record is one of these (ids compared case-insensitively). */
  findByCrmRecordIds(ids: readonly string[]): Promise<readonly InboundLead[]>;
  recordCrmChanges(changes: readonly LeadCrmChange[]): Promise<void>;
}
