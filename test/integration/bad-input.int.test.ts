import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';
import { expectDataverseError, webApi, type HttpResult, type WebApiHttp } from '../support/web-api-http.js';

/**
 * Bad input never crashes the emulator and never half-writes: every refusal is a Dataverse error with
 * the right status and code (protocols/dataverse.md §1.11), and the table holds exactly the rows it held
 * before.
 */
let running: RunningEmulator;
let api: WebApiHttp;
let leadId: string;
let accountId: string;
let contactId: string;

beforeAll(async () => {
  running = await startDataverseEmulator();
  api = webApi(running);
  leadId = await api.create('leads', { firstname: 'Bad', lastname: 'Input', numberofemployees: 10 });
  accountId = await api.create('accounts', { name: 'Target Account' });
  contactId = await api.create('contacts', { lastname: 'Target Contact' });
});
afterAll(async () => {
  await running?.close();
});

/** Runs a write that must fail and checks afterwards that no lead, account or task appeared. */
async function refusedWrite(write: () => Promise<HttpResult>): Promise<HttpResult> {
  const before = await Promise.all(['leads', 'accounts', 'tasks', 'contacts'].map((s) => api.count(s)));
  const result = await write();
  expect(result.status, result.text).toBeGreaterThanOrEqual(400);
  expect(result.status, result.text).toBeLessThan(500);
  const after = await Promise.all(['leads', 'accounts', 'tasks', 'contacts'].map((s) => api.count(s)));
  expect(after).toEqual(before);
  return result;
}

const PAYLOAD = /^Error identified in Payload provided by the user for Entity :'leads'/;

describe('malformed bodies', () => {
  it('refuses malformed JSON with the payload error', async () => {
    const result = await refusedWrite(() =>
      api.send('POST', 'leads', { body: '{"lastname": "Half', raw: true }),
    );
    expectDataverseError(result, 400, '0x80048d19', PAYLOAD);
  });

  it('refuses a JSON array, a JSON string and an empty body', async () => {
    for (const body of ['[{"lastname":"In an array"}]', '"just a string"', '42', 'null', '']) {
      const result = await refusedWrite(() => api.send('POST', 'leads', { body, raw: true }));
      expectDataverseError(result, 400, '0x80048d19', PAYLOAD);
    }
  });

  it('refuses an array body on PATCH and leaves the row as it was', async () => {
    const result = await refusedWrite(() =>
      api.send('PATCH', `leads(${leadId})`, { body: '[{"lastname":"x"}]', raw: true }),
    );
    expectDataverseError(result, 400, '0x80048d19');
    const row = (await api.get(`leads(${leadId})?$select=lastname`)).json<{ lastname: string }>();
    expect(row.lastname).toBe('Input');
  });

  it('refuses a body sent as text/plain or XML with 415', async () => {
    for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const result = await refusedWrite(() =>
        api.send('POST', 'leads', {
          body: '{"lastname":"Wrong type"}',
          raw: true,
          headers: { 'content-type': contentType },
        }),
      );
      expectDataverseError(result, 415, '0x80060888', new RegExp(`'${contentType}' is not supported`));
    }
  });
});

