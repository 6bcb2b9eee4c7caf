import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';
import { expectDataverseError, idFromEntityUrl, webApi, type WebApiHttp } from '../support/web-api-http.js';

/**
 * Single-property requests, `$ref` associations, navigation reads, deep insert and what the service
 * computes on every write (protocols/dataverse.md §1.5–§1.7, checklist items 4 and 6). The clock is
 * injected and frozen so server-set timestamps can be asserted exactly.
 */
let running: RunningEmulator;
let api: WebApiHttp;
let clock = new Date(Math.floor(Date.now() / 1000) * 1000);
const stamp = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

beforeAll(async () => {
  running = await startDataverseEmulator({ now: () => clock });
  api = webApi(running);
});
afterAll(async () => {
  await running?.close();
});

const ALL_ANNOTATIONS = { prefer: 'odata.include-annotations="*"' };
const appUserId = () => running.emulator.directory.applications[0]?.systemUserId ?? '';

describe('single property', () => {
  it('GET returns {"value": …} with the property context, and 204 when the column is empty', async () => {
    const id = await api.create('leads', { lastname: 'Prop', telephone1: '555-0105' });
    const result = await api.get(`leads(${id})/telephone1`);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
    expect(result.json()).toEqual({
      '@odata.context': `${api.root}$metadata#leads(${id})/telephone1`,
      value: '555-0105',
    });
    const empty = await api.get(`leads(${id})/mobilephone`);
    expect(empty.status).toBe(204);
    expect(empty.text).toBe('');
  });

  it('PUT {"value": …} sets one column and bumps the version; DELETE clears it', async () => {
    const id = await api.create('leads', { lastname: 'Prop' });
    const before = (await api.get(`leads(${id})`)).headers.get('etag');
    const put = await api.send('PUT', `leads(${id})/telephone1`, { body: { value: '555-0199' } });
    expect(put.status).toBe(204);
    expect(put.text).toBe('');
    const afterPut = await api.get(`leads(${id})?$select=telephone1`);
    expect(afterPut.json<{ telephone1: string }>().telephone1).toBe('555-0199');
    expect(afterPut.headers.get('etag')).not.toBe(before);

    const del = await api.del(`leads(${id})/telephone1`);
    expect(del.status).toBe(204);
    expect(
      (await api.get(`leads(${id})?$select=telephone1`)).json<{ telephone1: null }>().telephone1,
    ).toBeNull();
    expect((await api.get(`leads(${id})/telephone1`)).status).toBe(204);
  });

  it('validates a PUT value like any other write and leaves the row unchanged on failure', async () => {
    const id = await api.create('leads', { lastname: 'Prop', telephone1: 'kept' });
    expectDataverseError(
      await api.send('PUT', `leads(${id})/telephone1`, { body: { value: 'x'.repeat(51) } }),
      400,
      '0x80044331',
    );
    expectDataverseError(
      await api.send('PUT', `leads(${id})/telephone1`, { body: { notvalue: 'x' } }),
      400,
      '0x80048d19',
    );
    expectDataverseError(
      await api.send('PUT', `leads(${id})/numberofemployees`, { body: { value: 'many' } }),
      400,
      '0x80048d19',
    );
    expectDataverseError(
      await api.send('PUT', `leads(${id})/createdon`, { body: { value: '2020-01-01T00:00:00Z' } }),
      400,
      '0x80040203',
    );
    expect((await api.get(`leads(${id})/telephone1`)).json<{ value: string }>().value).toBe('kept');
  });

  it('answers 404 for a property the table does not have', async () => {
    const id = await api.create('leads', { lastname: 'Prop' });
    expectDataverseError(await api.get(`leads(${id})/nosuchcolumn`), 404, '0x80060888');
    expectDataverseError(
      await api.send('PUT', `leads(${id})/nosuchcolumn`, { body: { value: 1 } }),
      404,
      '0x80060888',
    );
  });
});

