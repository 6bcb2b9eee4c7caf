import type {
  CrmConnection,
  CrmConnectionRepository,
  CrmCredentialSource,
  CrmCredentials,
  CrmRecordGateway,
  CrmSettingsRepository,
  CrmTable,
  CrmWriteOutcome,
  InboundLead,
  InboundLeadRepository,
  Job,
  LeadOutcomeUpdate,
  LeadSource,
  LeadSourceRepository,
  MatchingStrategyRepository,
  NewSyncLogEntry,
  SyncLogRepository,
} from '../domain/index.js';
import type { BatchProcessor, JobResult } from './job-result.js';
import { leadResultOf } from './lead-result.js';
import {
  planLeadSync,
  type LeadSyncPlan,
  type PlanContext,
  type PlanItem,
  type PlannedWrite,
} from './lead-sync-planner.js';
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt, type RetrySchedule } from './retry-schedule.js';
import { classifyFailure, type SyncFailure } from './sync-failure.js';

export interface LeadSyncDependencies {
  readonly leads: InboundLeadRepository;
  readonly sources: Pick<LeadSourceRepository, 'get'>;
  readonly strategies: Pick<MatchingStrategyRepository, 'active'>;
  readonly syncLog: Pick<SyncLogRepository, 'append'>;
  readonly connections: Pick<CrmConnectionRepository, 'get' | 'setStatus'> & CrmCredentialSource;
  readonly settings: Pick<CrmSettingsRepository, 'get'>;
  readonly records: CrmRecordGateway;
  readonly now?: () => Date;
  readonly random?: () => number;
  readonly retry?: RetrySchedule;
}

/** How long work waits for a connection that needs an admin (new secret, new sign-in) before looking again. */
const CONNECTION_WAIT_MS = 60_000;

/**
 * The sync engine's batch step (DESIGN.md §4, steps 3–7) for the jobs of one connection: plan with
 * bulk look-ups, write with bulk creates and updates, then record one outcome per lead and one
 * sync-log row per attempt. Every lead ends the batch done, waiting for a retry, or dead-lettered with
 * its reason; nothing is left half-recorded, because the CRM writes are idempotent and the outcomes
 * are written after them.
 */
export class LeadSyncProcessor {
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly retry: RetrySchedule;

  constructor(private readonly deps: LeadSyncDependencies) {
    this.now = deps.now ?? (() => new Date());
    this.random = deps.random ?? Math.random;
    this.retry = deps.retry ?? DEFAULT_RETRY_SCHEDULE;
  }

  readonly process: BatchProcessor = async (connectionId, jobs) => {
    const connection = await this.deps.connections.get(connectionId);
    if (!connection) {
      return jobs.map((job) => ({
        jobId: job.id,
        kind: 'dead',
        error: 'The CRM connection was disconnected.',
      }));
    }
    if (connection.revokedAt) {
      // A revoked connection keeps its queue: restoring it (new credentials) resumes the work.
      return this.waitAll(jobs, `The CRM connection "${connection.name}" is revoked.`);
    }
    const leads = new Map(
      (await this.deps.leads.getMany(jobs.map((job) => job.subjectId))).map((l) => [l.id, l]),
    );
    const sources = await this.loadSources([...leads.values()]);
    const results: JobResult[] = [];
    const work: { job: Job; lead: InboundLead; source: LeadSource }[] = [];
    for (const job of jobs) {
      const lead = leads.get(job.subjectId);
      const source = lead && sources.get(lead.sourceId);
      if (!lead || !source) results.push({ jobId: job.id, kind: 'done' });
      else work.push({ job, lead, source });
    }
    if (work.length === 0) return results;

    let plan: LeadSyncPlan;
    let outcomes: Map<string, CrmWriteOutcome>;
    try {
      const credentials = await this.deps.connections.readCredentials(connection.id);
      plan = await planLeadSync(await this.planContext(connection, credentials), work.map(toPlanItem));
      outcomes = await this.write(connection, credentials, plan);
    } catch (error) {
      const failure = classifyFailure(error, this.now());
      await this.recordFailure(connection, work, failure);
      return [...results, ...work.map(({ job }) => this.jobResultFor(job, failure))];
    }
    const listNotes = await this.addToMarketingLists(connection, work, plan, outcomes);
    const recorded = this.outcomesOf(connection, work, plan, outcomes, listNotes);
    await this.deps.leads.recordOutcomes(recorded.leads);
    await this.deps.syncLog.append(recorded.log);
    if (connection.status !== 'active')
      await this.deps.connections.setStatus(connection.id, { status: 'active' });
    return [...results, ...recorded.jobs];
  };

