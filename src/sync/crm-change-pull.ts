import { applyMapping } from '../capture/field-mapping.js';
import type {
  CrmConnection,
  CrmCredentialSource,
  CrmRecord,
  CrmRecordGateway,
  CrmTable,
  InboundLead,
  InboundLeadRepository,
  LeadCrmChange,
  LeadSource,
  LeadSourceRepository,
  SyncCursorRepository,
} from '../domain/index.js';
import { PERSON_COLUMNS } from '../matching/index.js';

export interface CrmChangePullDependencies {
  readonly connections: CrmCredentialSource;
  readonly records: CrmRecordGateway;
  readonly leads: Pick<InboundLeadRepository, 'findByCrmRecordIds' | 'recordCrmChanges'>;
  readonly sources: Pick<LeadSourceRepository, 'list'>;
  readonly cursors: SyncCursorRepository;
}

export interface PullReport {
  /** Changed records the CRM reported that belong to leads. */
  readonly changed: number;
  /** Columns written back because the source says Leadbridge wins them. */
  readonly restored: number;
  readonly deleted: number;
}

const TABLES: readonly CrmTable[] = ['lead', 'contact'];

/**
 * The CRM → Leadbridge half of two-way sync (seed 003, Professional): on each scheduled cycle, the
 * records changed in Dynamics 365 since the last cycle (change tracking where the table has it,
 * `modifiedon` otherwise — the connector decides) come back and update the leads that created them.
 * Per column, the source's rule says who wins: the CRM's value is kept (default), or Leadbridge's
 * mapped value is written back in one bulk update.
 */
export class CrmChangePull {
  constructor(private readonly deps: CrmChangePullDependencies) {}

  async pull(connection: CrmConnection): Promise<PullReport> {
    const credentials = await this.deps.connections.readCredentials(connection.id);
    const sources = new Map((await this.deps.sources.list()).map((source) => [source.id, source]));
    let report: PullReport = { changed: 0, restored: 0, deleted: 0 };
    for (const table of TABLES) {
      const select = columnsMapped(table, [...sources.values()]);
      const cursor = await this.deps.cursors.get(connection.id, table);
      const feed = await this.deps.records.changedRecords(connection, credentials, table, select, cursor);
      const leads = await this.deps.leads.findByCrmRecordIds([
        ...feed.records.map((record) => record.id),
        ...feed.deletedIds,
      ]);
      const byRecord = new Map<string, InboundLead[]>();
      for (const lead of leads) {
        const key = lead.crmRecordId!.toLowerCase();
        byRecord.set(key, [...(byRecord.get(key) ?? []), lead]);
      }
      const changes: LeadCrmChange[] = [];
      const restores = new Map<string, Record<string, unknown>>();
      for (const record of feed.records) {
        for (const lead of byRecord.get(record.id.toLowerCase()) ?? []) {
          const source = sources.get(lead.sourceId);
          const restore = source ? leadbridgeWins(source, table, lead, record) : {};
          if (Object.keys(restore).length > 0)
            restores.set(record.id, { ...restores.get(record.id), ...restore });
          changes.push({
            id: lead.id,
            crmValues: record.values,
            crmModifiedOn: record.modifiedOn,
            statusReason: `Changed in Dynamics 365 at ${record.modifiedOn}${
              Object.keys(restore).length > 0
                ? `; restored ${Object.keys(restore).join(', ')} (Leadbridge wins)`
                : ''
            }.`,
          });
        }
      }
      for (const id of feed.deletedIds)
        for (const lead of byRecord.get(id.toLowerCase()) ?? [])
          changes.push({
            id: lead.id,
            crmValues: {},
            crmModifiedOn: new Date().toISOString(),
            statusReason: `The ${table} ${id} was deleted in Dynamics 365.`,
          });
      if (restores.size > 0)
        await this.deps.records.updateRecords(
          connection,
          credentials,
          table,
          [...restores].map(([id, values]) => ({ id, values })),
        );
      await this.deps.leads.recordCrmChanges(changes);
      await this.deps.cursors.set(connection.id, table, feed.cursor);
      report = {
        changed: report.changed + changes.length,
        restored: report.restored + restores.size,
        deleted: report.deleted + feed.deletedIds.filter((id) => byRecord.has(id.toLowerCase())).length,
      };
    }
    return report;
  }
}

/** Every column some source maps to the table, plus the person columns. */
function columnsMapped(table: CrmTable, sources: readonly LeadSource[]): string[] {
  const columns = new Set(PERSON_COLUMNS);
  for (const source of sources)
    for (const rule of source.mappings[table]?.columns ?? []) columns.add(rule.column);
  return [...columns].sort();
}

/** Columns the source gives to Leadbridge whose CRM value now differs from the lead's mapped value. */
function leadbridgeWins(
  source: LeadSource,
  table: CrmTable,
  lead: InboundLead,
  record: CrmRecord,
): Record<string, unknown> {
  const wins = Object.entries(source.fieldRules ?? {}).filter(([, rule]) => rule === 'leadbridge');
  const mapping = source.mappings[table];
  if (wins.length === 0 || !mapping) return {};
  const mapped = applyMapping(mapping, lead.payload);
  if (!mapped.ok) return {};
  const restore: Record<string, unknown> = {};
  for (const [column] of wins) {
    const ours = mapped.record[column];
    if (ours !== undefined && ours !== record.values[column]) restore[column] = ours;
  }
  return restore;
}