describe('single-valued references', () => {
  it('PUT …/parentaccountid/$ref associates and DELETE …/$ref disassociates', async () => {
    const accountId = await api.create('accounts', { name: 'Parent' });
    const leadId = await api.create('leads', { lastname: 'Child' });
    const put = await api.send('PUT', `leads(${leadId})/parentaccountid/$ref`, {
      body: { '@odata.id': `${api.root}accounts(${accountId})` },
    });
    expect(put.status).toBe(204);
    const linked = await api.get(`leads(${leadId})?$select=_parentaccountid_value`);
    expect(linked.json<{ _parentaccountid_value: string }>()._parentaccountid_value).toBe(accountId);

    const nav = await api.get(`leads(${leadId})/parentaccountid?$select=name`);
    expect(nav.status).toBe(200);
    expect(nav.json<{ accountid: string; name: string }>()).toMatchObject({
      accountid: accountId,
      name: 'Parent',
    });

    expect((await api.del(`leads(${leadId})/parentaccountid/$ref`)).status).toBe(204);
    const unlinked = await api.get(`leads(${leadId})?$select=_parentaccountid_value`);
    expect(unlinked.json<{ _parentaccountid_value: null }>()._parentaccountid_value).toBeNull();
    expect((await api.get(`leads(${leadId})/parentaccountid`)).status).toBe(204);
  });

  it('refuses a $ref to a missing row or to a row of the wrong table, and changes nothing', async () => {
    const leadId = await api.create('leads', { lastname: 'Child' });
    const contactId = await api.create('contacts', { lastname: 'Not an account' });
    const missing = '00000000-0000-0000-0000-0000000000f1';
    expectDataverseError(
      await api.send('PUT', `leads(${leadId})/parentaccountid/$ref`, {
        body: { '@odata.id': `accounts(${missing})` },
      }),
      404,
      '0x80040217',
      `account With Id = ${missing} Does Not Exist`,
    );
    expectDataverseError(
      await api.send('PUT', `leads(${leadId})/parentaccountid/$ref`, {
        body: { '@odata.id': `contacts(${contactId})` },
      }),
      400,
      '0x80060888',
    );
    expectDataverseError(
      await api.send('PUT', `leads(${leadId})/parentaccountid/$ref`, { body: { id: 'x' } }),
      400,
      '0x80048d19',
    );
    const row = await api.get(`leads(${leadId})?$select=_parentaccountid_value`);
    expect(row.json<{ _parentaccountid_value: null }>()._parentaccountid_value).toBeNull();
  });
});

describe('collection-valued references', () => {
  it('POST …/Account_Tasks/$ref associates a task and DELETE …/Account_Tasks(id)/$ref removes it', async () => {
    const accountId = await api.create('accounts', { name: 'With tasks' });
    const taskId = await api.create('tasks', { subject: 'Loose task' });
    const post = await api.post(`accounts(${accountId})/Account_Tasks/$ref`, {
      '@odata.id': `${api.root}tasks(${taskId})`,
    });
    expect(post.status).toBe(204);
    const task = await api.get(`tasks(${taskId})?$select=_regardingobjectid_value`, ALL_ANNOTATIONS);
    expect(task.json()).toMatchObject({
      _regardingobjectid_value: accountId,
      '_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
      '_regardingobjectid_value@Microsoft.Dynamics.CRM.associatednavigationproperty':
        'regardingobjectid_account_task',
      '_regardingobjectid_value@OData.Community.Display.V1.FormattedValue': 'With tasks',
    });
    const listed = await api.get(`accounts(${accountId})/Account_Tasks?$select=subject`);
    expect(listed.json<{ value: { activityid: string }[] }>().value.map((t) => t.activityid)).toEqual([
      taskId,
    ]);

    expect((await api.del(`accounts(${accountId})/Account_Tasks(${taskId})/$ref`)).status).toBe(204);
    const after = await api.get(`tasks(${taskId})?$select=_regardingobjectid_value`);
    expect(after.json<{ _regardingobjectid_value: null }>()._regardingobjectid_value).toBeNull();
    expect(
      (await api.get(`accounts(${accountId})/Account_Tasks`)).json<{ value: unknown[] }>().value,
    ).toEqual([]);
  });

  it('answers 404 when disassociating a task that is not related', async () => {
    const accountId = await api.create('accounts', { name: 'No tasks' });
    const taskId = await api.create('tasks', { subject: 'Elsewhere' });
    expectDataverseError(
      await api.del(`accounts(${accountId})/Account_Tasks(${taskId})/$ref`),
      404,
      '0x80040217',
    );
  });

  it('GET of a collection navigation returns exactly the related rows, with $select and $filter', async () => {
    const accountId = await api.create('accounts', { name: 'Employer' });
    const ids = [];
    for (const lastname of ['Alpha', 'Beta', 'Gamma'])
      ids.push(
        await api.create('contacts', {
          lastname,
          'parentcustomerid_account@odata.bind': `/accounts(${accountId})`,
        }),
      );
    await api.create('contacts', { lastname: 'Unrelated' });
    const result = await api.get(
      `accounts(${accountId})/contact_customer_accounts?$select=lastname&$orderby=lastname desc`,
    );
    expect(result.status).toBe(200);
    const body = result.json<{
      '@odata.context': string;
      value: { contactid: string; lastname: string }[];
    }>();
    expect(body['@odata.context']).toBe(`${api.root}$metadata#contacts(lastname)`);
    expect(body.value.map((c) => c.lastname)).toEqual(['Gamma', 'Beta', 'Alpha']);
    expect(new Set(body.value.map((c) => c.contactid))).toEqual(new Set(ids));
    const filtered = await api.get(
      `accounts(${accountId})/contact_customer_accounts?$select=lastname&$filter=${encodeURIComponent("lastname eq 'beta'")}`,
    );
    expect(filtered.json<{ value: { lastname: string }[] }>().value.map((c) => c.lastname)).toEqual(['Beta']);
  });
});

