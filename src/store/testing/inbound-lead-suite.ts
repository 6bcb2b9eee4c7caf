import { describe, expect, it } from 'vitest';
import type { NewInboundLead } from '../../domain/index.js';
import { SqlInboundLeadRepository } from '../inbound-lead-repository.js';
import type { TestStoreFactory } from './test-store.js';
import { expectCode, leadSourceInput, useStoreFixture, withSecondHandle } from './store-fixture.js';

const CONNECTION = 'connection-1';

export function describeInboundLeadSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`inbound leads on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    const newSource = async (name = 'Website'): Promise<string> =>
      (await f.repos.leadSources.create(leadSourceInput({ name }))).id;
    const lead = (sourceId: string, key: string, email = `${key}@example.com`): NewInboundLead => ({
      sourceId,
      idempotencyKey: key,
      payload: { email, consent: true, score: 7, note: null },
    });
    const jobRows = () => f.store.db.selectFrom('sync_jobs').selectAll().orderBy('subject_id').execute();

    it('accept stores leads verbatim with one sync job each, in input order', async () => {
      const sourceId = await newSource();
      const accepted = await f.repos.inboundLeads.accept([lead(sourceId, 'b'), lead(sourceId, 'a')], {
        connectionId: CONNECTION,
      });
      expect(accepted.map((a) => a.duplicate)).toEqual([false, false]);
      const stored = await f.repos.inboundLeads.getMany(accepted.map((a) => a.id));
      expect(stored.map((l) => l.idempotencyKey)).toEqual(['b', 'a']);
      expect(stored[0]).toEqual({
        id: accepted[0]?.id,
        sourceId,
        idempotencyKey: 'b',
        payload: { email: 'b@example.com', consent: true, score: 7, note: null },
        status: 'pending',
        attempts: 0,
        receivedAt: f.now(),
        updatedAt: f.now(),
      });
      const jobs = await jobRows();
      expect(jobs.map((j) => [j.subject_id, j.queue, j.kind, j.state, j.run_at])).toEqual(
        accepted
          .map((a) => [a.id, CONNECTION, 'sync_lead', 'ready', f.now()])
          .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      );
      // Workers get the jobs in the order the leads arrived.
      const claimed = await f.repos.jobQueue.claim({
        queue: CONNECTION,
        owner: 'w',
        limit: 10,
        leaseMs: 1000,
      });
      expect(claimed.map((j) => j.subjectId)).toEqual(accepted.map((a) => a.id));
    });

    it('accept is idempotent: known keys answer the stored id and enqueue nothing', async () => {
      const sourceId = await newSource();
      const otherSource = await newSource('Other');
      const first = await f.repos.inboundLeads.accept([lead(sourceId, 'k1'), lead(sourceId, 'k2')], {
        connectionId: CONNECTION,
      });
      f.advance(1000);
      const again = await f.repos.inboundLeads.accept(
        [lead(sourceId, 'k1', 'changed@example.com'), lead(sourceId, 'k2')],
        {
          connectionId: 'another-connection',
        },
      );
      expect(again).toEqual(first.map((a) => ({ id: a.id, duplicate: true })));
      expect((await f.repos.inboundLeads.get(first[0]?.id ?? ''))?.payload['email']).toBe('k1@example.com');

      // A mixed batch: new keys, known keys, a key repeated within the batch, the same key elsewhere.
      const mixed = await f.repos.inboundLeads.accept(
        [lead(sourceId, 'k3'), lead(sourceId, 'k1'), lead(sourceId, 'k3'), lead(otherSource, 'k1')],
        { connectionId: CONNECTION },
      );
      expect(mixed[0]?.duplicate).toBe(false);
      expect(mixed[1]).toEqual({ id: first[0]?.id, duplicate: true });
      expect(mixed[2]).toEqual({ id: mixed[0]?.id, duplicate: true });
      expect(mixed[3]?.duplicate).toBe(false);
      expect(mixed[3]?.id).not.toBe(first[0]?.id);

      const jobs = await jobRows();
      expect(jobs).toHaveLength(4);
      expect(new Set(jobs.map((j) => j.subject_id))).toEqual(
        new Set([first[0]?.id, first[1]?.id, mixed[0]?.id, mixed[3]?.id]),
      );
      expect(jobs.every((j) => j.queue === CONNECTION)).toBe(true);
      expect(await f.repos.inboundLeads.countByStatus()).toEqual({
        pending: 4,
        synced: 0,
        skipped: 0,
        failed: 0,
      });
    });

    it('concurrent accepts of the same keys end with one lead and one job each', async () => {
      const sourceId = await newSource();
      const batch = Array.from({ length: 20 }, (_, i) => lead(sourceId, `k${i}`));
      await withSecondHandle(f.testStore, async (other) => {
        // Separate pools on PostgreSQL (two processes); two repositories over one handle on SQLite.
        const elsewhere = new SqlInboundLeadRepository(other ?? f.store, { clock: f.clock });
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 === 0 ? f.repos.inboundLeads : elsewhere).accept(
              i % 3 === 0 ? batch : [...batch].reverse(),
              {
                connectionId: CONNECTION,
              },
            ),
          ),
        );
        const idsByKey = new Map<string, Set<string>>();
        results.forEach((result, i) => {
          const keys = (i % 3 === 0 ? batch : [...batch].reverse()).map((l) => l.idempotencyKey);
          result.forEach((accepted, j) => {
            const key = keys[j] ?? '';
            idsByKey.set(key, new Set([...(idsByKey.get(key) ?? []), accepted.id]));
          });
        });
        expect([...idsByKey.values()].every((ids) => ids.size === 1)).toBe(true);
        expect(results.flat().filter((a) => !a.duplicate)).toHaveLength(20);
      });
      expect(await f.store.db.selectFrom('inbound_leads').select('id').execute()).toHaveLength(20);
      expect(await jobRows()).toHaveLength(20);
    });

    it('accepts a thousand leads in one call, half of them known', async () => {
      const sourceId = await newSource();
      const known = await f.repos.inboundLeads.accept(
        Array.from({ length: 500 }, (_, i) => lead(sourceId, `k${i * 2}`)),
        { connectionId: CONNECTION },
      );
      const thousand = Array.from({ length: 1000 }, (_, i) => lead(sourceId, `k${i}`));
      const accepted = await f.repos.inboundLeads.accept(thousand, { connectionId: CONNECTION });
      expect(accepted).toHaveLength(1000);
      expect(accepted.filter((a) => a.duplicate)).toHaveLength(500);
      expect(accepted.filter((_, i) => i % 2 === 0).map((a) => a.id)).toEqual(known.map((a) => a.id));
      expect(await jobRows()).toHaveLength(1000);
      expect((await f.repos.inboundLeads.countByStatus(sourceId)).pending).toBe(1000);
    });

    it('accept refuses bad input and unknown sources, storing nothing', async () => {
      const sourceId = await newSource();
      await expectCode(
        f.repos.inboundLeads.accept([lead(sourceId, 'ok'), lead('no-such-source', 'x')], {
          connectionId: CONNECTION,
        }),
        'not_found',
      );
      await expectCode(
        f.repos.inboundLeads.accept([{ sourceId, idempotencyKey: '', payload: {} }], {
          connectionId: CONNECTION,
        }),
        'invalid_body',
      );
      await expectCode(
        f.repos.inboundLeads.accept(
          [{ sourceId, idempotencyKey: 'k', payload: { nested: { a: 1 } } as never }],
          { connectionId: CONNECTION },
        ),
        'invalid_body',
      );
      await expectCode(
        f.repos.inboundLeads.accept([lead(sourceId, 'k')], { connectionId: '' }),
        'invalid_body',
      );
      expect(await f.store.db.selectFrom('inbound_leads').select('id').execute()).toEqual([]);
      expect(await jobRows()).toEqual([]);
      expect(await f.repos.inboundLeads.accept([], { connectionId: CONNECTION })).toEqual([]);
    });

    it('record outcomes: status and reason replaced, attempts counted, the CRM record kept', async () => {
      const sourceId = await newSource();
      const [a, b, c] = await f.repos.inboundLeads.accept(
        [lead(sourceId, 'a'), lead(sourceId, 'b'), lead(sourceId, 'c')],
        { connectionId: CONNECTION },
      );
      f.advance(1000);
      const recordId = 'f0f0f0f0-0000-4000-8000-000000000001';
      await f.repos.inboundLeads.recordOutcomes([
        {
          id: a?.id ?? '',
          status: 'synced',
          crmTable: 'lead',
          crmRecordId: recordId,
          statusReason: 'Created.',
        },
        { id: b?.id ?? '', status: 'pending', statusReason: 'Dynamics 365 is throttling requests.' },
        { id: b?.id ?? '', status: 'failed', statusReason: "The field 'emailaddress1' is too long." },
        { id: 'no-such-lead', status: 'synced' },
      ]);
      const [syncedA, failedB, untouchedC] = await f.repos.inboundLeads.getMany([
        a?.id ?? '',
        b?.id ?? '',
        c?.id ?? '',
      ]);
      expect(syncedA).toMatchObject({
        status: 'synced',
        crmTable: 'lead',
        crmRecordId: recordId,
        statusReason: 'Created.',
        attempts: 1,
        updatedAt: f.now(),
      });
      expect(failedB).toMatchObject({
        status: 'failed',
        attempts: 1,
        statusReason: "The field 'emailaddress1' is too long.",
      });
      expect(untouchedC).toMatchObject({ status: 'pending', attempts: 0 });
      await f.repos.inboundLeads.recordOutcomes([{ id: a?.id ?? '', status: 'synced' }]);
      const again = await f.repos.inboundLeads.get(a?.id ?? '');
      expect(again).toMatchObject({ crmTable: 'lead', crmRecordId: recordId, attempts: 2 });
      expect(again?.statusReason).toBeUndefined();
      expect(await f.repos.inboundLeads.countByStatus(sourceId)).toEqual({
        pending: 1,
        synced: 1,
        skipped: 0,
        failed: 1,
      });
      await expectCode(
        f.repos.inboundLeads.recordOutcomes([{ id: a?.id ?? '', status: 'done' as 'synced' }]),
        'invalid_body',
      );
    });

    it('list newest first with filters and an opaque cursor, to the last page', async () => {
      const sourceId = await newSource();
      const otherSource = await newSource('Other');
      const ids: string[] = [];
      for (let i = 0; i < 7; i += 1) {
        const accepted = await f.repos.inboundLeads.accept(
          [lead(i % 2 === 0 ? sourceId : otherSource, `k${i}`)],
          {
            connectionId: CONNECTION,
          },
        );
        ids.push(accepted[0]?.id ?? '');
        // Two leads share each instant, so the id has to break ties.
        if (i % 2 === 1) f.advance(1000);
      }
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await f.repos.inboundLeads.list({ limit: 3, ...(after !== undefined && { after }) });
        seen.push(...page.leads.map((l) => l.id));
        after = page.next;
        pages += 1;
      } while (after !== undefined);
      expect(seen).toEqual([...ids].reverse());
      expect(pages).toBe(3);

      const mine = await f.repos.inboundLeads.list({ sourceId, limit: 10 });
      expect(mine.leads.map((l) => l.id)).toEqual([ids[6], ids[4], ids[2], ids[0]]);
      expect(mine.next).toBeUndefined();
      await f.repos.inboundLeads.recordOutcomes([{ id: ids[4] ?? '', status: 'failed' }]);
      expect(
        (await f.repos.inboundLeads.list({ sourceId, status: 'failed' })).leads.map((l) => l.id),
      ).toEqual([ids[4]]);
      expect((await f.repos.inboundLeads.list({ status: 'skipped' })).leads).toEqual([]);
      await expectCode(f.repos.inboundLeads.list({ after: 'not-a-cursor' }), 'invalid_body');
      await expectCode(f.repos.inboundLeads.list({ limit: 0 }), 'invalid_body');
    });
  });
}
