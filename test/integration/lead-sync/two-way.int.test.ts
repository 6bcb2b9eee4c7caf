import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncHarness, type SyncHarness } from './lead-sync-support.js';

/** Changes made in Dynamics 365 to records Leadbridge created come back on the scheduled cycle. */

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => h?.close());

async function crmPatch(table: 'leads', id: string, values: Record<string, unknown>) {
  const application = h.emulator.emulator.directory.applications[0]!;
  const token = await fetch(`${h.emulator.url}${h.emulator.emulator.directory.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: application.clientId,
      client_secret: application.clientSecrets[0]!.secretText,
      scope: `${h.emulator.url}.default`,
    }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  const response = await fetch(`${h.emulator.url}api/data/v9.2/${table}(${id})`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify(values),
  });
  expect(response.status).toBe(204);
}

const cycle = async () => {
  const connection = (await h.leadbridge.repositories.crmConnections.get(h.connectionId))!;
  return h.leadbridge.scheduler.runCycle(connection);
};

describe('two-way sync', () => {
  it('brings CRM edits back to the lead, keeps them on a re-sync (CRM wins), and restores Leadbridge-owned columns', async () => {
    const { source, key } = await h.createSource({
      name: 'Two-way',
      fieldRules: { telephone1: 'leadbridge' },
    });
    const captured = await h.capture(source.id, key, {
      email: 'twoway@example.com',
      firstName: 'Tess',
      lastName: 'Way',
      company: 'Acme',
      jobTitle: 'Engineer',
      phone: '+49 30 1234567',
    });
    const leadId = captured.body!['leads'][0].id as string;
    await h.leadbridge.worker.drain();
    await cycle(); // the first cycle only marks where the change feed starts
    const lead = (await h.leadbridge.repositories.inboundLeads.get(leadId))!;
    expect(lead.crmRecordId).toBeDefined();

    await crmPatch('leads', lead.crmRecordId!, {
      jobtitle: 'Head of Engineering',
      telephone1: '+1 555 0100',
    });
    const report = await cycle();
    expect(report).toMatchObject({ changed: 1, restored: 1 });

    const after = (await h.leadbridge.repositories.inboundLeads.get(leadId))!;
    expect(after.crmValues).toMatchObject({ jobtitle: 'Head of Engineering' });
    expect(after.statusReason).toMatch(/Changed in Dynamics 365 .*restored telephone1/);
    const row = h.rows('lead').find((r) => r['leadid'] === lead.crmRecordId)!;
    expect(row['jobtitle']).toBe('Head of Engineering');
    expect(row['telephone1']).toBe('+49 30 1234567');

    // A replay syncs the lead again: the CRM's jobtitle edit stays.
    const replay = await h.api('/api/v1/sync/replay', {
      method: 'POST',
      token: h.adminToken,
      json: { leadIds: [leadId] },
    });
    expect(replay.body).toEqual({ requeued: 1 });
    expect(await h.leadbridge.worker.drain()).toMatchObject({ done: 1 });
    expect(h.rows('lead').find((r) => r['leadid'] === lead.crmRecordId)!['jobtitle']).toBe(
      'Head of Engineering',
    );
  });
});
