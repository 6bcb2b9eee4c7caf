import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Source } from '../../src/contracts/index.js';
import { sleep, waitUntil } from './cli-process.js';
import { expectEachLeadOnceInCrm } from './exactly-once-evidence.js';
import { people, startFaultScenario, type FaultScenario } from './fault-scenario.js';
import { captureLeads, readSyncLog, syncStatus, waitForQueueToSettle } from './leadbridge-under-test.js';

/**
 * What the CRM can do to a running `leadbridge start` process: throttle it, fail and time out, refuse
 * a lead's values, stop accepting its client secret. Each case has its own emulator (in this process,
 * over real HTTPS, for options the emulator command has no flag for) and its own Leadbridge process.
 * They run side by side: most of their time is spent waiting on the CRM.
 */

const scenarios: FaultScenario[] = [];
afterAll(async () => {
  await Promise.all(scenarios.map((scenario) => scenario.close()));
});

async function scenario(options: Parameters<typeof startFaultScenario>[0]): Promise<FaultScenario> {
  const started = await startFaultScenario(options);
  scenarios.push(started);
  return started;
}

const inDomain = (s: FaultScenario, domain: string) =>
  s.crm.leads().filter((row) => row.emailaddress1.endsWith(`@${domain}`));

describe.concurrent('CRM faults during sync', () => {
  it(
    'rides out a storm of 429s from tiny service-protection limits: all synced, nothing failed',
    { timeout: 240_000 },
    async () => {
      const domain = 'storm.fault.example';
      const s = await scenario({
        // One request and 400 ms of execution per second, one at a time: most requests meet a 429.
        emulator: { limits: { windowSeconds: 1, maxRequests: 1, maxExecutionMs: 400, maxConcurrent: 1 } },
        batchSize: 250,
      });
      const { api } = s.leadbridge;
      const captured = await captureLeads(api, s.prepared, people(1000, domain), 100);

      const status = await waitForQueueToSettle(api, s.prepared, 200_000);
      expect(s.crm.statuses.get(429) ?? 0, 'the storm happened').toBeGreaterThan(0);
      expect(status.leads).toMatchObject({ synced: 1000, failed: 0 });
      expect(status.jobs['dead'] ?? 0).toBe(0);
      const log = await readSyncLog(api, s.prepared);
      expect(log.filter((entry) => entry.outcome === 'failed')).toEqual([]);
      expectEachLeadOnceInCrm(captured, inDomain(s, domain), log);
      expect(status.connections[0]?.status).toBe('active');
    },
  );

  it(
    'rides out 5% injected 5xx and timeouts, and answers lost after the write, without doubling',
    { timeout: 240_000 },
    async () => {
      const domain = 'chaos.fault.example';
      let bulkWrites = 0;
      const lost: string[] = [];
      const s = await scenario({
        emulator: {
          limits: 'off',
          // Seed 90 draws a timeout, a 500 and a 503 among the first twenty requests.
          seed: 90,
          faults: {
            rates: { '500': 0.02, '503': 0.015, timeout: 0.015 },
            timeoutMs: 1000,
            timeoutAction: 'drop',
          },
        },
        // The second and fifth successful bulk writes reach the CRM, but their answers never reach Leadbridge.
        beforeAnswer: (answer) => {
          if (answer.method !== 'POST' || !/Multiple$/.test(answer.url) || answer.status >= 300) return;
          bulkWrites += 1;
          if (bulkWrites === 2 || bulkWrites === 5) {
            lost.push(answer.url);
            answer.destroy();
          }
        },
        batchSize: 100,
      });
      const { api } = s.leadbridge;
      const captured = await captureLeads(api, s.prepared, people(1000, domain), 250);

      const status = await waitForQueueToSettle(api, s.prepared, 200_000);
      const injected = (s.crm.statuses.get(500) ?? 0) + (s.crm.statuses.get(503) ?? 0);
      expect(injected, 'server errors were injected').toBeGreaterThan(0);
      expect(lost).toHaveLength(2);
      expect(status.leads).toMatchObject({ synced: 1000, failed: 0 });
      expect(status.jobs['dead'] ?? 0).toBe(0);
      const log = await readSyncLog(api, s.prepared);
      expectEachLeadOnceInCrm(captured, inDomain(s, domain), log);
    },
  );

  it(
    'dead-letters leads an invalid mapping cannot write, with the reason, and a replay after the fix syncs them',
    { timeout: 240_000 },
    async () => {
      const domain = 'mapping.fault.example';
      const s = await scenario({ emulator: { limits: 'off' } });
      const { api } = s.leadbridge;
      const { adminToken, sourceId } = s.prepared;
      const source = (await api<Source>('GET', `/api/v1/sources/${sourceId}`, adminToken)).body;
      const leadColumns = source.mappings.lead?.columns ?? [];
      // Lead Source by label from a free-text field: valid when saved, wrong for a lead whose channel
      // is not one of the CRM's labels.
      const withChannel = await api('PATCH', `/api/v1/sources/${sourceId}`, adminToken, {
        fields: [...source.fields, { name: 'channel', label: 'Channel', type: 'text' }],
        mappings: {
          ...source.mappings,
          lead: {
            table: 'lead',
            columns: [
              ...leadColumns,
              { column: 'leadsourcecode', value: { kind: 'field', field: 'channel' }, choiceBy: 'label' },
            ],
          },
        },
      });
      expect(withChannel.status, JSON.stringify(withChannel.body)).toBe(200);

      const bad = (i: number) => i % 4 === 0;
      const captured = await captureLeads(
        api,
        s.prepared,
        people(60, domain, (i) => ({ channel: bad(i) ? 'Carrier pigeon' : 'Web' })),
        60,
      );
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
      expect(inDomain(s, domain)).toHaveLength(45);

      // The fix: every lead of this source gets Lead Source "Other".
      const fixed = await api('PATCH', `/api/v1/sources/${sourceId}`, adminToken, {
        mappings: {
          ...source.mappings,
          lead: {
            table: 'lead',
            columns: [
              ...leadColumns,
              { column: 'leadsourcecode', value: { kind: 'constant', value: 'Other' }, choiceBy: 'label' },
            ],
          },
        },
      });
      expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
      const replay = await api('POST', '/api/v1/sync/replay', adminToken, { sourceId, failed: true });
      expect(replay.body).toEqual({ requeued: 15 });

      const after = await waitForQueueToSettle(api, s.prepared, 60_000);
      expect(after.leads).toMatchObject({ synced: 60, failed: 0 });
      expect(after.jobs['dead'] ?? 0).toBe(0);
      const crm = inDomain(s, domain);
      const log = await readSyncLog(api, s.prepared);
      expectEachLeadOnceInCrm(captured, crm, log);
      const recordOf = new Map(log.filter((e) => e.outcome === 'created').map((e) => [e.leadId, e.recordId]));
      const sourceCodes = (ids: readonly string[]) =>
        new Set(ids.map((id) => crm.find((row) => row.leadid === recordOf.get(id))?.leadsourcecode));
      expect(sourceCodes(badIds)).toEqual(new Set([10])); // Other
      expect(sourceCodes(goodIds)).toEqual(new Set([8])); // Web
    },
  );

  it(
    'flips the connection to needs_reauthorization when its secret expires, keeps the queue, and drains it after the fix',
    { timeout: 240_000 },
    async () => {
      const domain = 'secret.fault.example';
      const tokenLifetimeSeconds = 5;
      const s = await scenario({
        emulator: { limits: 'off', accessTokenLifetimeSeconds: tokenLifetimeSeconds },
      });
      const { api } = s.leadbridge;
      const { adminToken, connectionId } = s.prepared;
      const before = await captureLeads(api, s.prepared, people(200, domain), 200);
      await waitForQueueToSettle(api, s.prepared, 60_000);
      expect(inDomain(s, domain)).toHaveLength(200);

      // The admin's secret expires in Entra ID and a new one is issued; Leadbridge still holds the old one.
      const app = s.crm.emulator.directory.applications[0]!;
      app.clientSecrets[0]!.expiresAt = new Date(Date.now() - 60_000).toISOString();
      const rotated = `rotated-${randomUUID()}`;
      app.clientSecrets.push({ keyId: randomUUID(), secretText: rotated });
      // Past the lifetime of any access token already issued, so the next call needs the secret.
      await sleep((tokenLifetimeSeconds + 1) * 1000);

      const queued = await captureLeads(
        api,
        s.prepared,
        people(200, domain, (i) => ({ email: `later${i}@${domain}`, externalId: `later-${i}` })),
        200,
      );
      const flipped = await waitUntil(
        'the connection to need re-authorization',
        async () => {
          const status = await syncStatus(api, s.prepared);
          return status.connections[0]?.status === 'needs_reauthorization' ? status : undefined;
        },
        60_000,
      );
      expect(flipped.connections[0]?.statusReason).toMatch(/expired/i);
      expect(flipped.leads).toMatchObject({ synced: 200, pending: 200, failed: 0 });
      expect(flipped.jobs['dead'] ?? 0).toBe(0);
      expect(inDomain(s, domain)).toHaveLength(200);
      const waiting = (await readSyncLog(api, s.prepared)).filter((entry) => entry.outcome === 'failed');
      expect(waiting.length).toBeGreaterThan(0);
      for (const entry of waiting) expect(entry).toMatchObject({ retryable: true });
      expect(new Set(waiting.map((entry) => entry.leadId)).size).toBeLessThanOrEqual(200);

      const fixed = await api('PATCH', `/api/v1/connections/${connectionId}`, adminToken, {
        clientSecret: rotated,
      });
      expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
      // Work waiting for a connection looks again after a minute (CONNECTION_WAIT_MS in the processor).
      const drained = await waitForQueueToSettle(api, s.prepared, 150_000);
      expect(drained.leads).toMatchObject({ synced: 400, pending: 0, failed: 0 });
      expect(drained.jobs['dead'] ?? 0).toBe(0);
      expect(drained.connections[0]?.status).toBe('active');
      expectEachLeadOnceInCrm(
        [...before, ...queued],
        inDomain(s, domain),
        await readSyncLog(api, s.prepared),
      );
    },
  );
});