describe('values that do not fit the column', () => {
  it('refuses a string for an Int32 and a number for a string', async () => {
    const asString = await refusedWrite(() =>
      api.post('leads', { lastname: 'Typed', numberofemployees: '12' }),
    );
    expectDataverseError(asString, 400, '0x80048d19');
    expect(asString.json<{ error: { message: string } }>().error.message).toContain(
      "Cannot convert the literal '12' to the expected type 'Edm.Int32'.",
    );
    const asNumber = await refusedWrite(() => api.post('leads', { lastname: 12 }));
    expect(expectDataverseError(asNumber, 400, '0x80048d19').message).toContain(
      "Cannot convert the literal '12' to the expected type 'Edm.String'.",
    );
    const boolAsString = await refusedWrite(() =>
      api.post('leads', { lastname: 'Typed', donotemail: 'yes' }),
    );
    expect(expectDataverseError(boolAsString, 400, '0x80048d19').message).toContain("'Edm.Boolean'");
    const badDate = await refusedWrite(() =>
      api.post('leads', { lastname: 'Typed', estimatedclosedate: 'next tuesday' }),
    );
    expectDataverseError(badDate, 400, '0x80048d19');
  });

  it('refuses an unknown column on create and on update', async () => {
    const create = await refusedWrite(() => api.post('leads', { lastname: 'X', nosuchcolumn: 1 }));
    expect(expectDataverseError(create, 400, '0x80048d19').message).toContain(
      "The property 'nosuchcolumn' does not exist on type 'Microsoft.Dynamics.CRM.lead'.",
    );
    const update = await refusedWrite(() => api.patch(`leads(${leadId})`, { nosuchcolumn: 1 }));
    expectDataverseError(update, 400, '0x80048d19');
  });

  it('refuses a string longer than the column maxLength, and accepts one exactly at it', async () => {
    const result = await refusedWrite(() => api.post('leads', { lastname: 'x'.repeat(51) }));
    expectDataverseError(
      result,
      400,
      '0x80044331',
      "A validation error occurred.  The length of the 'lastname' attribute of the 'lead' entity exceeded the maximum allowed length of '50'.",
    );
    const update = await refusedWrite(() => api.patch(`leads(${leadId})`, { telephone1: '5'.repeat(51) }));
    expectDataverseError(update, 400, '0x80044331');
    expect((await api.post('leads', { lastname: 'x'.repeat(50) })).status).toBe(204);
  });

  it('refuses an Int32 outside its range', async () => {
    const result = await refusedWrite(() =>
      api.post('accounts', { name: 'Too big', numberofemployees: 1_000_000_001 }),
    );
    expectDataverseError(result, 400, '0x80044330', /outside the valid range of 0 to 1000000000/);
  });

  it('refuses a choice value the option set does not have', async () => {
    const result = await refusedWrite(() => api.post('leads', { lastname: 'Choice', leadsourcecode: 999 }));
    expectDataverseError(
      result,
      400,
      '0x8004431A',
      "A validation error occurred.  The value 999 of 'leadsourcecode' on record of type 'lead' is outside the valid range. Accepted Values: 1,2,3,4,5,6,7,8,9,10",
    );
    const fractional = await refusedWrite(() =>
      api.post('leads', { lastname: 'Choice', leadsourcecode: 1.5 }),
    );
    expectDataverseError(fractional, 400, '0x80048d19');
  });

  it('refuses a statuscode that does not belong to the statecode', async () => {
    // Lost (4) belongs to Disqualified (2), not to Open (0).
    const create = await refusedWrite(() =>
      api.post('leads', { lastname: 'Status', statecode: 0, statuscode: 4 }),
    );
    expectDataverseError(
      create,
      400,
      '0x80040203',
      /^4 is not a valid status code for state code LeadState\.Open on lead/,
    );
    const update = await refusedWrite(() => api.patch(`leads(${leadId})`, { statuscode: 5 }));
    expectDataverseError(
      update,
      400,
      '0x80040203',
      `5 is not a valid status code for state code LeadState.Open on lead with Id ${leadId}.`,
    );
    const row = (await api.get(`leads(${leadId})?$select=statuscode`)).json<{ statuscode: number }>();
    expect(row.statuscode).toBe(1);
  });

  it('refuses null for a SystemRequired column', async () => {
    const result = await refusedWrite(() => api.patch(`leads(${leadId})`, { statecode: null }));
    expectDataverseError(result, 400, '0x80040203', /SystemRequired/);
  });
});

