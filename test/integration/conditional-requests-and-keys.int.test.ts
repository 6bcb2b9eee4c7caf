import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';
import { expectDataverseError, idFromEntityUrl, webApi, type WebApiHttp } from '../support/web-api-http.js';

/**
 * ETags, conditional requests, upsert and every key form (protocols/dataverse.md §1.6, §1.8, §1.10 and
 * checklist items 1–3, 5). One emulator runs with an alternate key on contact.emailaddress1, configured
 * the way an administrator would define it.
 */
let running: RunningEmulator;
let api: WebApiHttp;

const CONCURRENCY = "The version of the existing record doesn't match the RowVersion property provided.";
const DUPLICATE = 'A record with matching key values already exists.';
const etagNumber = (etag: string | null) => Number(/^W\/"(\d+)"$/.exec(etag ?? '')?.[1] ?? NaN);

beforeAll(async () => {
  running = await startDataverseEmulator({
    alternateKeys: { contact: [{ name: 'emailkey', attributes: ['emailaddress1'] }] },
  });
  api = webApi(running);
});
afterAll(async () => {
  await running?.close();
});

async function newLead(lastname = 'Conditional'): Promise<{ id: string; etag: string }> {
  const id = await api.create('leads', { lastname });
  const get = await api.get(`leads(${id})?$select=lastname`);
  return { id, etag: get.headers.get('etag') ?? '' };
}

describe('ETags', () => {
  it('sends an ETag header on single GET equal to @odata.etag and versionnumber', async () => {
    const { id } = await newLead();
    const get = await api.get(`leads(${id})?$select=lastname,versionnumber`);
    expect(get.status).toBe(200);
    const etag = get.headers.get('etag');
    expect(etag).toMatch(/^W\/"\d+"$/);
    const body = get.json<{ '@odata.etag': string; versionnumber: number }>();
    expect(body['@odata.etag']).toBe(etag);
    expect(body.versionnumber).toBe(etagNumber(etag));
  });

  it('grows on every write, and the collection rows carry the same etag', async () => {
    const { id, etag: first } = await newLead();
    const seen = [etagNumber(first)];
    for (const jobtitle of ['One', 'Two', 'Three']) {
      expect((await api.patch(`leads(${id})`, { jobtitle })).status).toBe(204);
      seen.push(etagNumber((await api.get(`leads(${id})`)).headers.get('etag')));
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1] ?? Infinity);
    const listed = await api.get(`leads?$select=lastname&$filter=leadid eq ${id}`);
    expect(listed.json<{ value: { '@odata.etag': string }[] }>().value[0]?.['@odata.etag']).toBe(
      `W/"${seen[seen.length - 1]}"`,
    );
    // A read does not bump it.
    expect(etagNumber((await api.get(`leads(${id})`)).headers.get('etag'))).toBe(seen[seen.length - 1]);
  });

  it('returns the new ETag on PATCH with return=representation', async () => {
    const { id, etag } = await newLead();
    const patched = await api.patch(
      `leads(${id})?$select=jobtitle`,
      { jobtitle: 'Rep' },
      {
        prefer: 'return=representation',
      },
    );
    expect(patched.status).toBe(200);
    expect(patched.headers.get('preference-applied')).toBe('return=representation');
    const body = patched.json<{ '@odata.etag': string; jobtitle: string; leadid: string }>();
    expect(body).toMatchObject({ jobtitle: 'Rep', leadid: id });
    expect(patched.headers.get('etag')).toBe(body['@odata.etag']);
    expect(etagNumber(body['@odata.etag'])).toBeGreaterThan(etagNumber(etag));
  });
});