describe('deep insert', () => {
  it('creates an account with a new primary contact and tasks, answering for the root only', async () => {
    const before = await Promise.all(['accounts', 'contacts', 'tasks'].map((s) => api.count(s)));
    const result = await api.post('accounts', {
      name: 'Deep',
      primarycontactid: { firstname: 'Primary', lastname: 'Contact' },
      Account_Tasks: [{ subject: 'Deep task 1' }, { subject: 'Deep task 2' }],
    });
    expect(result.status).toBe(204);
    const accountId = idFromEntityUrl(result.headers.get('odata-entityid'));
    expect(result.headers.get('odata-entityid')).toBe(`${api.root}accounts(${accountId})`);
    const after = await Promise.all(['accounts', 'contacts', 'tasks'].map((s) => api.count(s)));
    expect(after).toEqual([(before[0] ?? 0) + 1, (before[1] ?? 0) + 1, (before[2] ?? 0) + 2]);

    const account = await api.get(
      `accounts(${accountId})?$select=name&$expand=primarycontactid($select=fullname),Account_Tasks($select=subject;$orderby=subject)`,
    );
    expect(account.json()).toMatchObject({
      name: 'Deep',
      primarycontactid: { fullname: 'Primary Contact' },
      Account_Tasks: [{ subject: 'Deep task 1' }, { subject: 'Deep task 2' }],
    });
  });

  it('is atomic: one bad child creates nothing at all', async () => {
    const before = await Promise.all(['accounts', 'contacts', 'tasks'].map((s) => api.count(s)));
    const badTask = await api.post('accounts', {
      name: 'Deep but broken',
      primarycontactid: { lastname: 'Would be created' },
      Account_Tasks: [{ subject: 'Fine' }, { subject: 'x'.repeat(201) }],
    });
    expectDataverseError(
      badTask,
      400,
      '0x80044331',
      "A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'.",
    );
    const badContact = await api.post('accounts', {
      name: 'Deep but broken',
      primarycontactid: { lastname: 'Contact', nosuchcolumn: true },
      Account_Tasks: [{ subject: 'Fine' }],
    });
    expectDataverseError(badContact, 400, '0x80048d19');
    const after = await Promise.all(['accounts', 'contacts', 'tasks'].map((s) => api.count(s)));
    expect(after).toEqual(before);
  });

  it('returns the root with return=representation and $expand on the POST URL', async () => {
    const result = await api.post(
      'accounts?$select=name&$expand=primarycontactid($select=lastname)',
      { name: 'Represented', primarycontactid: { lastname: 'Nested' } },
      { prefer: 'return=representation' },
    );
    expect(result.status).toBe(201);
    expect(result.json()).toMatchObject({ name: 'Represented', primarycontactid: { lastname: 'Nested' } });
  });
});

