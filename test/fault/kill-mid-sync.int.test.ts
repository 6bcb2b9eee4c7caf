import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/shared/seeded-random.js';
import { sleep, waitUntil } from './cli-process.js';
import { expectEachLeadOnceInCrm } from './exactly-once-evidence.js';
import { crmLeadsByDomain, spawnEmulator, type EmulatorProcess } from './fault-emulators.js';
import {
  captureLeads,
  prepareLeadbridge,
  readSyncLog,
  startLeadbridge,
  waitForQueueToSettle,
  type RunningLeadbridge,
} from './leadbridge-under-test.js';

/**
 * kill -9 in the middle of syncing: the emulator runs as its own process and keeps its records in a
 * journal; Leadbridge (`leadbridge start`) is killed with SIGKILL at several moments chosen by a
 * seeded random source, and restarted each time on the same data directory. However the kills fall
 * — during a look-up, with a bulk create in flight, between the CRM write and the recording of its
 * outcome — every lead must end in the CRM exactly once, and the sync log must say where.
 */

const SEED = 4;
const LEADS = 3000;
const DOMAIN = 'kill.fault.example';
// A short lease, so the jobs a killed process held come back seconds after the kill, not minutes.
const LEASE_MS = 3000;
// Batches small enough that the sync of all leads takes many rounds, so every kill lands mid-sync.
const BATCH_SIZE = 200;

let emulator: EmulatorProcess | undefined;
let leadbridge: RunningLeadbridge | undefined;
afterAll(async () => {
  await leadbridge?.process.kill9();
  await emulator?.process.stop();
});

describe('kill -9 while syncing a few thousand leads', () => {
  it(
    'ends with every lead in the CRM exactly once and a sync log that agrees',
    { timeout: 300_000 },
    async () => {
      const random = seededRandom(SEED);
      emulator = await spawnEmulator({ latencyMs: 40, limits: 'off', seed: SEED });
      const endpoint = emulator;
      const prepared = await prepareLeadbridge(endpoint, { name: 'Kill -9' });
      const crmCount = async () => (await crmLeadsByDomain(endpoint, DOMAIN)).length;

      leadbridge = await startLeadbridge(prepared, { leaseMs: LEASE_MS, batchSize: BATCH_SIZE });
      const leads = Array.from({ length: LEADS }, (_, i) => ({
        email: `Person${i}@${DOMAIN}`,
        firstName: `First${i}`,
        lastName: `Last${i}`,
        company: `Company ${i % 97}`,
        externalId: `kill-${i}`,
      }));
      const captured = await captureLeads(leadbridge.api, prepared, leads, 500);
      expect(new Set(captured.map((lead) => lead.leadId)).size).toBe(LEADS);

      // Kill moments as shares of the leads the CRM holds, each after the running process has written
      // something itself and then after a random further delay.
      const targets = [0.15, 0.4, 0.65].map((share) => Math.round((share + random.random() * 0.1) * LEADS));
      const kills: { target: number; crmCount: number; delayMs: number }[] = [];
      let countAtStart = 0;
      for (const target of targets) {
        if (countAtStart >= LEADS) break;
        const due = Math.max(target, countAtStart + 1);
        const reached = await waitUntil(
          `the CRM to hold ${due} leads`,
          async () => {
            const count = await crmCount();
            return count >= due ? count : undefined;
          },
          60_000,
          () => ({ kills, stderr: leadbridge?.process.output().stderr.slice(-2000) }),
          100,
        );
        const delayMs = Math.floor(random.random() * 300);
        await sleep(delayMs);
        await leadbridge.process.kill9();
        kills.push({ target, crmCount: reached, delayMs });
        countAtStart = await crmCount();
        leadbridge = await startLeadbridge(prepared, { leaseMs: LEASE_MS, batchSize: BATCH_SIZE });
      }
      // Each kill came after the process it killed had written to the CRM and before the CRM held all.
      expect(kills, JSON.stringify(kills)).toHaveLength(3);
      for (const kill of kills) expect(kill.crmCount).toBeLessThan(LEADS);

      const status = await waitForQueueToSettle(leadbridge.api, prepared, 90_000);
      expect(status.leads).toMatchObject({ synced: LEADS, failed: 0 });
      expect(status.jobs['dead'] ?? 0).toBe(0);

      const crm = await crmLeadsByDomain(endpoint, DOMAIN);
      const log = await readSyncLog(leadbridge.api, prepared);
      expectEachLeadOnceInCrm(captured, crm, log);
    },
  );
});