describe('conditional GET', () => {
  it('answers 304 with no body for If-None-Match with the current ETag', async () => {
    const { id, etag } = await newLead();
    const result = await api.get(`leads(${id})?$select=lastname`, { 'if-none-match': etag });
    expect(result.status).toBe(304);
    expect(result.text).toBe('');
    expect(result.headers.get('etag')).toBe(etag);
  });

  it('answers 200 for a stale ETag and for the literal "null"', async () => {
    const { id, etag } = await newLead();
    await api.patch(`leads(${id})`, { jobtitle: 'Changed' });
    const stale = await api.get(`leads(${id})?$select=jobtitle`, { 'if-none-match': etag });
    expect(stale.status).toBe(200);
    expect(stale.json<{ jobtitle: string }>().jobtitle).toBe('Changed');
    expect(stale.headers.get('etag')).not.toBe(etag);
    const nul = await api.get(`leads(${id})?$select=jobtitle`, { 'if-none-match': 'null' });
    expect(nul.status).toBe(200);
  });

  it('never answers 304 with $expand or Prefer: odata.include-annotations', async () => {
    const { id, etag } = await newLead();
    const expanded = await api.get(`leads(${id})?$select=lastname&$expand=ownerid($select=fullname)`, {
      'if-none-match': etag,
    });
    expect(expanded.status).toBe(200);
    expect(expanded.json<{ ownerid: { fullname: string } }>().ownerid.fullname).toEqual(expect.any(String));
    const annotated = await api.get(`leads(${id})?$select=lastname`, {
      'if-none-match': etag,
      prefer: 'odata.include-annotations="*"',
    });
    expect(annotated.status).toBe(200);
  });
});

describe('optimistic concurrency', () => {
  it('refuses a PATCH with a stale If-Match with 412 0x80060882 and keeps the row', async () => {
    const { id, etag } = await newLead('Before');
    await api.patch(`leads(${id})`, { jobtitle: 'Bump' });
    const result = await api.patch(`leads(${id})`, { lastname: 'Lost update' }, { 'if-match': etag });
    expectDataverseError(result, 412, '0x80060882', CONCURRENCY);
    const row = (await api.get(`leads(${id})?$select=lastname`)).json<{ lastname: string }>();
    expect(row.lastname).toBe('Before');
  });

  it('accepts a PATCH with the current If-Match', async () => {
    const { id, etag } = await newLead('Before');
    expect((await api.patch(`leads(${id})`, { lastname: 'After' }, { 'if-match': etag })).status).toBe(204);
    const row = (await api.get(`leads(${id})?$select=lastname`)).json<{ lastname: string }>();
    expect(row.lastname).toBe('After');
  });

  it('refuses a DELETE with a stale If-Match and deletes with the current one', async () => {
    const { id, etag } = await newLead();
    await api.patch(`leads(${id})`, { jobtitle: 'Bump' });
    expectDataverseError(await api.del(`leads(${id})`, { 'if-match': etag }), 412, '0x80060882', CONCURRENCY);
    expect((await api.get(`leads(${id})`)).status).toBe(200);
    const current = (await api.get(`leads(${id})`)).headers.get('etag') ?? '';
    expect((await api.del(`leads(${id})`, { 'if-match': current })).status).toBe(204);
    expect((await api.get(`leads(${id})`)).status).toBe(404);
  });

  it('If-Match: * on a missing row answers 404 and creates nothing', async () => {
    const before = await api.count('leads');
    const missing = '6a1d0c2e-0000-4000-8000-0000000000a1';
    const result = await api.patch(`leads(${missing})`, { lastname: 'Nope' }, { 'if-match': '*' });
    expectDataverseError(result, 404, '0x80040217', `lead With Id = ${missing} Does Not Exist`);
    expect(await api.count('leads')).toBe(before);
    expect((await api.get(`leads(${missing})`)).status).toBe(404);
  });

  it('If-Match: * on an existing row updates it', async () => {
    const { id } = await newLead();
    expect((await api.patch(`leads(${id})`, { jobtitle: 'Star' }, { 'if-match': '*' })).status).toBe(204);
    expect((await api.get(`leads(${id})?$select=jobtitle`)).json<{ jobtitle: string }>().jobtitle).toBe(
      'Star',
    );
  });

  it('If-None-Match: * on an existing row answers 412 0x80040237 and changes nothing', async () => {
    const { id, etag } = await newLead('Kept');
    const result = await api.patch(`leads(${id})`, { lastname: 'Overwritten' }, { 'if-none-match': '*' });
    expectDataverseError(result, 412, '0x80040237', DUPLICATE);
    const after = await api.get(`leads(${id})?$select=lastname`);
    expect(after.json<{ lastname: string }>().lastname).toBe('Kept');
    expect(after.headers.get('etag')).toBe(etag);
  });

  it('If-None-Match: * on a missing row creates it', async () => {
    const id = '6a1d0c2e-0000-4000-8000-0000000000a2';
    const result = await api.patch(`leads(${id})`, { lastname: 'Create only' }, { 'if-none-match': '*' });
    expect(result.status).toBe(204);
    expect(result.headers.get('odata-entityid')).toBe(`${api.root}leads(${id})`);
    expect((await api.get(`leads(${id})?$select=lastname`)).json<{ lastname: string }>().lastname).toBe(
      'Create only',
    );
  });
});

