import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../../../src/contracts/index.js';
import { crmWorld, type CrmWorld } from './crm-world.js';
import { startSyncHarness, type SyncHarness } from './lead-sync-support.js';

/** What people do with the sync beyond capturing: dry runs, replays after a fix, owners and lists. */

let h: SyncHarness;
let world: CrmWorld;
beforeAll(async () => {
  h = await startSyncHarness();
  world = crmWorld(h);
});
afterAll(async () => h?.close());

interface LogEntry {
  leadId: string;
  outcome: string;
  attempt: number;
  decision?: string;
  table?: string;
  recordId?: string;
  reason: string;
  errorCode?: string;
}

const logOf = async (sourceId: string): Promise<LogEntry[]> =>
  (await h.api(`/api/v1/sync/log?sourceId=${sourceId}&limit=500`, { token: h.adminToken })).body![
    'entries'
  ] as LogEntry[];

const patchSource = async (id: string, json: unknown): Promise<Source> => {
  const answer = await h.api(`/api/v1/sources/${id}`, { method: 'PATCH', token: h.adminToken, json });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as Source;
};

describe('dry run', () => {
  const EXISTING = 'd0000000-0000-4000-8000-000000000001';

  it('says what it would create, update, skip or fail and why, and writes nothing anywhere', async () => {
    await world.createMany('lead', [
      { leadid: EXISTING, lastname: 'Exists', subject: 's', emailaddress1: 'dry.exists@example.com' },
    ]);
    const { source } = await h.createSource({ name: 'Dry run' });
    const leads = [
      { email: 'DRY.EXISTS@example.com', lastName: 'Exists', jobTitle: 'Would update' },
      { email: 'dry.new@example.com', lastName: 'New' },
      { email: 'dry.nolastname@example.com' },
    ];
    const crmBefore = JSON.stringify([h.rows('lead'), h.rows('contact')]);
    const dryRun = (json: unknown) =>
      h.api('/api/v1/sync/dry-run', { method: 'POST', token: h.adminToken, json });

    const first = await dryRun({ sourceId: source.id, leads });
    expect(first.status).toBe(200);
    expect(first.body!['summary']).toEqual({ create: 1, update: 1, skip: 0, fail: 1 });
    const [update, create, fail] = first.body!['leads'];
    expect(update).toMatchObject({ ref: 'row 1', action: 'update', table: 'lead', recordId: EXISTING });
    expect(update.reason).toMatch(
      /^Would update lead d0000000… — the only lead with email dry\.exists@example\.com/,
    );
    expect(update.payload).toMatchObject({ jobtitle: 'Would update' });
    expect(create).toMatchObject({ ref: 'row 2', action: 'create', table: 'lead' });
    expect(create.reason).toMatch(/^Would create a lead: no lead has email dry\.new@example\.com/);
    expect(fail).toMatchObject({ ref: 'row 3', action: 'fail' });
    expect(fail.reason).toMatch(/lastname/i);

    await patchSource(source.id, {
      duplicates: {
        mode: 'policy',
        policy: { check: 'leads', keys: 'email', onDuplicate: 'none', create: 'none' },
      },
    });
    const refused = await dryRun({ sourceId: source.id, leads: [{ email: 'not-an-email', lastName: 'X' }] });
    expect(refused.body!['leads'][0]).toMatchObject({ action: 'fail' });
    expect(refused.body!['leads'][0].reason).toMatch(/capture would refuse it: email: .*not an email/);

    const second = await dryRun({ sourceId: source.id, leads: leads.slice(0, 2) });
    expect(second.body!['summary']).toEqual({ create: 0, update: 0, skip: 2, fail: 0 });
    expect(second.body!['leads'][0]).toMatchObject({ action: 'skip', recordId: EXISTING });
    expect(second.body!['leads'][0].reason).toMatch(/^Would skip: .*takes no action on duplicates/);
    expect(second.body!['leads'][1].reason).toMatch(/^Would skip: .*creates no new record/);

    expect(JSON.stringify([h.rows('lead'), h.rows('contact')])).toBe(crmBefore);
    expect(await logOf(source.id)).toEqual([]);
    expect(await h.leadbridge.repositories.inboundLeads.countByStatus(source.id)).toMatchObject({
      pending: 0,
      synced: 0,
      skipped: 0,
      failed: 0,
    });
  });
});

