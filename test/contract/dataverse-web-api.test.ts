import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';

/**
 * The Dataverse emulator driven by clients nobody here wrote: dynamics-web-api for the Web API and
 * @azure/msal-node for its tokens, over real HTTPS on loopback.
 */
let running: RunningEmulator;

beforeAll(async () => {
  running = await startDataverseEmulator();
});
afterAll(async () => {
  await running?.close();
});

interface Lead {
  leadid: string;
  firstname?: string;
  lastname?: string;
  fullname?: string;
  emailaddress1?: string;
  '@odata.etag'?: string;
}

describe('dynamics-web-api against the Dataverse emulator', () => {
  it('gets a token from the emulated Entra ID and calls WhoAmI as the application user', async () => {
    const api = running.client();
    const whoAmI = await api.callFunction<{ UserId: string; OrganizationId: string }>('WhoAmI');
    expect(whoAmI.UserId).toBe(running.emulator.directory.applications[0]?.systemUserId);
    expect(whoAmI.OrganizationId).toBe(running.emulator.env.organization.organizationId);
  });

  it('creates, retrieves, updates, upserts and deletes a lead', async () => {
    const api = running.client();
    const created = await api.create<Partial<Lead>, Lead>({
      collection: 'leads',
      data: { firstname: 'Ana', lastname: "O'Brien", emailaddress1: 'ana@example.com' },
      returnRepresentation: true,
      select: ['fullname', 'emailaddress1'],
    });
    expect(created.fullname).toBe("Ana O'Brien");
    expect(created['@odata.etag']).toMatch(/^W\/"\d+"$/);

    await api.update({ collection: 'leads', key: created.leadid, data: { jobtitle: 'CTO' } });
    const retrieved = await api.retrieve<Lead & { jobtitle: string; _ownerid_value: string }>({
      collection: 'leads',
      key: created.leadid,
      select: ['jobtitle', '_ownerid_value'],
    });
    expect(retrieved.jobtitle).toBe('CTO');
    // ownerid defaults to the caller: the application user.
    expect(retrieved._ownerid_value).toBe(running.emulator.directory.applications[0]?.systemUserId);

    const upsertId = '3f2c6a1e-0000-4000-8000-000000000001';
    await api.upsert({ collection: 'leads', key: upsertId, data: { lastname: 'Upserted' } });
    await api.upsert({ collection: 'leads', key: upsertId, data: { firstname: 'Now' } });
    const upserted = await api.retrieve<Lead>({ collection: 'leads', key: upsertId, select: ['fullname'] });
    expect(upserted.fullname).toBe('Now Upserted');

    await api.deleteRecord({ collection: 'leads', key: created.leadid });
    await expect(api.retrieve({ collection: 'leads', key: created.leadid })).rejects.toMatchObject({
      status: 404,
      code: '0x80040217',
    });
  });

  it('pages through every lead with odata.maxpagesize and nextLink', async () => {
    const api = running.client();
    const total = await api.count({ collection: 'leads' });
    const all = await api.retrieveAll<Lead>({ collection: 'leads', select: ['fullname'], maxPageSize: 3 });
    expect(all.value.length).toBe(total);
    expect(new Set(all.value.map((l) => l.leadid)).size).toBe(total);
  });

  it('filters with the Dataverse In function and expands a lookup', async () => {
    const api = running.client();
    const sample = await api.retrieveMultiple<{ contactid: string; emailaddress1: string }>({
      collection: 'contacts',
      select: ['emailaddress1'],
      top: 2,
    });
    const emails = sample.value.map((c) => c.emailaddress1);
    const found = await api.retrieveMultiple<{
      emailaddress1: string;
      parentcustomerid_account: { name: string } | null;
    }>({
      collection: 'contacts',
      select: ['emailaddress1'],
      filter: `Microsoft.Dynamics.CRM.In(PropertyName='emailaddress1',PropertyValues=[${emails.map((e) => `"${e.toUpperCase()}"`).join(',')}])`,
      expand: [{ property: 'parentcustomerid_account', select: ['name'] }],
    });
    expect(found.value.map((c) => c.emailaddress1).sort()).toEqual([...emails].sort());
    expect(found.value[0]?.parentcustomerid_account?.name).toEqual(expect.any(String));
  });

  it('runs a batch whose change set creates a lead and a task regarding it', async () => {
    const api = running.client();
    api.startBatch();
    void api.create({
      collection: 'leads',
      data: { lastname: 'Batch', subject: 'From batch' },
      contentId: '1',
    });
    void api.create({
      collection: 'tasks',
      data: { subject: 'Call back', 'regardingobjectid_lead_task@odata.bind': '$1' },
    });
    const responses = await api.executeBatch();
    expect(responses).toHaveLength(2);
    const leadId = String(responses[0]);
    const tasks = await api.retrieveMultiple<{ subject: string }>({
      collection: 'tasks',
      select: ['subject'],
      filter: `_regardingobjectid_value eq ${leadId}`,
    });
    expect(tasks.value.map((t) => t.subject)).toEqual(['Call back']);
  });

  it('rolls a failing change set back entirely', async () => {
    const api = running.client();
    const before = await api.count({ collection: 'leads' });
    api.startBatch();
    void api.create({ collection: 'leads', data: { lastname: 'Rolled back' } });
    void api.create({ collection: 'leads', data: { leadsourcecode: 999 } });
    await expect(api.executeBatch()).rejects.toBeDefined();
    expect(await api.count({ collection: 'leads' })).toBe(before);
  });

  it('creates many leads in one CreateMultiple call', async () => {
    const api = running.client();
    const result = await api.callAction<{ Ids: string[] }>({
      actionName: 'Microsoft.Dynamics.CRM.CreateMultiple',
      collection: 'leads',
      action: {
        Targets: Array.from({ length: 25 }, (_, i) => ({
          '@odata.type': 'Microsoft.Dynamics.CRM.lead',
          lastname: `Bulk ${i}`,
          emailaddress1: `bulk${i}@example.com`,
        })),
      },
    });
    expect(result.Ids).toHaveLength(25);
    const stored = await api.retrieveMultiple<Lead>({
      collection: 'leads',
      select: ['lastname'],
      filter: "startswith(lastname,'Bulk ')",
    });
    expect(stored.value).toHaveLength(25);
  });

  it('reads the lead source choices from the metadata', async () => {
    const api = running.client();
    const attribute = await api.retrieveAttributes<{
      LogicalName: string;
      OptionSet: { Options: { Value: number; Label: { UserLocalizedLabel: { Label: string } } }[] };
    }>({
      entityKey: "LogicalName='lead'",
      castType: 'Microsoft.Dynamics.CRM.PicklistAttributeMetadata',
      select: ['LogicalName'],
      filter: "LogicalName eq 'leadsourcecode'",
      expand: [{ property: 'OptionSet', select: ['Options'] }],
    });
    const options = attribute.value[0]?.OptionSet.Options.map((o) => [
      o.Value,
      o.Label.UserLocalizedLabel.Label,
    ]);
    expect(options).toContainEqual([8, 'Web']);
    expect(options).toHaveLength(10);
  });

  it('tracks changes: a delta link returns new, changed and deleted rows', async () => {
    const api = running.client();
    const initial = await api.retrieveMultiple<Lead>({
      collection: 'leads',
      select: ['lastname'],
      trackChanges: true,
    });
    const deltaLink = initial.oDataDeltaLink;
    expect(deltaLink).toContain('$deltatoken=');
    const doomed = initial.value[0]?.leadid ?? '';
    const changed = initial.value[1]?.leadid ?? '';
    const created = await api.create<Partial<Lead>, Lead>({
      collection: 'leads',
      data: { lastname: 'Tracked' },
      returnRepresentation: true,
    });
    await api.update({ collection: 'leads', key: changed, data: { lastname: 'Changed' } });
    await api.deleteRecord({ collection: 'leads', key: doomed });

    const delta = await api.retrieveMultiple<Lead & { id?: string; reason?: string }>(
      { collection: 'leads', select: ['lastname'] },
      deltaLink,
    );
    const upserts = delta.value.filter((r) => r.leadid).map((r) => r.leadid);
    expect(upserts.sort()).toEqual([created.leadid, changed].sort());
    expect(delta.value.filter((r) => r.reason === 'deleted').map((r) => r.id)).toEqual([doomed]);
    expect(delta.oDataDeltaLink).toContain('$deltatoken=');
  });
});

describe('service protection limits', () => {
  it('answers 429 with Retry-After and the real code once a caller exceeds its request limit', async () => {
    const limited = await startDataverseEmulator({ limits: { maxRequests: 3, windowSeconds: 300 } });
    try {
      const api = limited.client();
      for (let i = 0; i < 3; i++) await api.callFunction('WhoAmI');
      const error = await api.callFunction('WhoAmI').then(
        () => undefined,
        (e: unknown) => e as { status: number; code: string; headers: Record<string, string> },
      );
      expect(error?.status).toBe(429);
      expect(error?.code).toBe('0x80072322');
      expect(Number(error?.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
