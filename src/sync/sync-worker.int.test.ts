import { describe, expect, it } from 'vitest';
import type { JobQueue } from '../domain/index.js';
import { createSqliteTestStore } from '../store/testing/sqlite-test-store.js';
import { useStoreFixture } from '../store/testing/store-fixture.js';
import { SyncWorker } from './sync-worker.js';

describe('SyncWorker: waking', () => {
  const f = useStoreFixture(createSqliteTestStore);

  it('a wake during a pass that finds nothing is not lost: the worker looks again instead of sleeping', async () => {
    const real = f.repos.jobQueue;
    let raced = false;
    // The real queue, except that its first look for ready work is answered only after new work was
    // stored and the worker woken: the moment (another worker had the job, or it came a moment late)
    // where a wake used to be dropped and the worker slept a whole poll.
    const queue = new Proxy(real, {
      get(target, property) {
        if (property === 'readyQueues')
          return async () => {
            const ready = await target.readyQueues();
            if (!raced) {
              raced = true;
              await target.enqueue([{ queue: 'connection-1', kind: 'sync_lead', subjectId: 'lead-1' }]);
              worker.wake();
            }
            return ready;
          };
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    }) as JobQueue;
    const processed: string[] = [];
    const worker: SyncWorker = new SyncWorker({
      queue,
      // A poll far longer than the test may wait: only the wake can bring the job in time.
      idlePollMs: 600_000,
      leaseMs: 600_000,
      process: (_queue, jobs) => {
        processed.push(...jobs.map((job) => job.subjectId));
        return Promise.resolve(jobs.map((job) => ({ jobId: job.id, kind: 'done' as const })));
      },
    });
    worker.start();
    const deadline = Date.now() + 5_000;
    while (processed.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(processed).toEqual(['lead-1']);
    // Stopping an idle worker is immediate, not a poll away.
    const stopping = Date.now();
    await worker.stop();
    expect(Date.now() - stopping).toBeLessThan(1_000);
  });
});
