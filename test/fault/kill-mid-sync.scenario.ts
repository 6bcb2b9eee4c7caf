import { expect } from 'vitest';
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
  type CapturedLead,
  type PreparedLeadbridge,
  type RunningLeadbridge,
} from './leadbridge-under-test.js';

const SEED = 4;
const LEADS = 3000;
const DOMAIN = 'kill.fault.example';
/** Kill moments, as shares of the leads in the CRM; the seed adds up to a tenth to each. */
const KILL_SHARES = [0.15, 0.4, 0.65];
// A short lease, so the jobs a killed process held come back seconds after the kill, not minutes.
const LEASE_MS = 3000;
// Batches small enough that syncing all leads takes many rounds, so every kill lands mid-sync.
const BATCH_SIZE = 200;

/**
 * kill -9 in the middle of syncing: the emulator runs as its own process and keeps its records in a
 * journal; Leadbridge (`leadbridge start`) is killed with SIGKILL at moments chosen by a seeded random
 * source and restarted each time on the same data directory. However the kills fall — in a look-up,
 * with a bulk create in flight, between the CRM write and the recording of its outcome — every lead
 * must end in the CRM exactly once, and the sync log must say where.
 */
export async function killMidSync(): Promise<void> {
  const random = seededRandom(SEED);
  let emulator: EmulatorProcess | undefined;
  let leadbridge: RunningLeadbridge | undefined;
  let prepared: PreparedLeadbridge | undefined;
  try {
    emulator = await spawnEmulator({ latencyMs: 40, limits: 'off', seed: SEED });
    const endpoint = emulator;
    const installation = await prepareLeadbridge(endpoint, { name: 'Kill -9' });
    prepared = installation;
    const start = (): Promise<RunningLeadbridge> =>
      startLeadbridge(installation, { leaseMs: LEASE_MS, batchSize: BATCH_SIZE });
    const crmCount = async () => (await crmLeadsByDomain(endpoint, DOMAIN)).length;

    leadbridge = await start();
    const leads = Array.from({ length: LEADS }, (_, i) => ({
      email: `Person${i}@${DOMAIN}`,
      firstName: `First${i}`,
      lastName: `Last${i}`,
      company: `Company ${i % 97}`,
      externalId: `kill-${i}`,
    }));
    const captured = await captureLeads(leadbridge.api, installation, leads, 500);
    expect(new Set(captured.map((lead) => lead.leadId)).size).toBe(LEADS);

    const kills: { target: number; crmCount: number; delayMs: number }[] = [];
    let countAtStart = 0;
    for (const share of KILL_SHARES) {
      const target = Math.round((share + random.random() * 0.1) * LEADS);
      // Only once the running process has itself written something, then a random moment later.
      const due = Math.max(target, countAtStart + 1);
      const running: RunningLeadbridge = leadbridge;
      const reached = await waitUntil(
        `the CRM to hold ${due} leads`,
        async () => {
          const count = await crmCount();
          return count >= due ? count : undefined;
        },
        90_000,
        () => ({ kills, stderr: running.process.output().stderr.slice(-2000) }),
        100,
      );
      const delayMs = Math.floor(random.random() * 300);
      await sleep(delayMs);
      await running.process.kill9();
      kills.push({ target, crmCount: reached, delayMs });
      // A bulk create the killed process had in flight still lands; count after it.
      await sleep(500);
      countAtStart = await crmCount();
      leadbridge = await start();
    }
    expect(
      kills.map((kill) => kill.crmCount < LEADS),
      JSON.stringify(kills),
    ).toEqual([true, true, true]);

    await expectExactlyOnce(leadbridge, installation, endpoint, captured);
  } finally {
    await leadbridge?.process.kill9();
    await emulator?.close();
    prepared?.remove();
  }
}

async function expectExactlyOnce(
  leadbridge: RunningLeadbridge,
  prepared: PreparedLeadbridge,
  emulator: EmulatorProcess,
  captured: readonly CapturedLead[],
): Promise<void> {
  const status = await waitForQueueToSettle(leadbridge.api, prepared, 120_000);
  expect(status.leads).toMatchObject({ synced: LEADS, failed: 0 });
  expect(status.jobs['dead'] ?? 0).toBe(0);
  const crm = await crmLeadsByDomain(emulator, DOMAIN);
  expectEachLeadOnceInCrm(captured, crm, await readSyncLog(leadbridge.api, prepared));
}
