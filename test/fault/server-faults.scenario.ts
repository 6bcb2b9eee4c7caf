import { expect } from 'vitest';
import { expectEachLeadOnceInCrm } from './exactly-once-evidence.js';
import { crmLeadsAt, people, withFaultScenario } from './fault-scenario.js';
import { captureLeads, readSyncLog, waitForQueueToSettle } from './leadbridge-under-test.js';

/**
 * 5% of the CRM's requests fail with an injected 500 or 503 or hang and drop the connection; on top,
 * two bulk writes are carried out but their answers are lost on the way back, the case where a retry
 * meets records it already made. Everything must end synced, and nothing twice.
 */
export async function serverFaults(): Promise<void> {
  const domain = 'chaos.fault.example';
  let bulkWrites = 0;
  const lost: string[] = [];
  await withFaultScenario(
    {
      emulator: {
        limits: 'off',
        // The fault injector draws from this seed once per request: seed 90 gives a timeout, a 500 and
        // a 503 among the first twenty, and a sync of 1,000 leads in batches of 100 makes more than that.
        seed: 90,
        faults: {
          rates: { '500': 0.02, '503': 0.015, timeout: 0.015 },
          timeoutMs: 1000,
          timeoutAction: 'drop',
        },
      },
      beforeAnswer: (answer) => {
        if (answer.method !== 'POST' || !/Multiple$/.test(answer.url) || answer.status >= 300) return;
        bulkWrites += 1;
        if (bulkWrites === 2 || bulkWrites === 5) {
          lost.push(answer.url);
          answer.destroy();
        }
      },
      batchSize: 100,
    },
    async (s) => {
      const { api } = s.leadbridge;
      const captured = await captureLeads(api, s.prepared, people(1000, domain), 250);

      const status = await waitForQueueToSettle(api, s.prepared, 200_000);
      const injected = (s.crm.statuses.get(500) ?? 0) + (s.crm.statuses.get(503) ?? 0);
      expect(injected, 'server errors were injected').toBeGreaterThan(0);
      expect(lost).toHaveLength(2);
      expect(status.leads).toMatchObject({ synced: 1000, failed: 0 });
      expect(status.jobs['dead'] ?? 0).toBe(0);
      expectEachLeadOnceInCrm(captured, crmLeadsAt(s, domain), await readSyncLog(api, s.prepared));
    },
  );
}
