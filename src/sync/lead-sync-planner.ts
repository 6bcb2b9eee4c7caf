import { applyMapping } from '../capture/field-mapping.js';
import type {
  CrmRecord,
  CrmRecordQuery,
  CrmTable,
  FieldMapping,
  LeadPayload,
  LeadSource,
  MatchingStrategy,
  TableMetadata,
} from '../domain/index.js';
import {
  decideByPolicy,
  decideByStrategy,
  matchSubjectFrom,
  planLookups,
  type MatchSubject,
  type SyncDecision,
} from '../matching/index.js';
import { CandidatePool } from './candidate-pool.js';
import { crmRecordIdFor } from './crm-record-id.js';

/** One lead to plan: stored (its id) or, for a dry run of a file, not yet stored (a row number). */
export interface PlanItem {
  readonly ref: string;
  readonly source: LeadSource;
  readonly idempotencyKey: string;
  readonly payload: LeadPayload;
  /** The record this lead created or updated before, and what the CRM last reported of it. */
  readonly crmRecordId?: string;
  readonly crmValues?: Readonly<Record<string, unknown>>;
}

export interface PlannedWrite {
  readonly kind: 'create' | 'update';
  readonly table: CrmTable;
  readonly id: string;
  values: Record<string, unknown>;
}

export type PlannedLead =
  | {
      readonly ref: string;
      readonly kind: 'write';
      readonly decision: SyncDecision;
      readonly write: PlannedWrite;
    }
  | {
      readonly ref: string;
      readonly kind: 'skip';
      readonly decision: SyncDecision;
      readonly mapped?: Record<string, unknown>;
    }
  /** An earlier attempt created this lead's record (found by its deterministic id): done. */
  | {
      readonly ref: string;
      readonly kind: 'done';
      readonly table: CrmTable;
      readonly id: string;
      readonly reason: string;
    }
  /** A permanent problem with the lead itself (mapping): dead-lettered, replayable after a fix. */
  | { readonly ref: string; readonly kind: 'invalid'; readonly reason: string; readonly table?: CrmTable };

export interface PlanContext {
  readonly connectionId: string;
  metadata(table: CrmTable): Promise<TableMetadata>;
  find(queries: readonly CrmRecordQuery[]): Promise<readonly (readonly CrmRecord[])[]>;
  strategy(): Promise<MatchingStrategy>;
  /** The connection's Lead Source choice (CRM settings), set on new leads the mapping leaves without one. */
  readonly leadSourceCode?: number;
  readonly now: Date;
}

export interface LeadSyncPlan {
  readonly leads: readonly PlannedLead[];
  /** Look-up queries sent (all in one `$batch` per source). */
  readonly queries: number;
}

/**
 * Steps 3–5 of the main flow for one batch: map every lead, look up duplicates for the whole batch
 * at once, and decide per lead. Leads earlier in the batch count as existing records for later ones,
 * so two deliveries of the same person in one batch make one record, not two.
 */
export async function planLeadSync(context: PlanContext, items: readonly PlanItem[]): Promise<LeadSyncPlan> {
  const bySource = new Map<string, PlanItem[]>();
  for (const item of items) bySource.set(item.source.id, [...(bySource.get(item.source.id) ?? []), item]);
  const planned = new Map<string, PlannedLead>();
  let queries = 0;
  for (const group of bySource.values()) {
    const result = await planSourceGroup(context, group);
    queries += result.queries;
    for (const lead of result.leads) planned.set(lead.ref, lead);
  }
  return { leads: items.map((item) => planned.get(item.ref)!), queries };
}