describe('upsert', () => {
  it('answers 204 with OData-EntityId both when it creates and when it updates', async () => {
    const id = '6a1d0c2e-0000-4000-8000-0000000000b1';
    const before = await api.count('leads');
    for (const lastname of ['Created', 'Updated']) {
      const result = await api.patch(`leads(${id})`, { lastname });
      expect(result.status).toBe(204);
      expect(result.text).toBe('');
      expect(result.headers.get('odata-entityid')).toBe(`${api.root}leads(${id})`);
    }
    expect(await api.count('leads')).toBe(before + 1);
    expect((await api.get(`leads(${id})?$select=lastname`)).json<{ lastname: string }>().lastname).toBe(
      'Updated',
    );
  });

  it('answers 201 then 200 with return=representation, each with ETag', async () => {
    const id = '6a1d0c2e-0000-4000-8000-0000000000b2';
    const prefer = { prefer: 'return=representation' };
    const created = await api.patch(`leads(${id})?$select=leadid,lastname`, { lastname: 'First' }, prefer);
    expect(created.status).toBe(201);
    expect(created.headers.get('preference-applied')).toBe('return=representation');
    const createdBody = created.json<{
      leadid: string;
      lastname: string;
      '@odata.etag': string;
      '@odata.context': string;
    }>();
    expect(createdBody).toMatchObject({ leadid: id, lastname: 'First' });
    expect(created.headers.get('etag')).toBe(createdBody['@odata.etag']);
    expect(createdBody['@odata.context']).toBe(`${api.root}$metadata#leads(leadid,lastname)/$entity`);

    const updated = await api.patch(`leads(${id})?$select=leadid,lastname`, { lastname: 'Second' }, prefer);
    expect(updated.status).toBe(200);
    const updatedBody = updated.json<{ lastname: string; '@odata.etag': string }>();
    expect(updatedBody.lastname).toBe('Second');
    expect(updated.headers.get('etag')).toBe(updatedBody['@odata.etag']);
    expect(etagNumber(updatedBody['@odata.etag'])).toBeGreaterThan(etagNumber(createdBody['@odata.etag']));
  });

  it('ignores a primary key in the body of an update', async () => {
    const { id } = await newLead('Keyed');
    const other = '6a1d0c2e-0000-4000-8000-0000000000b3';
    expect((await api.patch(`leads(${id})`, { leadid: other, jobtitle: 'x' })).status).toBe(204);
    expect((await api.get(`leads(${other})`)).status).toBe(404);
    expect((await api.get(`leads(${id})?$select=jobtitle`)).json<{ jobtitle: string }>().jobtitle).toBe('x');
  });
});

