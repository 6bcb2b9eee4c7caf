import { describe, expect, it } from 'vitest';
import type { NewSyncLogEntry } from '../../domain/index.js';
import type { TestStoreFactory } from './test-store.js';
import { expectCode, leadSourceInput, useStoreFixture } from './store-fixture.js';

export function describeSyncLogSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`sync log on ${dialect}`, () => {
    const f = useStoreFixture(factory);
    let web: string;
    let csv: string;

    const entry = (overrides: Partial<NewSyncLogEntry> = {}): NewSyncLogEntry => ({
      leadId: 'lead-1',
      sourceId: web,
      connectionId: 'connection-1',
      attempt: 1,
      outcome: 'created',
      table: 'lead',
      recordId: 'f0f0f0f0-0000-4000-8000-000000000001',
      decision: 'create_lead',
      reason: 'No lead or contact has this email; a new lead was created.',
      payload: { emailaddress1: 'ada@example.com', lastname: 'Lovelace' },
      dryRun: false,
      ...overrides,
    });

    /** Everything a filter finds, page by page, newest first. */
    async function listAll(filter: Parameters<typeof f.repos.syncLog.list>[0]): Promise<string[]> {
      const reasons: string[] = [];
      let after: string | undefined;
      do {
        const page = await f.repos.syncLog.list({
          ...filter,
          limit: 2,
          ...(after !== undefined && { after }),
        });
        reasons.push(...page.entries.map((e) => e.reason));
        after = page.next;
      } while (after !== undefined);
      return reasons;
    }

    it('append keeps every field, and get and list give them back', async () => {
      web = (await f.repos.leadSources.create(leadSourceInput())).id;
      const failed = entry({
        outcome: 'failed',
        errorCode: 'crm_validation_failed',
        errorMessage: "A value for 'lastname' is required.",
        retryable: false,
        dryRun: true,
        attempt: 2,
      });
      await f.repos.syncLog.append([entry(), failed]);
      const { entries, next } = await f.repos.syncLog.list({});
      expect(next).toBeUndefined();
      expect(entries).toHaveLength(2);
      const stored = entries.find((e) => e.outcome === 'failed');
      expect(stored).toEqual({ ...failed, id: stored?.id, at: f.now() });
      expect(await f.repos.syncLog.get(stored?.id ?? '')).toEqual(stored);
      const minimal = entry({ outcome: 'skipped' });
      const { table: _t, recordId: _r, decision: _d, payload: _p, ...bare } = minimal;
      await f.repos.syncLog.append([bare]);
      const skipped = (await f.repos.syncLog.list({ outcome: 'skipped' })).entries[0];
      expect(skipped).toEqual({ ...bare, id: skipped?.id, at: f.now() });
      expect(await f.repos.syncLog.get('no-such-entry')).toBeUndefined();
    });

    it('filter by source, lead, outcome, time and text, paging newest first', async () => {
      web = (await f.repos.leadSources.create(leadSourceInput())).id;
      csv = (await f.repos.leadSources.create(leadSourceInput({ name: 'CSV', kind: 'csv' }))).id;
      const start = f.now();
      await f.repos.syncLog.append([
        entry({ reason: 'r1' }),
        entry({ reason: 'r2', leadId: 'lead-2', outcome: 'updated' }),
        entry({ reason: 'r3', sourceId: csv, outcome: 'failed', errorMessage: 'Größe überschritten' }),
      ]);
      f.advance(60_000);
      const middle = f.now();
      await f.repos.syncLog.append([
        entry({ reason: 'r4', payload: { lastname: 'MÜLLER', note: '100% sure_thing' } }),
        entry({ reason: 'r5 Throttled by Dynamics 365', outcome: 'failed', leadId: 'lead-2' }),
      ]);
      f.advance(60_000);
      await f.repos.syncLog.append([entry({ reason: 'r6', sourceId: csv })]);

      // Same instant: the later-appended row (larger id) comes first.
      expect(await listAll({})).toEqual(['r6', 'r5 Throttled by Dynamics 365', 'r4', 'r3', 'r2', 'r1']);
      expect(await listAll({ sourceId: csv })).toEqual(['r6', 'r3']);
      expect(await listAll({ leadId: 'lead-2' })).toEqual(['r5 Throttled by Dynamics 365', 'r2']);
      expect(await listAll({ outcome: 'failed' })).toEqual(['r5 Throttled by Dynamics 365', 'r3']);
      expect(await listAll({ sourceId: web, outcome: 'failed' })).toEqual(['r5 Throttled by Dynamics 365']);
      expect(await listAll({ from: middle })).toEqual(['r6', 'r5 Throttled by Dynamics 365', 'r4']);
      expect(await listAll({ from: start, to: middle })).toEqual(['r3', 'r2', 'r1']);
      expect(await listAll({ to: '2031-03-04T05:06:07.890+00:00' })).toEqual([]);
    });

    const TEXT_CASES: readonly (readonly [string, readonly string[]])[] = [
      ['throttled', ['r5 Throttled by Dynamics 365']],
      ['THROTTLED BY', ['r5 Throttled by Dynamics 365']],
      ['müller', ['r4']],
      ['GRÖSSE', []],
      ['größe', ['r3']],
      ['100%', ['r4']],
      ['%', ['r4']],
      ['_', ['r4']],
      ['r_', []],
      ['sure_thing', ['r4']],
      ['ada@example.com', ['r6', 'r5 Throttled by Dynamics 365', 'r4', 'r2', 'r1']],
      ['\\', []],
    ];

    // One store for the whole table: each case only reads.
    it('finds text case-insensitively (non-ASCII too), wildcards taken literally', async () => {
      web = (await f.repos.leadSources.create(leadSourceInput())).id;
      await f.repos.syncLog.append([
        entry({ reason: 'r1' }),
        entry({ reason: 'r2' }),
        entry({ reason: 'r3', payload: { lastname: 'x' }, errorMessage: 'Größe überschritten' }),
        entry({
          reason: 'r4',
          payload: { emailaddress1: 'ada@example.com', note: '100% sure_thing', lastname: 'MÜLLER' },
        }),
        entry({ reason: 'r5 Throttled by Dynamics 365' }),
        entry({ reason: 'r6' }),
      ]);
      for (const [text, expected] of TEXT_CASES)
        expect(await listAll({ text }), `text ${JSON.stringify(text)}`).toEqual(expected);
    });

    it('append refuses bad entries and unknown sources, storing none; long texts are shortened', async () => {
      web = (await f.repos.leadSources.create(leadSourceInput())).id;
      await expectCode(f.repos.syncLog.append([entry(), entry({ sourceId: 'no-such-source' })]), 'not_found');
      await expectCode(f.repos.syncLog.append([entry({ outcome: 'exploded' as 'failed' })]), 'invalid_body');
      await expectCode(f.repos.syncLog.append([entry({ reason: '' })]), 'invalid_body');
      await expectCode(f.repos.syncLog.append([entry({ payload: { n: 1n } })]), 'invalid_body');
      expect((await f.repos.syncLog.list({})).entries).toEqual([]);
      await f.repos.syncLog.append([entry({ errorMessage: 'e'.repeat(5000) })]);
      expect((await f.repos.syncLog.list({})).entries[0]?.errorMessage).toHaveLength(4000);
      await expectCode(f.repos.syncLog.list({ after: 'bm9wZQ' }), 'invalid_body');
      await expectCode(f.repos.syncLog.list({ from: 'yesterday' }), 'invalid_body');
      await expectCode(f.repos.syncLog.list({ limit: 1001 }), 'invalid_body');
    });
  });
}