async function planSourceGroup(context: PlanContext, items: readonly PlanItem[]): Promise<LeadSyncPlan> {
  const source = items[0]!.source;
  const mapper = new LeadMapper(context, source);
  const subjects: { item: PlanItem; subject: MatchSubject }[] = [];
  const leads = new Map<string, PlannedLead>();
  for (const item of items) {
    const mapped = await mapper.map(mapper.subjectTable, item.payload);
    if (!mapped.ok) {
      leads.set(item.ref, {
        ref: item.ref,
        kind: 'invalid',
        reason: mapped.reason,
        table: mapper.subjectTable,
      });
      continue;
    }
    subjects.push({ item, subject: matchSubjectFrom(mapped.record, item.payload) });
  }

  const strategy = source.duplicates.mode === 'strategy' ? await context.strategy() : undefined;
  const rule = source.duplicates.mode === 'policy' ? source.duplicates.policy : strategy!;
  const lookups = planLookups(
    subjects.map((s) => s.subject),
    rule,
  );
  const found = lookups.length > 0 ? await context.find(lookups) : [];
  const candidates = new CandidatePool();
  for (const record of found.flat()) candidates.add(record);

  const writes = new Map<string, PlannedWrite>();
  for (const { item, subject } of subjects) {
    const ownId = crmRecordIdFor(context.connectionId, source.id, item.idempotencyKey);
    const own = candidates.get(ownId);
    if (own) {
      leads.set(item.ref, {
        ref: item.ref,
        kind: 'done',
        table: own.table,
        id: own.id,
        reason: `Created ${own.table} ${own.id} in an earlier attempt (found again after a retry).`,
      });
      continue;
    }
    const decision =
      'pairs' in rule
        ? decideByStrategy(rule, subject, candidates.leads())
        : decideByPolicy(rule, subject, candidates.forSubject(subject));
    if (decision.action === 'skip' || decision.table === undefined) {
      leads.set(item.ref, { ref: item.ref, kind: 'skip', decision });
      continue;
    }
    const table = decision.table;
    const mapped = await mapper.map(table, item.payload);
    if (!mapped.ok) {
      leads.set(item.ref, { ref: item.ref, kind: 'invalid', reason: mapped.reason, table });
      continue;
    }
    if (decision.action === 'create') {
      const values = { ...mapped.record, ...mapper.creationDefaults(table, mapped.record) };
      const write: PlannedWrite = { kind: 'create', table, id: ownId, values };
      writes.set(ownId, write);
      candidates.add({
        table,
        id: ownId,
        createdOn: context.now.toISOString(),
        modifiedOn: context.now.toISOString(),
        values: mapped.record,
      });
      leads.set(item.ref, {
        ref: item.ref,
        kind: 'write',
        decision,
        write,
      });
      continue;
    }
    const recordId = decision.recordId!;
    // Several leads of one batch updating one record (or a record this batch creates) become one write.
    const pending = writes.get(recordId);
    const write: PlannedWrite = pending ?? { kind: 'update', table, id: recordId, values: {} };
    write.values = { ...write.values, ...keepCrmEdits(source, item, recordId, mapped.record) };
    writes.set(recordId, write);
    leads.set(item.ref, { ref: item.ref, kind: 'write', decision, write });
  }
  return { leads: items.map((item) => leads.get(item.ref)!), queries: lookups.length };
}

/**
 * Two-way sync's rule on the way out: when a lead is synced again to its own record, columns someone
 * changed in Dynamics 365 are left as the CRM has them, unless the source says Leadbridge wins them.
 */
function keepCrmEdits(
  source: LeadSource,
  item: PlanItem,
  recordId: string,
  values: Record<string, unknown>,
): Record<string, unknown> {
  if (!item.crmValues || item.crmRecordId?.toLowerCase() !== recordId.toLowerCase()) return values;
  const kept: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(values)) {
    const crmValue = item.crmValues[column];
    const crmEdited = crmValue !== undefined && crmValue !== value;
    if (!crmEdited || source.fieldRules?.[column] === 'leadbridge') kept[column] = value;
  }
  return kept;
}

/** Applies a source's mappings with the table's live metadata, loading each table's metadata once. */
class LeadMapper {
  readonly subjectTable: CrmTable;

  constructor(
    private readonly context: PlanContext,
    private readonly source: LeadSource,
  ) {
    this.subjectTable = source.mappings.lead ? 'lead' : source.mappings.contact ? 'contact' : 'lead';
  }

  async map(
    table: CrmTable,
    payload: LeadPayload,
  ): Promise<{ ok: true; record: Record<string, unknown> } | { ok: false; reason: string }> {
    const metadata = await this.context.metadata(table);
    const mapping = this.mappingFor(table, metadata);
    if (!mapping)
      return { ok: false, reason: `The source "${this.source.name}" has no mapping for the ${table} table.` };
    const result = applyMapping(mapping, payload, metadata);
    if (result.ok) return { ok: true, record: result.record };
    return {
      ok: false,
      reason: `Mapping to ${table} failed: ${result.errors.map((error) => error.message).join('; ')}`,
    };
  }

  /**
   * A source mapped only for leads can still create contacts (policy "create contact"): its lead
   * mapping is used for the columns the contact table also has (companyname, for one, it lacks).
   */
  private mappingFor(table: CrmTable, metadata: TableMetadata): FieldMapping | undefined {
    const own = this.source.mappings[table];
    if (own) return own;
    const lead = this.source.mappings.lead;
    if (table !== 'contact' || !lead) return undefined;
    return { table, columns: lead.columns.filter((column) => metadata.columns.has(column.column)) };
  }

  /** Owner, campaign and Lead Source for a new record, unless the mapping already set them. */
  creationDefaults(table: CrmTable, record: Record<string, unknown>): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    if (this.source.ownerSystemUserId)
      defaults['ownerid@odata.bind'] = `/systemusers(${this.source.ownerSystemUserId})`;
    if (table === 'lead') {
      if (this.source.campaignId) defaults['campaignid@odata.bind'] = `/campaigns(${this.source.campaignId})`;
      if (record['leadsourcecode'] === undefined && this.context.leadSourceCode !== undefined)
        defaults['leadsourcecode'] = this.context.leadSourceCode;
    }
    return defaults;
  }
}
