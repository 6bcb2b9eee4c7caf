import type {
  DryRunRequest,
  DryRunResult,
  ReplayRequest,
  SyncLogEntryView,
  SyncLogPage,
  SyncLogQuery,
  SyncStatus,
} from '../contracts/index.js';
import type {
  AuditLog,
  CrmConnection,
  CrmConnectionRepository,
  InboundLeadRepository,
  JobQueue,
  LeadSource,
  LeadSourceRepository,
  RequestCounter,
  SyncLogEntry,
  SyncLogRepository,
} from '../domain/index.js';
import { plannedReason } from '../matching/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { crmDeepLink } from './crm-record-id.js';
import type { LeadSyncProcessor } from './lead-sync-processor.js';
import type { PlannedLead } from './lead-sync-planner.js';
import { checkLead } from '../capture/capture-payload.js';
import { idempotencyKeyFor } from '../capture/idempotency-key.js';

export interface SyncServiceDeps {
  readonly leads: InboundLeadRepository;
  readonly sources: Pick<LeadSourceRepository, 'get'>;
  readonly jobs: JobQueue;
  readonly syncLog: SyncLogRepository;
  readonly connections: Pick<CrmConnectionRepository, 'get' | 'getPrimary' | 'list'>;
  readonly requestCounts: RequestCounter;
  readonly processor: Pick<LeadSyncProcessor, 'dryRun'>;
  readonly audit: AuditLog;
  /** Replayed work is due now: wake the worker. */
  readonly onRequeued?: () => void;
  readonly now?: () => Date;
}

interface Actor {
  readonly user?: { readonly id: string };
}

/** Reads of the sync engine for people (status, the sync log) and what they can ask of it (replay, dry run). */
export class SyncService {
  private readonly now: () => Date;