describe('dead letters and replay after a mapping fix', () => {
  it('an unknown choice label dead-letters with its reason; after the fix a replay syncs the leads', async () => {
    const { source, key } = await h.createSource({ name: 'Ratings' });
    const withRating = await patchSource(source.id, {
      fields: [...source.fields, { name: 'rating', label: 'Rating', type: 'text', required: false }],
      mappings: {
        ...source.mappings,
        lead: {
          table: 'lead',
          columns: [
            ...source.mappings.lead!.columns,
            { column: 'leadqualitycode', value: { kind: 'field', field: 'rating' } },
          ],
        },
      },
    });
    expect(withRating.mappings.lead!.columns.at(-1)).toMatchObject({ column: 'leadqualitycode' });

    const captured = await h.capture(source.id, key, [
      { email: 'rating.hot@example.com', lastName: 'Hot', rating: 'hot' },
      { email: 'rating.luke1@example.com', lastName: 'Luke', rating: 'Lukewarm' },
      { email: 'rating.luke2@example.com', lastName: 'Luke', rating: 'Lukewarm' },
    ]);
    const [hotId, ...lukeIds] = captured.body!['leads'].map((l: { id: string }) => l.id) as string[];
    expect(await h.leadbridge.worker.drain()).toMatchObject({ claimed: 3, done: 1, dead: 2, retried: 0 });

    const failed = (await logOf(source.id)).filter((entry) => entry.outcome === 'failed');
    expect(failed.map((entry) => entry.leadId).sort()).toEqual([...lukeIds].sort());
    for (const entry of failed) {
      expect(entry).toMatchObject({ errorCode: 'mapping_invalid', table: 'lead' });
      expect(entry.reason).toMatch(
        /^Mapping to lead failed: leadqualitycode: .*"Lukewarm".*\(from field "rating"\)/,
      );
    }
    expect(await h.leadbridge.repositories.inboundLeads.countByStatus(source.id)).toMatchObject({
      synced: 1,
      failed: 2,
    });
    expect(h.rows('lead').find((row) => row['emailaddress1'] === 'rating.hot@example.com')).toMatchObject({
      leadqualitycode: 1,
    });
    expect(h.rows('lead').some((row) => String(row['emailaddress1']).startsWith('rating.luke'))).toBe(false);

    await patchSource(source.id, {
      mappings: {
        ...withRating.mappings,
        lead: {
          table: 'lead',
          columns: [
            ...source.mappings.lead!.columns,
            { column: 'leadqualitycode', value: { kind: 'constant', value: 'Warm' } },
          ],
        },
      },
    });
    const replay = await h.api('/api/v1/sync/replay', {
      method: 'POST',
      token: h.adminToken,
      json: { sourceId: source.id, failed: true },
    });
    expect(replay.body).toEqual({ requeued: 2 });
    expect(await h.leadbridge.worker.drain()).toMatchObject({ claimed: 2, done: 2, dead: 0 });

    const luke = h.rows('lead').filter((row) => String(row['emailaddress1']).startsWith('rating.luke'));
    expect(luke.map((row) => row['leadqualitycode'])).toEqual([2, 2]);
    const latest = await logOf(source.id);
    for (const id of lukeIds)
      expect(latest.find((entry) => entry.leadId === id)).toMatchObject({
        outcome: 'created',
        table: 'lead',
      });
    expect(latest.filter((entry) => entry.leadId === hotId)).toHaveLength(1);
    expect(await h.leadbridge.repositories.inboundLeads.countByStatus(source.id)).toMatchObject({
      synced: 3,
      failed: 0,
    });
  });
});

describe('owner, campaign and marketing list', () => {
  it('new leads get the owner, the campaign, and membership of the static list', async () => {
    const owner = [...h.emulator.emulator.env.store.rows('systemuser')].find(
      (row) => row['applicationid'] === undefined && row['isdisabled'] === false,
    )!;
    const ownerId = String(owner['systemuserid']);
    const campaignId = await world.create('campaigns', { name: 'Autumn webinar' });
    const listId = await world.create('lists', {
      listname: 'Webinar leads',
      createdfromcode: 4,
      type: false,
    });
    const { source, key } = await h.createSource({
      name: 'Webinar',
      ownerSystemUserId: ownerId,
      campaignId,
      marketingListId: listId,
    });
    const captured = await h.capture(source.id, key, [
      { email: 'webinar.one@example.com', lastName: 'One' },
      { email: 'webinar.two@example.com', lastName: 'Two' },
    ]);
    await h.leadbridge.worker.drain();

    const log = await logOf(source.id);
    const leadIds = captured.body!['leads'].map((l: { id: string }) => l.id) as string[];
    const recordIds = leadIds.map((id) => log.find((entry) => entry.leadId === id)!.recordId!);
    for (const [index, recordId] of recordIds.entries()) {
      expect(log.find((entry) => entry.leadId === leadIds[index])).toMatchObject({ outcome: 'created' });
      expect(world.row('lead', recordId)).toMatchObject({
        ownerid: { id: ownerId, entity: 'systemuser' },
        campaignid: { id: campaignId, entity: 'campaign' },
      });
    }
    const members = [...h.emulator.emulator.env.store.rows('listmember')]
      .filter((row) => (row['listid'] as { id: string }).id === listId)
      .map((row) => (row['entityid'] as { id: string }).id);
    expect(members.sort()).toEqual([...recordIds].sort());
    for (const entry of log) expect(entry.reason).not.toMatch(/marketing list/);
  });

  it('a list the CRM refuses is reported on the lead, which is still created', async () => {
    const contactList = await world.create('lists', {
      listname: 'Contacts only',
      createdfromcode: 2,
      type: false,
    });
    const { source, key } = await h.createSource({ name: 'Wrong list', marketingListId: contactList });
    await h.capture(source.id, key, { email: 'wrong.list@example.com', lastName: 'List' });
    expect(await h.leadbridge.worker.drain()).toMatchObject({ done: 1, dead: 0 });
    const [entry] = await logOf(source.id);
    expect(entry).toMatchObject({ outcome: 'created', table: 'lead' });
    expect(entry!.reason).toContain(`Adding it to marketing list ${contactList} failed:`);
    expect(entry!.reason).toMatch(/targeted at contact records/);
    expect(world.row('lead', entry!.recordId!)).toMatchObject({ emailaddress1: 'wrong.list@example.com' });
    expect(await h.leadbridge.repositories.inboundLeads.countByStatus(source.id)).toMatchObject({
      synced: 1,
    });
  });
});