  /** What a sync of these leads would do, writing nothing to the CRM or the store. */
  async dryRun(connection: CrmConnection, items: readonly PlanItem[]): Promise<LeadSyncPlan> {
    const credentials = await this.deps.connections.readCredentials(connection.id);
    return planLeadSync(await this.planContext(connection, credentials), items);
  }

  private async planContext(connection: CrmConnection, credentials: CrmCredentials): Promise<PlanContext> {
    const settings = await this.deps.settings.get(connection.id);
    const { records, strategies } = this.deps;
    return {
      connectionId: connection.id,
      metadata: (table) => records.tableMetadata(connection, credentials, table),
      find: (queries) => records.findRecords(connection, credentials, queries),
      strategy: () => strategies.active(),
      ...(settings?.leadSourceCode !== undefined && { leadSourceCode: settings.leadSourceCode }),
      now: this.now(),
    };
  }

  private async loadSources(leads: readonly InboundLead[]): Promise<Map<string, LeadSource>> {
    const sources = new Map<string, LeadSource>();
    for (const id of new Set(leads.map((lead) => lead.sourceId))) {
      const source = await this.deps.sources.get(id);
      if (source) sources.set(id, source);
    }
    return sources;
  }

  /** One bulk call per table and kind; outcomes keyed by record id. */
  private async write(
    connection: CrmConnection,
    credentials: CrmCredentials,
    plan: LeadSyncPlan,
  ): Promise<Map<string, CrmWriteOutcome>> {
    const groups = new Map<string, PlannedWrite[]>();
    const seen = new Set<PlannedWrite>();
    for (const lead of plan.leads) {
      if (lead.kind !== 'write' || seen.has(lead.write)) continue;
      seen.add(lead.write);
      const key = `${lead.write.kind}:${lead.write.table}`;
      groups.set(key, [...(groups.get(key) ?? []), lead.write]);
    }
    const outcomes = new Map<string, CrmWriteOutcome>();
    // Creates first: an update in this batch may target a record the batch creates.
    const ordered = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
    for (const [key, writes] of ordered) {
      const [kind, table] = key.split(':') as ['create' | 'update', CrmTable];
      const records = writes.map((write) => ({ id: write.id, values: write.values }));
      const results =
        kind === 'create'
          ? await this.deps.records.createRecords(connection, credentials, table, records)
          : await this.deps.records.updateRecords(connection, credentials, table, records);
      for (const outcome of results) outcomes.set(outcome.id, outcome);
    }
    return outcomes;
  }

  private outcomesOf(
    connection: CrmConnection,
    work: readonly { job: Job; lead: InboundLead; source: LeadSource }[],
    plan: LeadSyncPlan,
    outcomes: Map<string, CrmWriteOutcome>,
    notes: Map<string, string>,
  ): { leads: LeadOutcomeUpdate[]; log: NewSyncLogEntry[]; jobs: JobResult[] } {
    const leads: LeadOutcomeUpdate[] = [];
    const log: NewSyncLogEntry[] = [];
    const jobs: JobResult[] = [];
    work.forEach(({ job, lead }, index) => {
      const planned = plan.leads[index]!;
      const entry = {
        leadId: lead.id,
        sourceId: lead.sourceId,
        connectionId: connection.id,
        attempt: job.attempts,
        dryRun: false,
      };
      const resolved = leadResultOf(planned, outcomes);
      const note = planned.kind === 'write' ? notes.get(planned.write.id) : undefined;
      const result = note ? { ...resolved, reason: resolved.reason + note } : resolved;
      if (result.outcome === 'failed') {
        const retry = result.retryable && job.attempts < this.retry.maxAttempts;
        leads.push({
          id: lead.id,
          status: retry ? 'pending' : 'failed',
          statusReason: retry ? `Waiting to retry: ${result.reason}` : result.reason,
        });
        jobs.push(
          retry
            ? {
                jobId: job.id,
                kind: 'retry',
                runAt: nextAttemptAt(job.attempts, this.now(), this.random, this.retry),
                error: result.reason,
              }
            : { jobId: job.id, kind: 'dead', error: result.reason },
        );
      } else {
        leads.push({
          id: lead.id,
          status: result.outcome === 'skipped' ? 'skipped' : 'synced',
          ...(result.table && { crmTable: result.table }),
          ...(result.recordId && { crmRecordId: result.recordId }),
          statusReason: result.reason,
        });
        jobs.push({ jobId: job.id, kind: 'done' });
      }
      log.push({
        ...entry,
        outcome: result.outcome,
        ...(result.table && { table: result.table }),
        ...(result.recordId && { recordId: result.recordId }),
        ...(result.decision && { decision: result.decision }),
        reason: result.reason,
        ...(result.payload && { payload: result.payload }),
        ...(result.error && {
          errorCode: result.error.code,
          errorMessage: result.error.message,
          retryable: result.retryable,
        }),
      });
    });
    return { leads, log, jobs };
  }