describe('lookups and formatted values on read', () => {
  it('reads a lookup as _x_value with its annotations under include-annotations="*"', async () => {
    const accountId = await api.create('accounts', { name: 'Annotated Parent' });
    const contactId = await api.create('contacts', {
      lastname: 'Annotated',
      'parentcustomerid_account@odata.bind': `/accounts(${accountId})`,
    });
    const result = await api.get(
      `contacts(${contactId})?$select=_parentcustomerid_value,_ownerid_value`,
      ALL_ANNOTATIONS,
    );
    expect(result.status).toBe(200);
    expect(result.headers.get('preference-applied')).toBe('odata.include-annotations="*"');
    expect(result.json()).toMatchObject({
      _parentcustomerid_value: accountId,
      '_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
      '_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty':
        'parentcustomerid_account',
      '_parentcustomerid_value@OData.Community.Display.V1.FormattedValue': 'Annotated Parent',
      _ownerid_value: appUserId(),
      '_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'systemuser',
      '_ownerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty': 'ownerid',
    });
  });

  it('sends no annotations without the preference, and only formatted values when only those are asked for', async () => {
    const accountId = await api.create('accounts', { name: 'Plain Parent' });
    const leadId = await api.create('leads', {
      lastname: 'Plain',
      leadsourcecode: 8,
      'parentaccountid@odata.bind': `/accounts(${accountId})`,
    });
    const plain = await api.get(`leads(${leadId})?$select=leadsourcecode,_parentaccountid_value`);
    expect(
      Object.keys(plain.json()).filter(
        (k) => k.includes('@') && k !== '@odata.context' && k !== '@odata.etag',
      ),
    ).toEqual([]);
    expect(plain.headers.get('preference-applied')).toBeNull();
    const formatted = await api.get(`leads(${leadId})?$select=leadsourcecode,_parentaccountid_value`, {
      prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
    });
    expect(formatted.json()).toEqual(
      expect.objectContaining({
        'leadsourcecode@OData.Community.Display.V1.FormattedValue': 'Web',
        '_parentaccountid_value@OData.Community.Display.V1.FormattedValue': 'Plain Parent',
      }),
    );
    expect(Object.keys(formatted.json()).some((k) => k.endsWith('lookuplogicalname'))).toBe(false);
  });

  it('labels choices, state, status and money with FormattedValue', async () => {
    const id = await api.create('leads', { lastname: 'Labels', leadqualitycode: 1, revenue: 80000 });
    const result = await api.get(
      `leads(${id})?$select=leadqualitycode,statecode,statuscode,revenue`,
      ALL_ANNOTATIONS,
    );
    expect(result.json()).toMatchObject({
      leadqualitycode: 1,
      'leadqualitycode@OData.Community.Display.V1.FormattedValue': 'Hot',
      statecode: 0,
      'statecode@OData.Community.Display.V1.FormattedValue': 'Open',
      statuscode: 1,
      'statuscode@OData.Community.Display.V1.FormattedValue': 'New',
      revenue: 80000,
      'revenue@OData.Community.Display.V1.FormattedValue': '$80,000.00',
    });
  });

  it('adds the annotations to collection rows too', async () => {
    const id = await api.create('leads', { lastname: 'Listed', leadsourcecode: 1 });
    const result = await api.get(`leads?$select=leadsourcecode&$filter=leadid eq ${id}`, ALL_ANNOTATIONS);
    expect(result.headers.get('preference-applied')).toBe('odata.include-annotations="*"');
    expect(result.json<{ value: Record<string, unknown>[] }>().value[0]).toMatchObject({
      'leadsourcecode@OData.Community.Display.V1.FormattedValue': 'Advertisement',
    });
  });
});

