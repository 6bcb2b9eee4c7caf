import { describe, expect, it } from 'vitest';
import type { TestStoreFactory } from './test-store.js';
import { expectCode, leadSourceInput, useStoreFixture } from './store-fixture.js';

const OWNER = 'AAAAAAAA-0000-4000-8000-000000000001';
const CAMPAIGN = 'aaaaaaaa-0000-4000-8000-000000000002';

export function describeLeadSourceSuite(dialect: string, factory: TestStoreFactory): void {
  describe(`lead sources on ${dialect}`, () => {
    const f = useStoreFixture(factory);

    async function connection(n: number): Promise<string> {
      const created = await f.repos.crmConnections.create({
        name: `Contoso ${n}`,
        environmentUrl: `https://org${n}.crm.dynamics.com`,
        tenantId: '11111111-2222-3333-4444-555555555555',
        clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        authKind: 'client_secret',
        credentials: { clientSecret: 'secret' },
      });
      return created.id;
    }

    it('store fields, mappings and duplicate handling as JSON and give them back whole', async () => {
      const connectionId = await connection(1);
      const input = leadSourceInput({ connectionId, ownerSystemUserId: OWNER, campaignId: CAMPAIGN });
      const source = await f.repos.leadSources.create(input);
      expect(source).toEqual({
        ...input,
        ownerSystemUserId: OWNER.toLowerCase(),
        id: source.id,
        createdAt: f.now(),
        updatedAt: f.now(),
      });
      expect(await f.repos.leadSources.get(source.id)).toEqual(source);
      const raw = await f.store.db
        .selectFrom('lead_sources')
        .select(['enabled', 'duplicates'])
        .executeTakeFirstOrThrow();
      expect(raw.enabled).toBe(1);
      expect(JSON.parse(raw.duplicates)).toEqual(input.duplicates);
      const second = await f.repos.leadSources.create(leadSourceInput({ name: 'CSV', kind: 'csv' }));
      expect((await f.repos.leadSources.list()).map((s) => s.id)).toEqual([source.id, second.id]);
      expect(second.connectionId).toBeUndefined();
    });

    const INVALID_SOURCES: readonly (readonly [string, object])[] = [
      ['an unknown kind', { kind: 'fax' }],
      ['a blank name', { name: '  ' }],
      ['a select without options', { fields: [{ name: 'x', label: 'X', type: 'select', required: true }] }],
      [
        'duplicate field names',
        {
          fields: [
            { name: 'x', label: 'X', type: 'text', required: true },
            { name: 'x', label: 'Y', type: 'text', required: false },
          ],
        },
      ],
      ['a mapping under the wrong table', { mappings: { contact: { table: 'lead', columns: [] } } }],
      [
        'an unknown transform',
        {
          mappings: {
            lead: {
              table: 'lead',
              columns: [
                { column: 'a', value: { kind: 'field', field: 'a' }, transforms: [{ kind: 'rot13' }] },
              ],
            },
          },
        },
      ],
      ['an unknown duplicate mode', { duplicates: { mode: 'guess' } }],
      ['a campaign that is not a GUID', { campaignId: 'campaign-1' }],
      ['a zero sync interval', { syncIntervalMinutes: 0 }],
      ['an unexpected property', { colour: 'blue' }],
    ];

    it('refuse malformed sources as invalid_body, storing nothing', async () => {
      for (const [label, overrides] of INVALID_SOURCES) {
        const error = await expectCode(
          f.repos.leadSources.create({ ...leadSourceInput(), ...overrides } as never),
          'invalid_body',
        );
        expect(error.message, label).toMatch(/^The request body is not valid\. Invalid lead source: /);
      }
      expect(await f.repos.leadSources.list()).toEqual([]);
    });

    it('refuse an unknown connection and bad ids clearly', async () => {
      await expectCode(f.repos.leadSources.create(leadSourceInput({ connectionId: 'gone' })), 'not_found');
      await expectCode(f.repos.leadSources.get(42 as unknown as string), 'invalid_body');
      await expectCode(f.repos.leadSources.get(''), 'invalid_body');
      expect(await f.repos.leadSources.get('no-such-source')).toBeUndefined();
      await expectCode(f.repos.leadSources.update('no-such-source', { name: 'x' }), 'not_found');
      await expectCode(f.repos.leadSources.delete('no-such-source'), 'not_found');
    });

    it('update merges changes, validates the result, and null clears an optional reference', async () => {
      const connectionId = await connection(1);
      const source = await f.repos.leadSources.create(
        leadSourceInput({ connectionId, campaignId: CAMPAIGN }),
      );
      f.advance(1000);
      const renamed = await f.repos.leadSources.update(source.id, { name: 'Renamed', enabled: false });
      expect(renamed).toMatchObject({ name: 'Renamed', enabled: false, connectionId, campaignId: CAMPAIGN });
      expect(renamed.updatedAt).toBe(f.now());
      expect(renamed.createdAt).toBe(source.createdAt);
      expect(renamed.fields).toEqual(source.fields);
      const cleared = await f.repos.leadSources.update(source.id, { connectionId: null, campaignId: null });
      expect(cleared.connectionId).toBeUndefined();
      expect(cleared.campaignId).toBeUndefined();
      expect(await f.repos.leadSources.get(source.id)).toEqual(cleared);
      await expectCode(f.repos.leadSources.update(source.id, { syncIntervalMinutes: -1 }), 'invalid_body');
      await expectCode(f.repos.leadSources.update(source.id, { connectionId: 'gone' }), 'not_found');
      expect((await f.repos.leadSources.get(source.id))?.connectionId).toBeUndefined();
    });

    it('fall back to the primary connection (no connection) when theirs is disconnected', async () => {
      const connectionId = await connection(1);
      const source = await f.repos.leadSources.create(leadSourceInput({ connectionId }));
      await f.repos.crmConnections.disconnect(connectionId);
      expect((await f.repos.leadSources.get(source.id))?.connectionId).toBeUndefined();
    });

    it('delete is refused while leads wait, and then takes keys, leads, jobs and log along', async () => {
      const source = await f.repos.leadSources.create(leadSourceInput());
      const other = await f.repos.leadSources.create(leadSourceInput({ name: 'Other' }));
      const key = await f.repos.sourceApiKeys.create(source.id);
      await f.repos.sourceApiKeys.create(other.id);
      const [lead] = await f.repos.inboundLeads.accept(
        [{ sourceId: source.id, idempotencyKey: 'k1', payload: { email: 'a@example.com' } }],
        { connectionId: 'conn-1' },
      );
      await f.repos.inboundLeads.accept(
        [{ sourceId: other.id, idempotencyKey: 'k1', payload: { email: 'b@example.com' } }],
        { connectionId: 'conn-1' },
      );
      await f.repos.syncLog.append([
        {
          leadId: lead?.id ?? '',
          sourceId: source.id,
          connectionId: 'conn-1',
          attempt: 1,
          outcome: 'failed',
          reason: 'Dynamics 365 rejected the data.',
          dryRun: false,
        },
      ]);
      await expectCode(f.repos.leadSources.delete(source.id), 'conflict');
      await f.repos.inboundLeads.recordOutcomes([
        { id: lead?.id ?? '', status: 'failed', statusReason: 'bad' },
      ]);

      await f.repos.leadSources.delete(source.id);
      expect(await f.repos.leadSources.get(source.id)).toBeUndefined();
      expect(await f.repos.sourceApiKeys.verify(key.plainKey)).toBeUndefined();
      expect(await f.repos.inboundLeads.get(lead?.id ?? '')).toBeUndefined();
      expect((await f.repos.syncLog.list({})).entries).toEqual([]);
      expect(await f.repos.jobQueue.counts()).toEqual({ ready: 1, leased: 0, done: 0, dead: 0 });
      expect(await f.repos.sourceApiKeys.listForSource(other.id)).toHaveLength(1);
    });

    it('source API keys belong to an existing source', async () => {
      await expectCode(f.repos.sourceApiKeys.create('no-such-source'), 'not_found');
    });
  });
}