describe('client-supplied primary keys', () => {
  it('honours a leadid in the POST body and refuses it the second time with 412 0x80040237', async () => {
    const id = '6a1d0c2e-0000-4000-8000-0000000000c1';
    const first = await api.post('leads', { leadid: id, lastname: 'Mine' });
    expect(first.status).toBe(204);
    expect(first.headers.get('odata-entityid')).toBe(`${api.root}leads(${id})`);
    const before = await api.count('leads');
    const second = await api.post('leads', { leadid: id, lastname: 'Again' });
    expectDataverseError(second, 412, '0x80040237', DUPLICATE);
    expect(await api.count('leads')).toBe(before);
    expect((await api.get(`leads(${id})?$select=lastname`)).json<{ lastname: string }>().lastname).toBe(
      'Mine',
    );
  });

  it('refuses a primary key that is not a GUID', async () => {
    const before = await api.count('leads');
    expectDataverseError(await api.post('leads', { leadid: 'not-a-guid', lastname: 'x' }), 400, '0x80048d19');
    expect(await api.count('leads')).toBe(before);
  });
});

describe('key forms in the URL', () => {
  it('accepts leads(leadid=<guid>) for GET, PATCH and DELETE', async () => {
    const { id } = await newLead('Named key');
    const get = await api.get(`leads(leadid=${id})?$select=lastname`);
    expect(get.status).toBe(200);
    expect(get.json<{ leadid: string }>().leadid).toBe(id);
    expect((await api.patch(`leads(leadid=${id})`, { jobtitle: 'Named' }, { 'if-match': '*' })).status).toBe(
      204,
    );
    expect((await api.get(`leads(${id})?$select=jobtitle`)).json<{ jobtitle: string }>().jobtitle).toBe(
      'Named',
    );
    expect((await api.del(`leads(leadid=${id})`)).status).toBe(204);
    expect((await api.get(`leads(${id})`)).status).toBe(404);
  });

  it('accepts upper-case GUIDs and answers with lower-case ids', async () => {
    const { id } = await newLead('Upper');
    const get = await api.get(`leads(${id.toUpperCase()})?$select=lastname`);
    expect(get.status).toBe(200);
    expect(get.json<{ leadid: string }>().leadid).toBe(id);
  });

  it('refuses leads(emailaddress1=…) without an alternate key, with the documented message', async () => {
    const message =
      "The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.lead'. Ensure that the names and number of key properties match the declared or alternate key properties for the resource 'Microsoft.Dynamics.CRM.lead'.";
    expectDataverseError(await api.get("leads(emailaddress1='x@example.com')"), 400, '0x80060888', message);
    const before = await api.count('leads');
    expectDataverseError(
      await api.patch("leads(emailaddress1='x@example.com')", { lastname: 'x' }),
      400,
      '0x80060888',
      message,
    );
    expect(await api.count('leads')).toBe(before);
  });

  it('refuses a named primary key on systemusers, whose key is the inherited ownerid', async () => {
    const self = running.emulator.directory.applications[0]?.systemUserId ?? '';
    expect((await api.get(`systemusers(${self})?$select=fullname`)).status).toBe(200);
    expectDataverseError(await api.get(`systemusers(systemuserid=${self})`), 400, '0x80060888');
  });
});