describe('columns the service computes', () => {
  it('defaults statuscode from statecode on create and on a state change', async () => {
    const id = await api.create('leads', { lastname: 'Status' });
    const created = (await api.get(`leads(${id})?$select=statecode,statuscode`)).json();
    expect(created).toMatchObject({ statecode: 0, statuscode: 1 });
    await api.patch(`leads(${id})`, { statecode: 2 });
    expect((await api.get(`leads(${id})?$select=statecode,statuscode`)).json()).toMatchObject({
      statecode: 2,
      statuscode: 4,
    });
    await api.patch(`leads(${id})`, { statecode: 2, statuscode: 6 });
    expect((await api.get(`leads(${id})?$select=statuscode`)).json()).toMatchObject({ statuscode: 6 });
    const taskId = await api.create('tasks', { subject: 'Defaults' });
    expect((await api.get(`tasks(${taskId})?$select=statecode,statuscode`)).json()).toMatchObject({
      statecode: 0,
      statuscode: 2,
    });
  });

  it('stamps createdon/modifiedon from the clock, numbers versions and computes fullname', async () => {
    clock = new Date(clock.getTime() + 1000);
    const createdAt = clock;
    const id = await api.create('leads', { firstname: 'Ada', lastname: 'Lovelace' });
    const select = '$select=createdon,modifiedon,versionnumber,fullname';
    const created = (await api.get(`leads(${id})?${select}`)).json<{
      createdon: string;
      modifiedon: string;
      versionnumber: number;
      fullname: string;
    }>();
    expect(created).toMatchObject({
      createdon: stamp(createdAt),
      modifiedon: stamp(createdAt),
      fullname: 'Ada Lovelace',
    });
    clock = new Date(clock.getTime() + 60_000);
    await api.patch(`leads(${id})`, { firstname: 'Augusta Ada' });
    const updated = (await api.get(`leads(${id})?${select}`)).json<typeof created>();
    expect(updated).toMatchObject({
      createdon: stamp(createdAt),
      modifiedon: stamp(clock),
      fullname: 'Augusta Ada Lovelace',
    });
    expect(updated.versionnumber).toBeGreaterThan(created.versionnumber);
  });

  it('defaults ownerid, createdby and modifiedby to the caller', async () => {
    const id = await api.create('leads', { lastname: 'Owned' });
    const row = (
      await api.get(
        `leads(${id})?$select=_ownerid_value,_createdby_value,_modifiedby_value,_owninguser_value`,
      )
    ).json();
    expect(row).toMatchObject({
      _ownerid_value: appUserId(),
      _createdby_value: appUserId(),
      _modifiedby_value: appUserId(),
      _owninguser_value: appUserId(),
    });
  });

  it('assigns to another user through ownerid@odata.bind', async () => {
    const user = running.emulator.directory.users[1];
    if (!user) throw new Error('the demo directory has no second user');
    const id = await api.create('leads', {
      lastname: 'Assigned',
      'ownerid@odata.bind': `/systemusers(${user.systemUserId})`,
    });
    const row = (await api.get(`leads(${id})?$select=_ownerid_value,_createdby_value`)).json();
    expect(row).toMatchObject({ _ownerid_value: user.systemUserId, _createdby_value: appUserId() });
  });

  it('makes the impersonated user (CallerObjectId) the owner and creator, on behalf of the caller', async () => {
    const user = running.emulator.directory.users[0];
    if (!user) throw new Error('the demo directory has no user');
    const result = await api.send('POST', 'leads', {
      body: { lastname: 'Impersonated' },
      headers: { callerobjectid: user.objectId },
    });
    expect(result.status).toBe(204);
    const id = idFromEntityUrl(result.headers.get('odata-entityid'));
    const row = (
      await api.get(`leads(${id})?$select=_ownerid_value,_createdby_value,_createdonbehalfby_value`)
    ).json();
    expect(row).toMatchObject({
      _ownerid_value: user.systemUserId,
      _createdby_value: user.systemUserId,
      _createdonbehalfby_value: appUserId(),
    });
    const whoAmI = await api.get('WhoAmI', { callerobjectid: user.objectId });
    expect(whoAmI.json<{ UserId: string }>().UserId).toBe(user.systemUserId);
    // The older MSCRMCallerID header takes a systemuserid.
    const legacy = await api.send('POST', 'leads', {
      body: { lastname: 'Legacy impersonation' },
      headers: { mscrmcallerid: user.systemUserId },
    });
    const legacyId = idFromEntityUrl(legacy.headers.get('odata-entityid'));
    const legacyRow = (await api.get(`leads(${legacyId})?$select=_ownerid_value`)).json();
    expect(legacyRow).toMatchObject({ _ownerid_value: user.systemUserId });
  });

  it('refuses impersonation of a user the organisation does not have', async () => {
    const before = await api.count('leads');
    const result = await api.send('POST', 'leads', {
      body: { lastname: 'Nobody' },
      headers: { callerobjectid: '00000000-0000-0000-0000-00000000beef' },
    });
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.status).toBeLessThan(500);
    expect(await api.count('leads')).toBe(before);
  });
});
