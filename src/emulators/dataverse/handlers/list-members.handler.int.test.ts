/**
 * AddListMembersList over HTTPS against the emulator: members become listmember rows once, members of
 * the wrong table, missing rows and dynamic lists are refused, and a refused call adds nobody.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningEmulator } from '../../../../test/support/dataverse-emulator.js';
import { expectDataverseError, webApi, type WebApiHttp } from '../../../../test/support/web-api-http.js';

let running: RunningEmulator;
let api: WebApiHttp;

beforeAll(async () => {
  running = await startDataverseEmulator({ limits: 'off' });
  api = webApi(running);
});
afterAll(async () => {
  await running?.close();
});

const LEAD_LIST = 4;
const CONTACT_LIST = 2;

const newList = (createdfromcode: number, dynamic = false) =>
  api.create('lists', { listname: `List ${randomUUID()}`, createdfromcode, type: dynamic });

const addMembers = (listId: string, members: readonly Record<string, unknown>[]) =>
  api.post('AddListMembersList', {
    List: { '@odata.type': 'Microsoft.Dynamics.CRM.list', listid: listId },
    Members: members,
  });

const lead = (leadid: string) => ({ '@odata.type': 'Microsoft.Dynamics.CRM.lead', leadid });

async function memberIds(listId: string): Promise<string[]> {
  const result = await api.get(`listmembers?$select=_entityid_value&$filter=_listid_value eq ${listId}`);
  expect(result.status, result.text).toBe(200);
  return result
    .json<{ value: { _entityid_value: string }[] }>()
    .value.map((row) => row._entityid_value)
    .sort();
}

describe('AddListMembersList', () => {
  it('adds leads to a lead list once, however often they are sent', async () => {
    const listId = await newList(LEAD_LIST);
    const [a, b, c] = await Promise.all(
      ['A', 'B', 'C'].map((name) => api.create('leads', { lastname: `Member ${name}` })),
    );
    const first = await addMembers(listId, [lead(a ?? ''), lead(b ?? '')]);
    expect(first.status, first.text).toBe(204);
    expect(first.text).toBe('');
    expect(await memberIds(listId)).toEqual([a, b].sort());

    const again = await addMembers(listId, [lead(b ?? ''), lead(c ?? '')]);
    expect(again.status, again.text).toBe(204);
    expect(await memberIds(listId)).toEqual([a, b, c].sort());
  });

  it('refuses members of another table, missing members and dynamic lists, adding nobody', async () => {
    const listId = await newList(LEAD_LIST);
    const leadId = await api.create('leads', { lastname: 'Kept out' });
    const contactId = await api.create('contacts', { lastname: 'Wrong table' });
    expectDataverseError(
      await addMembers(listId, [
        lead(leadId),
        { '@odata.type': 'Microsoft.Dynamics.CRM.contact', contactid: contactId },
      ]),
      400,
      '0x80040203',
      /targeted at lead records/,
    );
    const missing = randomUUID();
    expectDataverseError(
      await addMembers(listId, [lead(leadId), lead(missing)]),
      404,
      '0x80040217',
      `lead With Id = ${missing} Does Not Exist`,
    );
    expect(await memberIds(listId)).toEqual([]);

    const contactList = await newList(CONTACT_LIST);
    const contacts = await api.post('AddListMembersList', {
      List: { listid: contactList },
      Members: [{ '@odata.type': 'Microsoft.Dynamics.CRM.contact', contactid: contactId }],
    });
    expect(contacts.status, contacts.text).toBe(204);
    expect(await memberIds(contactList)).toEqual([contactId]);

    const dynamic = await newList(LEAD_LIST, true);
    expectDataverseError(await addMembers(dynamic, [lead(leadId)]), 400, '0x80040203', /dynamic/);
  });

  it('answers an unknown list, a bad body and a GET like Dataverse', async () => {
    const unknown = randomUUID();
    expectDataverseError(
      await addMembers(unknown, [lead(randomUUID())]),
      404,
      '0x80040217',
      `list With Id = ${unknown} Does Not Exist`,
    );
    const listId = await newList(LEAD_LIST);
    expectDataverseError(await addMembers(listId, []), 400, '0x80040203', /Members/);
    expectDataverseError(
      await api.post('AddListMembersList', { List: { listid: 'nope' }, Members: [] }),
      400,
      '0x80040203',
    );
    expect((await api.get('AddListMembersList')).status).toBe(405);
  });
});
