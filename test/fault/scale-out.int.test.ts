import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PostgresScratchDatabase,
  postgresAvailableForTests,
} from '../../src/store/testing/postgres-test-store.js';
import { sleep, spawnLeadbridgeCli, stopEverySpawnedProcess, waitUntil } from './cli-process.js';
import { expectEachLeadOnceInCrm } from './exactly-once-evidence.js';
import { startInProcessEmulator, type InProcessEmulator } from './fault-emulators.js';
import {
  captureLeads,
  prepareLeadbridge,
  readSyncLog,
  serveLeadbridge,
  waitForQueueToSettle,
  type Api,
  type PreparedLeadbridge,
} from './leadbridge-under-test.js';

/**
 * Scale-out (DESIGN.md §1): `leadbridge serve --role api|worker|scheduler` processes sharing one
 * PostgreSQL database as store and queue, each its own operating-system process; and the one-worker
 * rule of SQLite.
 */
const postgres = await postgresAvailableForTests();
const database = new PostgresScratchDatabase('lb_scale');

let emulator: InProcessEmulator;
const installations: PreparedLeadbridge[] = [];
const crmEmails = (domain: string) =>
  emulator
    .leads()
    .filter((lead) => lead.emailaddress1.endsWith(`@${domain}`))
    .map((lead) => lead.emailaddress1);
const people = (n: number, domain: string, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    email: `person${i}@${domain}`,
    lastName: `Last ${i}`,
    externalId: `${tag}-${i}`,
  }));

beforeAll(async () => {
  emulator = await startInProcessEmulator({ limits: 'off', faults: { latencyMs: 50 } });
  if (postgres) await database.create();
});
afterAll(async () => {
  await stopEverySpawnedProcess();
  await emulator.close();
  for (const installation of installations) installation.remove();
  if (postgres) await database.drop();
});

describe.runIf(postgres).sequential('scaled out on PostgreSQL', () => {
  let prepared: PreparedLeadbridge;
  let api: Api;

  it(
    'an API process, two workers and a scheduler share one queue; a worker killed with -9 loses nothing',
    { timeout: 240_000 },
    async () => {
      const DOMAIN = 'scale.fault.example';
      const LEADS = 2000;
      prepared = await prepareLeadbridge(emulator, { name: 'Scale-out' }, { DATABASE_URL: database.url });
      installations.push(prepared);
      const front = await serveLeadbridge(prepared, 'api');
      api = front.api!;
      expect(front.process.output().stdout).toMatch(/Leadbridge running: api \(store: postgres:\/\//);
      // Small batches and a short lease: many claims to share, and a dead worker's jobs back soon.
      const tuning = { leaseMs: 3000, batchSize: 50 };
      const workers = [
        await serveLeadbridge(prepared, 'worker', tuning),
        await serveLeadbridge(prepared, 'worker', tuning),
      ];
      expect(workers.map((worker) => worker.api)).toEqual([undefined, undefined]);
      const scheduler = await serveLeadbridge(prepared, 'scheduler');

      const captured = await captureLeads(api, prepared, people(LEADS, DOMAIN, 'scale'), 250);
      await waitUntil(
        'a fifth of the leads in the CRM',
        async () => (crmEmails(DOMAIN).length >= LEADS / 5 ? true : undefined),
        60_000,
      );
      // The count at the moment of the kill: the worker dies mid-sync, with a batch in hand.
      const atKill = crmEmails(DOMAIN).length;
      await workers[0]!.process.kill9();
      expect(atKill).toBeLessThan(LEADS);

      const status = await waitForQueueToSettle(api, prepared, 120_000);
      expect(status.leads).toMatchObject({ synced: LEADS, failed: 0 });
      const crm = emulator.leads().filter((lead) => lead.emailaddress1.endsWith(`@${DOMAIN}`));
      expectEachLeadOnceInCrm(captured, crm, await readSyncLog(api, prepared));
      await workers[1]!.process.stop();
      // Its cycles wake workers too: the next test must see only the capture's signal.
      await scheduler.process.stop();
    },
  );

  it(
    'a capture wakes an idle worker of another process at once (NOTIFY), long before its next poll',
    { timeout: 120_000 },
    async () => {
      const DOMAIN = 'notify.fault.example';
      // Polls every ten minutes and reaps every five: only the signal can bring it in time.
      const worker = await serveLeadbridge(prepared, 'worker', { idlePollMs: 600_000, leaseMs: 600_000 });
      expect(await database.listeners()).toBe(1);
      // Its first look at the queue (empty) is over well within a second; then it sleeps.
      await sleep(1000);
      const started = Date.now();
      await captureLeads(api, prepared, people(3, DOMAIN, 'notify'), 3);
      await waitUntil(
        'the three leads in the CRM',
        async () => (crmEmails(DOMAIN).length === 3 ? true : undefined),
        30_000,
      );
      expect(Date.now() - started).toBeLessThan(30_000);
      await worker.process.stop();
    },
  );
});

describe('one worker per SQLite store', () => {
  it(
    'a second worker is refused at start-up with a clear error; an API process beside the worker is fine',
    { timeout: 120_000 },
    async () => {
      const DOMAIN = 'sqlite.fault.example';
      const prepared = await prepareLeadbridge(emulator, { name: 'SQLite' });
      installations.push(prepared);
      const env = {
        LEADBRIDGE_CRM_ALLOWED_HOSTS: new URL(emulator.url).host,
        LEADBRIDGE_CRM_EXTRA_CA_FILE: emulator.caFile,
      };
      const worker = await serveLeadbridge(prepared, 'worker');
      for (const args of [
        ['serve', '--role', 'worker', '--data', prepared.dataDir],
        ['start', '--port', '0', '--data', prepared.dataDir],
      ]) {
        const second = spawnLeadbridgeCli(args, env);
        expect(await second.exited).toBe(1);
        expect(second.output().stderr).toMatch(
          /Another Leadbridge worker already uses this SQLite store\. The store is .*leadbridge\.db, and SQLite allows one worker.*\[worker_already_running\]/,
        );
      }

      // A worker killed with -9 leaves no lock behind: the next one starts at once.
      await worker.process.kill9();
      const next = await serveLeadbridge(prepared, 'worker');
      const front = await serveLeadbridge(prepared, 'api');
      await captureLeads(front.api!, prepared, people(5, DOMAIN, 'sqlite'), 5);
      // SQLite cannot signal another process: the worker finds them at its next poll (1 s).
      await waitUntil(
        'the five leads in the CRM',
        async () => (crmEmails(DOMAIN).length === 5 ? true : undefined),
        30_000,
      );
      // A start that fails halfway (its port is taken) leaves nothing behind: no process, no lock.
      await next.process.stop();
      const port = new URL(front.url!).port;
      const failed = spawnLeadbridgeCli(['start', '--port', port, '--data', prepared.dataDir], env);
      expect(await failed.exited).toBe(1);
      expect(failed.output().stderr).toMatch(/is taken.*\[port_in_use\]/);
      await (await serveLeadbridge(prepared, 'worker')).process.stop();
      await front.process.stop();
    },
  );

  it('an unknown role is refused before anything starts', { timeout: 60_000 }, async () => {
    const cli = spawnLeadbridgeCli(['serve', '--role', 'api,web']);
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr).toMatch(/Unknown role 'web': use api, worker, scheduler.*\[invalid_roles\]/);
  });
});
