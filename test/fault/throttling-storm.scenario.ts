import { expect } from 'vitest';
import { expectEachLeadOnceInCrm } from './exactly-once-evidence.js';
import { crmLeadsAt, people, withFaultScenario } from './fault-scenario.js';
import { captureLeads, readSyncLog, waitForQueueToSettle } from './leadbridge-under-test.js';

/**
 * A storm of 429s: service-protection limits of one request and 400 ms of execution per second, one
 * request at a time, so most requests of a sync meet a 429 with Retry-After. Leadbridge must wait as
 * told and end with every lead synced and not one failure in the sync log.
 */
export async function throttlingStorm(): Promise<void> {
  const domain = 'storm.fault.example';
  await withFaultScenario(
    {
      emulator: { limits: { windowSeconds: 1, maxRequests: 1, maxExecutionMs: 400, maxConcurrent: 1 } },
      batchSize: 250,
    },
    async (s) => {
      const { api } = s.leadbridge;
      const captured = await captureLeads(api, s.prepared, people(1000, domain), 100);

      const status = await waitForQueueToSettle(api, s.prepared, 200_000);
      expect(s.crm.statuses.get(429) ?? 0, 'the storm happened').toBeGreaterThan(0);
      expect(status.leads).toMatchObject({ synced: 1000, failed: 0 });
      expect(status.jobs['dead'] ?? 0).toBe(0);
      expect(status.connections[0]?.status).toBe('active');
      const log = await readSyncLog(api, s.prepared);
      expect(log.filter((entry) => entry.outcome === 'failed')).toEqual([]);
      expectEachLeadOnceInCrm(captured, crmLeadsAt(s, domain), log);
    },
  );
}
