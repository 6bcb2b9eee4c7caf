import { afterAll, describe, it } from 'vitest';
import { stopEverySpawnedProcess } from './cli-process.js';
import { expiredSecret } from './expired-secret.scenario.js';
import { invalidMappingReplay } from './invalid-mapping.scenario.js';
import { killMidSync } from './kill-mid-sync.scenario.js';
import { serverFaults } from './server-faults.scenario.js';
import { throttlingStorm } from './throttling-storm.scenario.js';

/**
 * The sync engine under faults (issue 4, "Evidence"), each against a real `leadbridge start` process
 * and a Dataverse emulator over HTTPS: its own process for kill -9 (its records must outlive the
 * kills), inside this process where only its options can make the fault (tiny limits, injected
 * errors, a secret that expires). The cases run side by side: most of their time is spent waiting,
 * on a lease, a Retry-After or a connection that needs an admin.
 */
afterAll(stopEverySpawnedProcess);

describe.concurrent('sync under faults', () => {
  it(
    'kill -9 at three random moments while syncing 3,000 leads: each lead once in the CRM, and the sync log agrees',
    { timeout: 300_000 },
    killMidSync,
  );
  it(
    'a storm of 429s from tiny service-protection limits: everything synced, nothing failed',
    { timeout: 240_000 },
    throttlingStorm,
  );
  it(
    '5% injected 5xx and timeouts, and answers lost after the write: everything synced, nothing doubled',
    { timeout: 240_000 },
    serverFaults,
  );
  it(
    'an invalid mapping dead-letters its leads with the reason, and a replay after the fix syncs them',
    { timeout: 240_000 },
    invalidMappingReplay,
  );
  it(
    'an expired client secret flips the connection to needs_reauthorization, loses no queued work, and the queue drains after the fix',
    { timeout: 240_000 },
    expiredSecret,
  );
});