  constructor(private readonly deps: SyncServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async status(): Promise<SyncStatus> {
    const day = this.now().toISOString().slice(0, 10);
    const connections = await this.deps.connections.list();
    return {
      jobs: { ...(await this.deps.jobs.counts()) },
      leads: { ...(await this.deps.leads.countByStatus()) },
      connections: await Promise.all(
        connections.map(async (connection) => ({
          id: connection.id,
          name: connection.name,
          status: connection.status,
          ...(connection.statusReason && { statusReason: connection.statusReason }),
          ...(connection.throttledUntil && { throttledUntil: connection.throttledUntil }),
          requestsToday: await this.deps.requestCounts.get(connection.id, day),
        })),
      ),
    };
  }

  async log(query: SyncLogQuery): Promise<SyncLogPage> {
    const page = await this.deps.syncLog.list(definedOnly(query));
    const urls = await this.environmentUrls();
    return {
      entries: page.entries.map((entry) => view(entry, urls)),
      ...(page.next && { next: page.next }),
    };
  }

  async logEntry(id: string): Promise<SyncLogEntryView> {
    const entry = await this.deps.syncLog.get(id);
    if (!entry) throw new LeadbridgeError('not_found', `There is no sync-log entry ${id}.`);
    return view(entry, await this.environmentUrls());
  }

  /** Leads back into their connection's queue, due now, attempts reset. */
  async replay(request: ReplayRequest, actor: Actor): Promise<{ requeued: number }> {
    const leadIds = 'leadIds' in request ? request.leadIds : await this.failedLeadIds(request.sourceId);
    const leads = await this.deps.leads.getMany(leadIds);
    if ('leadIds' in request && leads.length !== new Set(leadIds).size)
      throw new LeadbridgeError('not_found', 'Some of the leads do not exist.');
    const byQueue = new Map<string, string[]>();
    for (const lead of leads) {
      const source = await this.deps.sources.get(lead.sourceId);
      if (!source) continue;
      const connection = await this.connectionOf(source);
      byQueue.set(connection.id, [...(byQueue.get(connection.id) ?? []), lead.id]);
    }
    let requeued = 0;
    for (const [queue, ids] of byQueue) requeued += await this.deps.jobs.requeue(ids, queue);
    await this.deps.leads.recordOutcomes(
      leads.map((lead) => ({ id: lead.id, status: 'pending', statusReason: 'Queued again (replay).' })),
    );
    await this.deps.audit.append({
      ...(actor.user && { actorUserId: actor.user.id }),
      action: 'sync.replay',
      details: { leads: leads.length, ...('sourceId' in request && { sourceId: request.sourceId }) },
    });
    if (requeued > 0) this.deps.onRequeued?.();
    return { requeued };
  }

  async dryRun(request: DryRunRequest): Promise<DryRunResult> {
    const source = await this.deps.sources.get(request.sourceId);
    if (!source) throw new LeadbridgeError('not_found', `There is no lead source ${request.sourceId}.`);
    const connection = await this.connectionOf(source);
    const items =
      'leads' in request
        ? request.leads.map((payload, index) => ({
            ref: `row ${index + 1}`,
            source,
            idempotencyKey: idempotencyKeyFor(source.id, payload),
            payload,
          }))
        : (await this.leadsToDryRun(source, request.leadIds)).map((lead) => ({
            ref: lead.id,
            source,
            idempotencyKey: lead.idempotencyKey,
            payload: lead.payload,
          }));
    // Rows the capture would refuse (the source's own field rules) fail here too, before any look-up.
    const refused = new Map<string, string>();
    if ('leads' in request)
      for (const item of items) {
        const issues = checkLead(item.payload, source.fields);
        if (issues.length > 0) refused.set(item.ref, issues.map((issue) => issue.message).join('; '));
      }
    const plan = await this.deps.processor.dryRun(
      connection,
      items.filter((item) => !refused.has(item.ref)),
    );
    const planned = new Map(plan.leads.map((lead) => [lead.ref, dryRunView(lead)]));
    const leads = items.map(
      (item) =>
        planned.get(item.ref) ?? {
          ref: item.ref,
          action: 'fail' as const,
          reason: `The capture would refuse it: ${refused.get(item.ref) ?? 'invalid'}`,
        },
    );
    const summary: Record<string, number> = { create: 0, update: 0, skip: 0, fail: 0 };
    for (const lead of leads) summary[lead.action] = (summary[lead.action] ?? 0) + 1;
    return { summary, leads, lookups: plan.queries };
  }

  private async leadsToDryRun(source: LeadSource, leadIds: readonly string[] | undefined) {
    if (leadIds)
      return (await this.deps.leads.getMany(leadIds)).filter((lead) => lead.sourceId === source.id);
    const pending = await this.deps.leads.list({ sourceId: source.id, status: 'pending', limit: 1_000 });
    if (pending.leads.length > 0) return pending.leads;
    return (await this.deps.leads.list({ sourceId: source.id, status: 'failed', limit: 1_000 })).leads;
  }

  private async failedLeadIds(sourceId: string): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const page = await this.deps.leads.list({
        sourceId,
        status: 'failed',
        limit: 1_000,
        ...(after && { after }),
      });
      ids.push(...page.leads.map((lead) => lead.id));
      after = page.next;
    } while (after);
    return ids;
  }

  private async connectionOf(source: LeadSource): Promise<CrmConnection> {
    const connection = source.connectionId
      ? await this.deps.connections.get(source.connectionId)
      : await this.deps.connections.getPrimary();
    if (!connection) throw new LeadbridgeError('no_crm_connection');
    return connection;
  }

  private async environmentUrls(): Promise<Map<string, string>> {
    const connections = await this.deps.connections.list();
    return new Map(connections.map((c) => [c.id, c.environmentUrl]));
  }
}

function view(entry: SyncLogEntry, urls: Map<string, string>): SyncLogEntryView {
  const environmentUrl = urls.get(entry.connectionId);
  const { dryRun: _dryRun, ...rest } = entry;
  return {
    ...(rest as Omit<SyncLogEntryView, 'recordUrl'>),
    ...(entry.table &&
      entry.recordId &&
      environmentUrl &&
      entry.outcome !== 'failed' && {
        recordUrl: crmDeepLink(environmentUrl, entry.table, entry.recordId),
      }),
  };
}

function dryRunView(planned: PlannedLead): DryRunResult['leads'][number] {
  switch (planned.kind) {
    case 'invalid':
      return {
        ref: planned.ref,
        action: 'fail',
        ...(planned.table && { table: planned.table }),
        reason: planned.reason,
      };
    case 'done':
      return {
        ref: planned.ref,
        action: 'skip',
        table: planned.table,
        recordId: planned.id,
        reason: `Would skip: it is in the CRM already, as ${planned.table} ${planned.id}, written by an earlier sync.`,
      };
    case 'skip':
      return {
        ref: planned.ref,
        action: 'skip',
        ...(planned.decision.table && { table: planned.decision.table }),
        ...(planned.decision.recordId && { recordId: planned.decision.recordId }),
        reason: plannedReason(planned.decision),
      };
    case 'write':
      return {
        ref: planned.ref,
        action: planned.decision.action === 'create' ? 'create' : 'update',
        table: planned.write.table,
        recordId: planned.decision.recordId ?? planned.write.id,
        reason: plannedReason(planned.decision),
        payload: planned.write.values,
      };
  }
}

/** zod's optional fields are `T | undefined`; the domain's filters are absent-or-T. */
function definedOnly<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}