describe('hostile shapes', () => {
  it('refuses a deep insert nested deeper than ODataLib allows, without a crash or a write', async () => {
    let body = '{"lastname":"Innermost"}';
    for (let i = 0; i < 3000; i++) body = `{"lastname":"Level ${i}","parentcustomerid_contact":${body}}`;
    const result = await refusedWrite(() => api.send('POST', 'contacts', { body, raw: true }));
    expectDataverseError(
      result,
      400,
      '0x80048d19',
      /The depth limit for entries in nested expanded navigation links was reached\. The depth limit is '100'\.$/,
    );
  });

  it('treats __proto__ and constructor as the unknown properties they are', async () => {
    for (const body of [
      '{"__proto__":{"lastname":"x"},"lastname":"p"}',
      '{"constructor":1,"lastname":"p"}',
    ]) {
      const result = await refusedWrite(() => api.send('POST', 'leads', { body, raw: true }));
      expectDataverseError(
        result,
        400,
        '0x80048d19',
        /The property '(__proto__|constructor)' does not exist/,
      );
    }
  });

  it('refuses a calendar date that does not exist', async () => {
    for (const value of ['2024-02-30', '2023-02-29T10:00:00Z', '2024-13-01']) {
      const result = await refusedWrite(() =>
        api.post('leads', { lastname: 'Dated', estimatedclosedate: value }),
      );
      expectDataverseError(result, 400, '0x80048d19', new RegExp(`Cannot convert the literal '${value}'`));
    }
    expect((await api.post('leads', { lastname: 'Dated', estimatedclosedate: '2024-02-29' })).status).toBe(
      204,
    );
  });

  it('answers a URL that does not percent-decode with a Dataverse 400', async () => {
    const result = await api.get('leads(%ZZ)');
    expectDataverseError(result, 400, '0x80060888', 'Bad Request - Error in query syntax.');
    expect(result.headers.get('req_id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('columns the service owns', () => {
  it('refuses read-only columns on create and update', async () => {
    for (const column of ['createdon', 'modifiedon', 'fullname', 'versionnumber']) {
      const value =
        column === 'versionnumber' ? 5 : column === 'fullname' ? 'Forged' : '2020-01-01T00:00:00Z';
      const create = await refusedWrite(() => api.post('leads', { lastname: 'RO', [column]: value }));
      expectDataverseError(
        create,
        400,
        '0x80040203',
        `The '${column}' attribute of the 'lead' entity is not valid for create.`,
      );
      const update = await refusedWrite(() => api.patch(`leads(${leadId})`, { [column]: value }));
      expectDataverseError(
        update,
        400,
        '0x80040203',
        `The '${column}' attribute of the 'lead' entity is not valid for update.`,
      );
    }
  });

  it('refuses a lookup written as its _x_value read-back property', async () => {
    const result = await refusedWrite(() =>
      api.post('leads', { lastname: 'Lookup', _parentaccountid_value: accountId }),
    );
    expectDataverseError(
      result,
      400,
      '0x80040203',
      'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.',
    );
  });
});

describe('@odata.bind that points nowhere', () => {
  it('refuses an unknown entity set', async () => {
    const result = await refusedWrite(() =>
      api.post('leads', { lastname: 'Bind', 'parentaccountid@odata.bind': `/nosuchset(${accountId})` }),
    );
    expectDataverseError(result, 400, '0x80060888', /is not valid for the @odata\.bind annotation/);
  });

  it('answers 404 for a record that does not exist', async () => {
    const missing = '00000000-0000-0000-0000-00000000dead';
    const result = await refusedWrite(() =>
      api.post('leads', { lastname: 'Bind', 'parentaccountid@odata.bind': `/accounts(${missing})` }),
    );
    expectDataverseError(result, 404, '0x80040217', `account With Id = ${missing} Does Not Exist`);
  });

  it('refuses a record of the wrong table', async () => {
    const result = await refusedWrite(() =>
      api.post('leads', { lastname: 'Bind', 'parentaccountid@odata.bind': `/contacts(${contactId})` }),
    );
    expectDataverseError(result, 400, '0x80060888', /points at 'contact'/);
  });

  it('refuses a navigation property the table does not have, and a non-URI value', async () => {
    const unknownNav = await refusedWrite(() =>
      api.post('leads', { lastname: 'Bind', 'nosuchnav@odata.bind': `/accounts(${accountId})` }),
    );
    expectDataverseError(unknownNav, 400, '0x80060888', /An undeclared property 'nosuchnav'/);
    const notUri = await refusedWrite(() =>
      api.post('leads', { lastname: 'Bind', 'parentaccountid@odata.bind': 42 }),
    );
    expectDataverseError(notUri, 400, '0x80060888');
  });

  it('refuses a bind that names an account by the attribute name instead of the navigation property', async () => {
    // contact.parentcustomerid is polymorphic: only parentcustomerid_account / _contact are navigation properties.
    const result = await refusedWrite(() =>
      api.post('contacts', { lastname: 'Bind', 'parentcustomerid@odata.bind': `/accounts(${accountId})` }),
    );
    expectDataverseError(result, 400, '0x80060888', /An undeclared property 'parentcustomerid'/);
  });
});

describe('query options', () => {
  it('refuses a $filter syntax error', async () => {
    for (const filter of [
      "lastname eq 'open",
      'lastname eq',
      '(lastname eq 1',
      'lastname eqq 1',
      "lastname eq 'a' and",
    ]) {
      const result = await api.get(`leads?$filter=${encodeURIComponent(filter)}`);
      expectDataverseError(result, 400, '0x80060888');
    }
  });

  it('refuses an unknown property in $filter', async () => {
    const result = await api.get(`leads?$filter=${encodeURIComponent("nosuch eq 'x'")}`);
    expectDataverseError(
      result,
      400,
      '0x80060888',
      "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.lead'.",
    );
  });

  it('treats injection-looking text inside a string literal as data', async () => {
    const total = await api.count('leads');
    expect(total).toBeGreaterThan(1);
    for (const literal of ["x') or (1 eq 1", "x' or '1' eq '1", "') or true or ('"]) {
      const quoted = `'${literal.replaceAll("'", "''")}'`;
      const result = await api.get(
        `leads?$select=lastname&$filter=${encodeURIComponent(`lastname eq ${quoted}`)}`,
      );
      expect(result.status, result.text).toBe(200);
      expect(result.json<{ value: unknown[] }>().value).toEqual([]);
    }
    // The same text sent with its quotes undoubled is a syntax error, never a broader match.
    const raw = await api.get(`leads?$filter=${encodeURIComponent("lastname eq 'x') or (1 eq 1'")}`);
    expect(raw.status).toBe(400);
  });

  it('refuses an unknown $select column', async () => {
    const result = await api.get('leads?$select=lastname,nosuchcolumn');
    expectDataverseError(
      result,
      400,
      '0x80060888',
      "Could not find a property named 'nosuchcolumn' on type 'Microsoft.Dynamics.CRM.lead'.",
    );
  });

  it('refuses $skip, which Dataverse does not support', async () => {
    const result = await api.get('leads?$skip=1');
    expectDataverseError(result, 400, '0x80060888', 'The query parameter $skip is not supported');
  });

  it('refuses a negative or non-numeric $top', async () => {
    for (const top of ['-1', 'abc', '1.5']) {
      const result = await api.get(`leads?$top=${top}`);
      expectDataverseError(
        result,
        400,
        '0x80060888',
        new RegExp(`Invalid value '${top.replace('.', '\\.')}' for \\$top`),
      );
    }
  });

  it('refuses an unknown system query option but ignores custom ones', async () => {
    const result = await api.get('leads?$foo=1');
    expectDataverseError(result, 400, '0x80060888', "The query parameter '$foo' is not supported.");
    expect((await api.get('leads?$top=1&custom=1')).status).toBe(200);
  });

  it('refuses a $orderby on an unknown column and a malformed direction', async () => {
    expectDataverseError(
      await api.get('leads?$orderby=nosuch'),
      400,
      '0x80060888',
      /Could not find a property named 'nosuch'/,
    );
    expectDataverseError(await api.get('leads?$orderby=lastname%20sideways'), 400, '0x80060888');
  });

  it('refuses an unknown $expand navigation property', async () => {
    const result = await api.get('leads?$expand=nosuchnav');
    expectDataverseError(result, 400, '0x80060888', /Could not find a property named 'nosuchnav'/);
  });

  it('refuses a repeated query option', async () => {
    const result = await api.get('leads?$top=1&$top=2');
    expectDataverseError(result, 400, '0x80060888', /specified more than once/);
  });

  it('refuses Prefer: odata.maxpagesize=abc', async () => {
    for (const value of ['abc', '0', '-3']) {
      const result = await api.get('leads', { prefer: `odata.maxpagesize=${value}` });
      expectDataverseError(result, 400, '0x80040203', new RegExp(`Invalid value '${value}'`));
    }
  });
});

describe('requests the service cannot route', () => {
  it('answers 404 for an unknown entity set', async () => {
    expectDataverseError(
      await api.get('nosuchthings'),
      404,
      '0x80060888',
      "Resource not found for the segment 'nosuchthings'.",
    );
    const post = await refusedWrite(() => api.post('nosuchthings', { name: 'x' }));
    expectDataverseError(post, 404, '0x80060888');
  });

  it('answers 404 for a path outside the versioned service root', async () => {
    const result = await api.get(`${running.url}api/data/v7.0/leads`);
    expectDataverseError(result, 404, '0x80060888');
  });

  it('answers 405 for PUT, PATCH and DELETE on a collection', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const result = await refusedWrite(() => api.send(method, 'leads', { body: { lastname: 'x' } }));
      expectDataverseError(
        result,
        405,
        '0x80060888',
        `The HTTP method '${method}' is not allowed for the resource 'leads'.`,
      );
    }
  });

  it('answers 400 for a malformed key and 404 for a missing row', async () => {
    expectDataverseError(await api.get('leads(not-a-guid)'), 400, '0x80060888');
    const missing = '00000000-0000-0000-0000-000000000bad';
    expectDataverseError(
      await api.get(`leads(${missing})`),
      404,
      '0x80040217',
      `lead With Id = ${missing} Does Not Exist`,
    );
    const del = await refusedWrite(() => api.del(`leads(${missing})`));
    expectDataverseError(del, 404, '0x80040217');
  });

  it('refuses writes to the read-only activitypointers view', async () => {
    const result = await refusedWrite(() => api.post('activitypointers', { subject: 'x' }));
    expectDataverseError(result, 405, '0x80040227');
  });
});

describe('request size', () => {
  it('answers 413 for a body over the configured limit, and writes nothing', async () => {
    const small = await startDataverseEmulator({ bodyLimitBytes: 64 * 1024 });
    try {
      const smallApi = webApi(small);
      const before = await smallApi.count('leads');
      const description = 'x'.repeat(10 * 1024 * 1024 + 1);
      const result = await smallApi.send('POST', 'leads', {
        body: JSON.stringify({ lastname: 'Huge', description }),
        raw: true,
      });
      expectDataverseError(result, 413, '0x8004418A', /exceeds the maximum allowed size of 65536 bytes/);
      expect(await smallApi.count('leads')).toBe(before);
      // A body under the limit still goes through on the same emulator.
      expect((await smallApi.post('leads', { lastname: 'Small' })).status).toBe(204);
    } finally {
      await small.close();
    }
  });
});
