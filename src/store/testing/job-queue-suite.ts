import { describe, expect, it } from 'vitest';
import type { Job } from '../../domain/index.js';
import { SqlJobQueue } from '../job-queue-repository.js';
import type { TestStoreFactory } from './test-store.js';
import { expectCode, useStoreFixture, withSecondHandle } from './store-fixture.js';

const Q = 'connection-1';
const LEASE = 60_000;

export function describeJobQueueSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`job queue on ${dialect}`, () => {
    const f = useStoreFixture(factory);
    const queue = () => f.repos.jobQueue;
    const enqueue = (n: number, target = Q) =>
      queue().enqueue(
        Array.from({ length: n }, (_, i) => ({ queue: target, kind: 'sync_lead', subjectId: `lead-${i}` })),
      );
    const claim = (owner: string, limit = 10, target = Q) =>
      queue().claim({ queue: target, owner, limit, leaseMs: LEASE });
    const ids = (jobs: readonly Job[]) => jobs.map((j) => j.id);

    it('claims due jobs oldest first, leasing them and counting the attempt', async () => {
      const [first, second] = await enqueue(2);
      f.advance(1);
      const later = await queue().enqueue([
        { queue: Q, kind: 'sync_lead', subjectId: 'later', runAt: '2031-03-04T06:00:00Z' },
      ]);
      await enqueue(1, 'connection-2');
      expect(await queue().readyQueues()).toEqual(['connection-1', 'connection-2']);

      const claimed = await claim('worker-a');
      expect(ids(claimed)).toEqual([first?.id, second?.id]);
      expect(claimed[0]).toMatchObject({
        state: 'leased',
        attempts: 1,
        leaseOwner: 'worker-a',
        leaseExpiresAt: new Date(Date.parse(f.now()) + LEASE).toISOString(),
      });
      expect(await claim('worker-b')).toEqual([]);
      expect(await queue().readyQueues()).toEqual(['connection-2']);
      expect(await queue().counts(Q)).toEqual({ ready: 1, leased: 2, done: 0, dead: 0 });
      expect(await queue().counts()).toEqual({ ready: 2, leased: 2, done: 0, dead: 0 });

      f.advance(3_600_000);
      expect(ids(await claim('worker-b'))).toEqual([later[0]?.id]);
    });

    it('never hands one job to two owners, however the claims interleave', async () => {
      await enqueue(120);
      await withSecondHandle(f.testStore, async (other) => {
        // Separate pools on PostgreSQL race with SKIP LOCKED; on SQLite the claims take turns.
        const elsewhere = new SqlJobQueue(other ?? f.store, { clock: f.clock });
        const claimAll = async (target: SqlJobQueue, owner: string): Promise<string[]> => {
          const mine: string[] = [];
          for (;;) {
            const batch = await target.claim({ queue: Q, owner, limit: 7, leaseMs: LEASE });
            if (batch.length === 0) return mine;
            mine.push(...ids(batch));
          }
        };
        const claimed = await Promise.all([
          claimAll(queue(), 'a1'),
          claimAll(queue(), 'a2'),
          claimAll(elsewhere, 'b1'),
          claimAll(elsewhere, 'b2'),
        ]);
        const all = claimed.flat();
        expect(all).toHaveLength(120);
        expect(new Set(all).size).toBe(120);
      });
      const owners = await f.store.db.selectFrom('sync_jobs').select(['lease_owner', 'attempts']).execute();
      expect(owners.every((row) => row.lease_owner !== null && row.attempts === 1)).toBe(true);
    });

    it('complete, heartbeat, retry and dead letter act only for the lease owner', async () => {
      const [a, b, c] = await enqueue(3);
      await claim('worker-a');
      expect(await queue().complete('worker-b', [a?.id ?? ''])).toEqual([]);
      expect(await queue().heartbeat('worker-b', [a?.id ?? ''], LEASE)).toEqual([]);
      await queue().retry('worker-b', b?.id ?? '', f.now(), 'not mine');
      await queue().deadLetter('worker-b', c?.id ?? '', 'not mine');
      expect(await queue().counts()).toEqual({ ready: 0, leased: 3, done: 0, dead: 0 });

      expect(await queue().complete('worker-a', [a?.id ?? '', a?.id ?? '', 'no-such-job'])).toEqual([a?.id]);
      expect(await queue().complete('worker-a', [a?.id ?? ''])).toEqual([]);
      await queue().deadLetter('worker-a', c?.id ?? '', 'Dynamics 365 rejected the data.');
      expect(await queue().counts()).toEqual({ ready: 0, leased: 1, done: 1, dead: 1 });
      const dead = await f.store.db
        .selectFrom('sync_jobs')
        .selectAll()
        .where('id', '=', c?.id ?? '')
        .executeTakeFirstOrThrow();
      expect(dead).toMatchObject({
        state: 'dead',
        lease_owner: null,
        last_error: 'Dynamics 365 rejected the data.',
      });
    });

    it('expired leases go back to the queue; the old owner can then change nothing', async () => {
      const [a, b] = await enqueue(2);
      await claim('worker-a');
      f.advance(LEASE - 1);
      expect(await queue().reapExpired()).toBe(0);
      expect(await queue().heartbeat('worker-a', [a?.id ?? ''], LEASE)).toEqual([a?.id]);
      f.advance(2);
      // b's lease ran out; a's was extended by the heartbeat.
      expect(await queue().reapExpired()).toBe(1);
      expect(await queue().counts()).toEqual({ ready: 1, leased: 1, done: 0, dead: 0 });

      const retaken = await claim('worker-b');
      expect(retaken.map((j) => [j.id, j.attempts, j.leaseOwner])).toEqual([[b?.id, 2, 'worker-b']]);
      expect(await queue().complete('worker-a', [b?.id ?? ''])).toEqual([]);
      expect(await queue().heartbeat('worker-a', [a?.id ?? '', b?.id ?? ''], LEASE)).toEqual([a?.id]);
      await queue().retry('worker-a', b?.id ?? '', f.now(), 'stale');
      await queue().deadLetter('worker-a', b?.id ?? '', 'stale');
      const row = await f.store.db
        .selectFrom('sync_jobs')
        .selectAll()
        .where('id', '=', b?.id ?? '')
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ state: 'leased', lease_owner: 'worker-b', last_error: null });
      expect(await queue().complete('worker-b', [b?.id ?? ''])).toEqual([b?.id]);
    });

    it('a retry waits until its runAt, keeping the error', async () => {
      const [job] = await enqueue(1);
      await claim('worker-a');
      const runAt = new Date(Date.parse(f.now()) + 30_000).toISOString();
      await queue().retry('worker-a', job?.id ?? '', runAt, 'Dynamics 365 is throttling requests.');
      expect(await claim('worker-a')).toEqual([]);
      expect(await queue().readyQueues()).toEqual([]);
      f.advance(29_999);
      expect(await claim('worker-b')).toEqual([]);
      f.advance(1);
      expect(await queue().readyQueues()).toEqual([Q]);
      const [again] = await claim('worker-b');
      expect(again).toMatchObject({
        id: job?.id,
        attempts: 2,
        runAt,
        lastError: 'Dynamics 365 is throttling requests.',
      });
    });

    it('releaseWaiting makes the waiting jobs of one queue due now, leaving others alone', async () => {
      const [job] = await enqueue(2);
      await claim('worker-a');
      const later = new Date(Date.parse(f.now()) + 60_000).toISOString();
      await queue().retry('worker-a', job?.id ?? '', later, 'The connection needs re-authorization.');
      expect(await queue().readyQueues()).toEqual([]);
      expect(await queue().releaseWaiting('another-queue')).toBe(0);
      expect(await queue().releaseWaiting(Q)).toBe(1);
      expect(await queue().readyQueues()).toEqual([Q]);
      expect((await claim('worker-b')).map((j) => j.id)).toEqual([job?.id]);
    });

    it('requeue replays dead and done jobs of the subjects, into the queue given', async () => {
      const [a, b] = await enqueue(3);
      await claim('worker-a');
      await queue().deadLetter('worker-a', a?.id ?? '', 'Dynamics 365 rejected the data.');
      await queue().complete('worker-a', [b?.id ?? '']);
      f.advance(5000);
      // lead-2 (c) is still leased: replay leaves it to its worker.
      expect(await queue().requeue(['lead-0', 'lead-1', 'lead-2', 'lead-9'], 'connection-2')).toBe(2);
      expect(await queue().counts('connection-2')).toEqual({ ready: 2, leased: 0, done: 0, dead: 0 });
      const replayed = await claim('worker-b', 10, 'connection-2');
      expect(replayed.map((j) => [j.id, j.attempts, j.runAt, j.lastError])).toEqual([
        [a?.id, 1, f.now(), undefined],
        [b?.id, 1, f.now(), undefined],
      ]);
      expect((await queue().counts(Q)).leased).toBe(1);
    });

    it('validates what it is given', async () => {
      await expectCode(queue().enqueue([{ queue: '', kind: 'sync_lead', subjectId: 'x' }]), 'invalid_body');
      await expectCode(queue().enqueue([{ queue: Q, kind: 'Sync Lead', subjectId: 'x' }]), 'invalid_body');
      await expectCode(
        queue().enqueue([{ queue: Q, kind: 'sync_lead', subjectId: 'x', runAt: 'soon' }]),
        'invalid_body',
      );
      await expectCode(queue().claim({ queue: Q, owner: 'w', limit: 0, leaseMs: LEASE }), 'invalid_body');
      await expectCode(queue().claim({ queue: Q, owner: '', limit: 1, leaseMs: LEASE }), 'invalid_body');
      await expectCode(queue().heartbeat('w', [42 as unknown as string], LEASE), 'invalid_body');
      await expectCode(queue().retry('w', 'id', 'tomorrow', 'e'), 'invalid_body');
      expect(await queue().enqueue([])).toEqual([]);
      // Long errors are kept, shortened.
      const [job] = await enqueue(1);
      await claim('w');
      await queue().deadLetter('w', job?.id ?? '', 'x'.repeat(10_000));
      const row = await f.store.db.selectFrom('sync_jobs').select('last_error').executeTakeFirstOrThrow();
      expect(row.last_error).toHaveLength(4000);
    });
  });
}