describe('a configured alternate key (contact.emailaddress1)', () => {
  it('publishes the key in EntityDefinitions(...)/Keys', async () => {
    const keys = await api.get(
      "EntityDefinitions(LogicalName='contact')/Keys?$select=LogicalName,KeyAttributes",
    );
    expect(keys.status).toBe(200);
    expect(keys.json<{ value: { LogicalName: string; KeyAttributes: string[] }[] }>().value).toEqual([
      expect.objectContaining({ LogicalName: 'emailkey', KeyAttributes: ['emailaddress1'] }),
    ]);
  });

  it('addresses a row in the URL, case-insensitively, and 404s a missing key value', async () => {
    const id = await api.create('contacts', { lastname: 'Keyed', emailaddress1: 'keyed@example.com' });
    const get = await api.get("contacts(emailaddress1='KEYED@example.com')?$select=lastname");
    expect(get.status).toBe(200);
    expect(get.json<{ contactid: string }>().contactid).toBe(id);
    expectDataverseError(
      await api.get("contacts(emailaddress1='nobody@example.com')"),
      404,
      '0x80060891',
      'A record with the specified key values does not exist in contact entity',
    );
  });

  it('resolves an alternate-key URI in @odata.bind', async () => {
    const contactId = await api.create('contacts', { lastname: 'Bound', emailaddress1: 'bound@example.com' });
    const leadId = await api.create('leads', {
      lastname: 'Has parent',
      'parentcontactid@odata.bind': "/contacts(emailaddress1='bound@example.com')",
    });
    const lead = await api.get(`leads(${leadId})?$select=_parentcontactid_value`);
    expect(lead.json<{ _parentcontactid_value: string }>()._parentcontactid_value).toBe(contactId);
    const before = await api.count('leads');
    expectDataverseError(
      await api.post('leads', {
        lastname: 'Orphan',
        'parentcontactid@odata.bind': "/contacts(emailaddress1='missing@example.com')",
      }),
      404,
      '0x80060891',
    );
    expect(await api.count('leads')).toBe(before);
  });

  it('upserts through the key: creates with the URL key copied in, then updates the same row', async () => {
    const before = await api.count('contacts');
    const url = "contacts(emailaddress1='upsert@example.com')";
    const created = await api.patch(
      `${url}?$select=emailaddress1,lastname`,
      { lastname: 'New' },
      {
        prefer: 'return=representation',
      },
    );
    expect(created.status).toBe(201);
    const body = created.json<{ contactid: string; emailaddress1: string }>();
    expect(body.emailaddress1).toBe('upsert@example.com');
    expect(created.headers.get('odata-entityid')).toBe(`${api.root}${url}`);

    const updated = await api.patch(url, { lastname: 'Updated' });
    expect(updated.status).toBe(204);
    expect(updated.headers.get('odata-entityid')).toBe(`${api.root}${url}`);
    expect(await api.count('contacts')).toBe(before + 1);
    const row = await api.get(`contacts(${body.contactid})?$select=lastname,emailaddress1`);
    expect(row.json<{ lastname: string }>().lastname).toBe('Updated');
  });

  it('drops key values from the body when the upsert updates an existing row', async () => {
    const id = await api.create('contacts', { lastname: 'Stable', emailaddress1: 'stable@example.com' });
    const result = await api.patch("contacts(emailaddress1='stable@example.com')", {
      emailaddress1: 'moved@example.com',
      jobtitle: 'Kept',
    });
    expect(result.status).toBe(204);
    const row = (await api.get(`contacts(${id})?$select=emailaddress1,jobtitle`)).json<{
      emailaddress1: string;
      jobtitle: string;
    }>();
    expect(row).toMatchObject({ emailaddress1: 'stable@example.com', jobtitle: 'Kept' });
  });

  it('refuses a second row with the same key value with 412 0x80040237', async () => {
    await api.create('contacts', { lastname: 'Unique', emailaddress1: 'unique@example.com' });
    const before = await api.count('contacts');
    expectDataverseError(
      await api.post('contacts', { lastname: 'Clash', emailaddress1: 'Unique@Example.com' }),
      412,
      '0x80040237',
      DUPLICATE,
    );
    const other = await api.create('contacts', { lastname: 'Other', emailaddress1: 'other@example.com' });
    expectDataverseError(
      await api.patch(`contacts(${other})`, { emailaddress1: 'unique@example.com' }),
      412,
      '0x80040237',
      DUPLICATE,
    );
    expect(await api.count('contacts')).toBe(before + 1);
    const row = await api.get(`contacts(${other})?$select=emailaddress1`);
    expect(row.json<{ emailaddress1: string }>().emailaddress1).toBe('other@example.com');
  });

  it('answers the created row at its GUID in OData-EntityId on a plain POST', async () => {
    const result = await api.post('contacts', { lastname: 'Plain', emailaddress1: 'plain@example.com' });
    expect(result.status).toBe(204);
    const id = idFromEntityUrl(result.headers.get('odata-entityid'));
    expect(result.headers.get('odata-entityid')).toBe(`${api.root}contacts(${id})`);
  });
});
