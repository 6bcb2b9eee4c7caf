import { expect } from 'vitest';
import type { Source } from '../../src/contracts/index.js';
import { expectEachLeadOnceInCrm } from './exactly-once-evidence.js';
import { crmLeadsAt, people, withFaultScenario } from './fault-scenario.js';
import { captureLeads, readSyncLog, waitForQueueToSettle, type Api } from './leadbridge-under-test.js';

type ColumnMapping = NonNullable<Source['mappings']['lead']>['columns'][number];

const OTHER = 10;
const WEB = 8;

/**
 * A mapping that passes the save-time checks but cannot write some leads: Lead Source by label from
 * a free-text field, and a lead whose channel is no label of the CRM's. Those leads are dead letters
 * with the reason; the rest sync. After the admin fixes the mapping, a replay of the source's
 * failures syncs them too.
 */
export async function invalidMappingReplay(): Promise<void> {
  const domain = 'mapping.fault.example';
  await withFaultScenario({ emulator: { limits: 'off' } }, async (s) => {
    const { api } = s.leadbridge;
    const { adminToken, sourceId } = s.prepared;
    const source = (await api<Source>('GET', `/api/v1/sources/${sourceId}`, adminToken)).body;
    const byChannel = await setLeadSource(api, adminToken, source, {
      column: 'leadsourcecode',
      value: { kind: 'field', field: 'channel' },
      choiceBy: 'label',
    });
    expect(byChannel.status, JSON.stringify(byChannel.body)).toBe(200);

    const bad = (i: number) => i % 4 === 0;
    const leads = people(60, domain, (i) => ({ channel: bad(i) ? 'Carrier pigeon' : 'Web' }));
    const captured = await captureLeads(api, s.prepared, leads, 60);
    const badIds = captured.filter((_, i) => bad(i)).map((lead) => lead.leadId);
    const goodIds = captured.filter((_, i) => !bad(i)).map((lead) => lead.leadId);

    const first = await waitForQueueToSettle(api, s.prepared, 60_000);
    expect(first.leads).toMatchObject({ synced: 45, failed: 15, pending: 0 });
    expect(first.jobs['dead']).toBe(15);
    const failures = (await readSyncLog(api, s.prepared)).filter((entry) => entry.outcome === 'failed');
    expect(failures.map((entry) => entry.leadId).sort()).toEqual([...badIds].sort());
    for (const entry of failures) {
      expect(entry).toMatchObject({ errorCode: 'mapping_invalid', retryable: false });
      expect(entry.reason).toMatch(/leadsourcecode/);
      expect(entry.reason).toMatch(/"Carrier pigeon" is not an option/);
      expect(entry.reason).toMatch(/valid labels: .*Web/);
    }
    expect(crmLeadsAt(s, domain)).toHaveLength(45);

    // The fix: this source's leads get Lead Source "Other" whatever their channel says.
    const fixed = await setLeadSource(api, adminToken, source, {
      column: 'leadsourcecode',
      value: { kind: 'constant', value: 'Other' },
      choiceBy: 'label',
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    const replay = await api('POST', '/api/v1/sync/replay', adminToken, { sourceId, failed: true });
    expect(replay.body).toEqual({ requeued: 15 });

    const after = await waitForQueueToSettle(api, s.prepared, 60_000);
    expect(after.leads).toMatchObject({ synced: 60, failed: 0 });
    expect(after.jobs['dead'] ?? 0).toBe(0);
    const crm = crmLeadsAt(s, domain);
    const log = await readSyncLog(api, s.prepared);
    expectEachLeadOnceInCrm(captured, crm, log);
    const recordOf = new Map(log.filter((e) => e.outcome === 'created').map((e) => [e.leadId, e.recordId]));
    const leadSources = (ids: readonly string[]) =>
      new Set(ids.map((id) => crm.find((row) => row.leadid === recordOf.get(id))?.leadsourcecode));
    expect(leadSources(badIds)).toEqual(new Set([OTHER]));
    expect(leadSources(goodIds)).toEqual(new Set([WEB]));
  });
}

/** PATCH the source: its fields plus `channel`, its lead mapping plus `rule`. */
function setLeadSource(api: Api, token: string, source: Source, rule: ColumnMapping) {
  return api('PATCH', `/api/v1/sources/${source.id}`, token, {
    fields: [...source.fields, { name: 'channel', label: 'Channel', type: 'text' }],
    mappings: {
      ...source.mappings,
      lead: { table: 'lead', columns: [...(source.mappings.lead?.columns ?? []), rule] },
    },
  });
}