  private async addToMarketingLists(
    connection: CrmConnection,
    work: readonly { lead: InboundLead; source: LeadSource }[],
    plan: LeadSyncPlan,
    outcomes: Map<string, CrmWriteOutcome>,
  ): Promise<Map<string, string>> {
    const notes = new Map<string, string>();
    const members = new Map<string, { listId: string; table: CrmTable; ids: string[] }>();
    work.forEach(({ source }, index) => {
      const planned = plan.leads[index]!;
      if (!source.marketingListId || planned.kind !== 'write' || planned.decision.action !== 'create') return;
      if (!outcomes.get(planned.write.id)?.ok) return;
      const key = `${source.marketingListId}:${planned.write.table}`;
      const group = members.get(key) ?? {
        listId: source.marketingListId,
        table: planned.write.table,
        ids: [],
      };
      group.ids.push(planned.write.id);
      members.set(key, group);
    });
    if (members.size === 0) return notes;
    const credentials = await this.deps.connections.readCredentials(connection.id);
    for (const group of members.values()) {
      // The records exist by now: a list that refuses them is noted on each lead, never undoes the sync.
      try {
        await this.deps.records.addToMarketingList(
          connection,
          credentials,
          group.listId,
          group.table,
          group.ids,
        );
      } catch (error) {
        const note = ` Adding it to marketing list ${group.listId} failed: ${(error as Error).message}`;
        for (const id of group.ids) notes.set(id, note);
      }
    }
    return notes;
  }

  private async recordFailure(
    connection: CrmConnection,
    work: readonly { job: Job; lead: InboundLead }[],
    failure: SyncFailure,
  ): Promise<void> {
    if (failure.connectionStatus)
      await this.deps.connections.setStatus(connection.id, failure.connectionStatus);
    const dead = (job: Job) =>
      !failure.retryable || (!failure.waitForConnection && job.attempts >= this.retry.maxAttempts);
    await this.deps.leads.recordOutcomes(
      work.map(({ job, lead }) => ({
        id: lead.id,
        status: dead(job) ? 'failed' : 'pending',
        statusReason: dead(job) ? failure.message : `Waiting to retry: ${failure.message}`,
      })),
    );
    await this.deps.syncLog.append(
      work.map(({ job, lead }) => ({
        leadId: lead.id,
        sourceId: lead.sourceId,
        connectionId: connection.id,
        attempt: job.attempts,
        outcome: 'failed',
        reason: failure.message,
        errorCode: failure.code,
        errorMessage: failure.message,
        retryable: failure.retryable,
        dryRun: false,
      })),
    );
  }

  private jobResultFor(job: Job, failure: SyncFailure): JobResult {
    if (failure.waitForConnection) {
      const runAt = failure.connectionStatus?.throttledUntil
        ? new Date(failure.connectionStatus.throttledUntil)
        : failure.code === 'crm_unreachable'
          ? nextAttemptAt(job.attempts, this.now(), this.random, this.retry)
          : new Date(this.now().getTime() + CONNECTION_WAIT_MS);
      return { jobId: job.id, kind: 'retry', runAt, error: failure.message };
    }
    if (failure.retryable && job.attempts < this.retry.maxAttempts) {
      return {
        jobId: job.id,
        kind: 'retry',
        runAt: nextAttemptAt(job.attempts, this.now(), this.random, this.retry),
        error: failure.message,
      };
    }
    return { jobId: job.id, kind: 'dead', error: failure.message };
  }

  private waitAll(jobs: readonly Job[], reason: string): JobResult[] {
    const runAt = new Date(this.now().getTime() + CONNECTION_WAIT_MS);
    return jobs.map((job) => ({ jobId: job.id, kind: 'retry', runAt, error: reason }));
  }
}

function toPlanItem({ lead, source }: { lead: InboundLead; source: LeadSource }): PlanItem {
  return {
    ref: lead.id,
    source,
    idempotencyKey: lead.idempotencyKey,
    payload: lead.payload,
    ...(lead.crmRecordId && { crmRecordId: lead.crmRecordId }),
    ...(lead.crmValues && { crmValues: lead.crmValues }),
  };
}
