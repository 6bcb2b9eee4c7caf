import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';
import { allParts, readBatchResponse, type BatchResponsePart } from '../support/strict-batch-reader.js';
import { expectDataverseError, idFromEntityUrl, webApi, type WebApiHttp } from '../support/web-api-http.js';

/**
 * `$batch` over raw HTTP with bodies written out by hand (protocols/dataverse.md §3, checklist item 9),
 * read back with a strict multipart reader that shares nothing with the emulator's codec.
 */
let running: RunningEmulator;
let api: WebApiHttp;
/** e.g. /api/data/v9.2/ */
let servicePath: string;

beforeAll(async () => {
  running = await startDataverseEmulator();
  api = webApi(running);
  servicePath = new URL(api.root).pathname;
});
afterAll(async () => {
  await running?.close();
});

const CRLF = '\r\n';

function postBatch(
  body: string,
  boundaryParam: string,
  headers: Readonly<Record<string, string>> = {},
): ReturnType<WebApiHttp['send']> {
  return api.send('POST', '$batch', {
    body,
    raw: true,
    headers: { 'content-type': `multipart/mixed; boundary=${boundaryParam}`, ...headers },
  });
}

async function leadsNamed(lastname: string): Promise<string[]> {
  const filter = encodeURIComponent(`lastname eq '${lastname}'`);
  const result = await api.get(`leads?$select=lastname&$filter=${filter}`);
  return result.json<{ value: { leadid: string }[] }>().value.map((l) => l.leadid);
}

const partJson = <T = Record<string, unknown>>(part: BatchResponsePart | undefined): T =>
  JSON.parse(part?.body ?? 'null') as T;

describe('request framing', () => {
  it('runs a CRLF batch with relative, server-relative and absolute request lines', async () => {
    const body = [
      '--batch_crlf',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'GET leads?$select=lastname&$top=2 HTTP/1.1',
      'Accept: application/json',
      '',
      '',
      '--batch_crlf',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      `GET ${servicePath}accounts?$select=name&$top=1 HTTP/1.1`,
      'Accept: application/json',
      '',
      '',
      '--batch_crlf',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      `POST ${api.root}leads HTTP/1.1`,
      'Content-Type: application/json; type=entry',
      '',
      '{"lastname":"Batch CRLF"}',
      '--batch_crlf--',
      '',
    ].join(CRLF);
    const result = await postBatch(body, 'batch_crlf');
    expect(result.status, result.text).toBe(200);
    expect(result.headers.get('odata-version')).toBe('4.0');
    const entries = readBatchResponse(result.headers.get('content-type'), result.text);
    const parts = allParts(entries);
    expect(entries.map((e) => e.kind)).toEqual(['operation', 'operation', 'operation']);
    expect(parts.map((p) => `${p.status} ${p.reason}`)).toEqual(['200 OK', '200 OK', '204 No Content']);

    const leads = partJson<{ '@odata.context': string; value: unknown[] }>(parts[0]);
    expect(leads['@odata.context']).toBe(`${api.root}$metadata#leads(lastname)`);
    expect(leads.value).toHaveLength(2);
    expect(parts[0]?.headers.get('content-type')).toMatch(/^application\/json; odata\.metadata=minimal/);
    expect(partJson<{ value: unknown[] }>(parts[1]).value).toHaveLength(1);

    const created = parts[2];
    const id = idFromEntityUrl(created?.headers.get('odata-entityid') ?? null);
    expect(created?.headers.get('location')).toBe(`${api.root}leads(${id})`);
    expect(created?.headers.get('odata-entityid')).toBe(`${api.root}leads(${id})`);
    expect(created?.body).toBe('');
    expect(await leadsNamed('Batch CRLF')).toEqual([id]);
  });

  it('accepts bare LF line breaks and a quoted boundary', async () => {
    const body = [
      '--batch_lf',
      'Content-Type: application/http',
      'Content-Transfer-Encoding:binary',
      '',
      'POST leads HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"lastname":"Batch LF"}',
      '--batch_lf',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      `GET leads?$select=lastname&$filter=lastname%20eq%20'Batch%20LF' HTTP/1.1`,
      '',
      '--batch_lf--',
    ].join('\n');
    const result = await postBatch(body, '"batch_lf"');
    expect(result.status, result.text).toBe(200);
    // The response is CRLF whatever the request used.
    const parts = allParts(readBatchResponse(result.headers.get('content-type'), result.text));
    expect(parts.map((p) => p.status)).toEqual([204, 200]);
    expect(partJson<{ value: { lastname: string }[] }>(parts[1]).value.map((l) => l.lastname)).toEqual([
      'Batch LF',
    ]);
  });

  it('answers 405 for a GET on $batch and 400 for a body that is not multipart', async () => {
    expectDataverseError(await api.get('$batch'), 405, '0x80060888');
    const before = await api.count('leads');
    expectDataverseError(
      await postBatch('this is not a multipart body at all', 'batch_x'),
      400,
      '0x80040203',
    );
    expectDataverseError(
      await api.send('POST', '$batch', { body: '{"lastname":"x"}', raw: true }),
      400,
      '0x80040203',
      /multipart\/mixed/,
    );
    expectDataverseError(
      await api.send('POST', '$batch', {
        body: '--b\r\n',
        raw: true,
        headers: { 'content-type': 'multipart/mixed' },
      }),
      400,
      '0x80040203',
    );
    const garbageInPart = [
      '--batch_g',
      'Content-Type: application/http',
      '',
      'NOT A REQUEST LINE',
      '--batch_g--',
    ];
    expectDataverseError(
      await postBatch(garbageInPart.join(CRLF), 'batch_g'),
      400,
      '0x80040203',
      /request line/,
    );
    const noClose = [
      '--batch_n',
      'Content-Type: application/http',
      '',
      'POST leads HTTP/1.1',
      '',
      '{"lastname":"x"}',
    ];
    expect((await postBatch(noClose.join(CRLF), 'batch_n')).status).toBe(400);
    expect(await api.count('leads')).toBe(before);
  });

  it('refuses a $batch nested in a $batch', async () => {
    const inner = [
      '--batch_in',
      'Content-Type: application/http',
      '',
      'GET WhoAmI HTTP/1.1',
      '',
      '--batch_in--',
    ];
    const body = [
      '--batch_out',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'POST $batch HTTP/1.1',
      'Content-Type: multipart/mixed; boundary=batch_in',
      '',
      ...inner,
      '--batch_out--',
    ].join(CRLF);
    const result = await postBatch(body, 'batch_out');
    expect(result.status).toBe(400);
  });
});

describe('change sets', () => {
  it('runs a change set with Content-ID references in bodies and request lines', async () => {
    const accountId = await api.create('accounts', { name: 'Batch Parent' });
    const cs = 'changeset_refs';
    const body = [
      '--batch_refs',
      `Content-Type: multipart/mixed; boundary=${cs}`,
      '',
      `--${cs}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'POST leads HTTP/1.1',
      'Content-Type: application/json; type=entry',
      '',
      '{"firstname":"Ref","lastname":"Batch Ref Lead"}',
      `--${cs}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 2',
      '',
      'POST tasks HTTP/1.1',
      'Content-Type: application/json; type=entry',
      '',
      '{"subject":"Call the new lead","regardingobjectid_lead_task@odata.bind":"$1"}',
      `--${cs}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 3',
      '',
      'PATCH $1 HTTP/1.1',
      'Content-Type: application/json',
      '',
      `{"jobtitle":"Patched through $1","parentaccountid@odata.bind":"/accounts(${accountId})"}`,
      `--${cs}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 4',
      '',
      'PUT $1/telephone1 HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"value":"555-0142"}',
      `--${cs}--`,
      '--batch_refs--',
      '',
    ].join(CRLF);
    const result = await postBatch(body, 'batch_refs');
    expect(result.status, result.text).toBe(200);
    const entries = readBatchResponse(result.headers.get('content-type'), result.text);
    expect(entries).toHaveLength(1);
    const changeSet = entries[0];
    if (changeSet?.kind !== 'changeSet') throw new Error('expected a change set response');
    expect(changeSet.parts.map((p) => [p.contentId, p.status])).toEqual([
      ['1', 204],
      ['2', 204],
      ['3', 204],
      ['4', 204],
    ]);
    const leadId = idFromEntityUrl(changeSet.parts[0]?.headers.get('odata-entityid') ?? null);
    expect(changeSet.parts[0]?.headers.get('location')).toBe(`${api.root}leads(${leadId})`);
    const taskId = idFromEntityUrl(changeSet.parts[1]?.headers.get('location') ?? null);
    expect(changeSet.parts[1]?.headers.get('odata-entityid')).toBe(`${api.root}tasks(${taskId})`);

    const lead = await api.get(
      `leads(${leadId})?$select=fullname,jobtitle,telephone1,_parentaccountid_value&$expand=Lead_Tasks($select=subject)`,
    );
    expect(lead.json()).toMatchObject({
      fullname: 'Ref Batch Ref Lead',
      jobtitle: 'Patched through $1',
      telephone1: '555-0142',
      _parentaccountid_value: accountId,
      Lead_Tasks: [{ activityid: taskId, subject: 'Call the new lead' }],
    });
  });

  it('links two new rows with PUT $1/…/$ref and {"@odata.id":"$2"}', async () => {
    const cs = 'changeset_link';
    const part = (id: string, line: string, json: string) => [
      `--${cs}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      `Content-ID: ${id}`,
      '',
      line,
      'Content-Type: application/json',
      '',
      json,
    ];
    const body = [
      '--batch_link',
      `Content-Type: multipart/mixed; boundary="${cs}"`,
      '',
      ...part('1', 'POST accounts HTTP/1.1', '{"name":"Linked Account"}'),
      ...part('2', 'POST contacts HTTP/1.1', '{"lastname":"Linked Contact"}'),
      ...part('3', 'PUT $1/primarycontactid/$ref HTTP/1.1', '{"@odata.id":"$2"}'),
      `--${cs}--`,
      '--batch_link--',
    ].join(CRLF);
    const result = await postBatch(body, 'batch_link');
    expect(result.status, result.text).toBe(200);
    const parts = allParts(readBatchResponse(result.headers.get('content-type'), result.text));
    const accountId = idFromEntityUrl(parts[0]?.headers.get('odata-entityid') ?? null);
    const contactId = idFromEntityUrl(parts[1]?.headers.get('odata-entityid') ?? null);
    const account = await api.get(`accounts(${accountId})?$select=_primarycontactid_value`);
    expect(account.json<{ _primarycontactid_value: string }>()._primarycontactid_value).toBe(contactId);
  });

  it('rolls the whole change set back when one part fails, and takes its status', async () => {
    const before = await Promise.all(['leads', 'tasks'].map((s) => api.count(s)));
    const cs = 'changeset_fail';
    const body = [
      '--batch_fail',
      `Content-Type: multipart/mixed; boundary=${cs}`,
      '',
      `--${cs}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'POST leads HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"lastname":"Batch Rolled Back"}',
      `--${cs}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 2',
      '',
      'POST tasks HTTP/1.1',
      'Content-Type: application/json',
      '',
      `{"subject":"${'x'.repeat(201)}","regardingobjectid_lead_task@odata.bind":"$1"}`,
      `--${cs}--`,
      '--batch_fail--',
    ].join(CRLF);
    const result = await postBatch(body, 'batch_fail');
    expect(result.status).toBe(400);
    const parts = allParts(readBatchResponse(result.headers.get('content-type'), result.text));
    expect(parts).toHaveLength(1);
    expect(parts[0]?.status).toBe(400);
    expect(parts[0]?.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
    expect(partJson<{ error: { code: string } }>(parts[0]).error.code).toBe('0x80044331');
    expect(await leadsNamed('Batch Rolled Back')).toEqual([]);
    expect(await Promise.all(['leads', 'tasks'].map((s) => api.count(s)))).toEqual(before);
  });

  it('refuses a GET inside a change set before running anything', async () => {
    const before = await api.count('leads');
    const cs = 'changeset_get';
    const body = [
      '--batch_get',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'POST leads HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"lastname":"Batch Before Get"}',
      '--batch_get',
      `Content-Type: multipart/mixed; boundary=${cs}`,
      '',
      `--${cs}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'GET leads?$top=1 HTTP/1.1',
      '',
      `--${cs}--`,
      '--batch_get--',
    ].join(CRLF);
    expectDataverseError(
      await postBatch(body, 'batch_get'),
      400,
      '0x80040203',
      /GET requests are not allowed inside a change set/,
    );
    expect(await api.count('leads')).toBe(before);
  });

  it('refuses a Content-ID reference that is not declared earlier in the change set', async () => {
    const before = await api.count('tasks');
    const cs = 'changeset_undeclared';
    const body = [
      '--batch_u',
      `Content-Type: multipart/mixed; boundary=${cs}`,
      '',
      `--${cs}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 2',
      '',
      'POST tasks HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"subject":"Too early","regardingobjectid_lead_task@odata.bind":"$1"}',
      `--${cs}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'POST leads HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"lastname":"Declared too late"}',
      `--${cs}--`,
      '--batch_u--',
    ].join(CRLF);
    expectDataverseError(
      await postBatch(body, 'batch_u'),
      400,
      '0x80040203',
      "Content-ID Reference: '$1' does not exist in the batch context.",
    );
    expect(await api.count('tasks')).toBe(before);
  });
});

describe('errors outside change sets', () => {
  const threeCreates = () =>
    [
      '--batch_three',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'POST leads HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"lastname":"Batch Three A"}',
      '--batch_three',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'POST leads HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"lastname":"Batch Three B","leadsourcecode":999}',
      '--batch_three',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'POST leads HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"lastname":"Batch Three C"}',
      '--batch_three--',
    ].join(CRLF);

  it('stops at the first failure: outer status is the failure, later parts never run, earlier ones stay', async () => {
    const result = await postBatch(threeCreates(), 'batch_three');
    expect(result.status).toBe(400);
    const parts = allParts(readBatchResponse(result.headers.get('content-type'), result.text));
    // The emulator keeps the earlier part's response before the failing one (see the MSDocs examples).
    expect(parts.map((p) => p.status)).toEqual([204, 400]);
    expect(parts[1]?.headers.get('req_id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(partJson<{ error: { code: string; message: string } }>(parts[1]).error).toMatchObject({
      code: '0x8004431A',
    });
    expect(await leadsNamed('Batch Three A')).toHaveLength(1);
    expect(await leadsNamed('Batch Three B')).toEqual([]);
    expect(await leadsNamed('Batch Three C')).toEqual([]);
  });

  it('runs every part with Prefer: odata.continue-on-error and answers 200', async () => {
    const before = (await leadsNamed('Batch Three A')).length;
    const result = await postBatch(threeCreates(), 'batch_three', { prefer: 'odata.continue-on-error' });
    expect(result.status).toBe(200);
    expect(result.headers.get('preference-applied')).toBe('odata.continue-on-error');
    const parts = allParts(readBatchResponse(result.headers.get('content-type'), result.text));
    expect(parts.map((p) => p.status)).toEqual([204, 400, 204]);
    expect(await leadsNamed('Batch Three A')).toHaveLength(before + 1);
    expect(await leadsNamed('Batch Three C')).toHaveLength(1);
  });

  it('takes the status of a failing GET (404) and carries its Dataverse error', async () => {
    const missing = '00000000-0000-0000-0000-0000000000e1';
    const body = [
      '--batch_404',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      `GET leads(${missing}) HTTP/1.1`,
      '',
      '--batch_404--',
    ].join(CRLF);
    const result = await postBatch(body, 'batch_404');
    expect(result.status).toBe(404);
    const [part] = allParts(readBatchResponse(result.headers.get('content-type'), result.text));
    expect(part?.reason).toBe('Not Found');
    expect(partJson<{ error: { code: string; message: string } }>(part).error).toEqual({
      code: '0x80040217',
      message: `lead With Id = ${missing} Does Not Exist`,
    });
  });
});

describe('size limit', () => {
  const getPart = (i: number) =>
    [
      '--batch_many',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      `GET WhoAmI?n=${i} HTTP/1.1`,
      '',
      '',
    ].join(CRLF);

  it('runs exactly 1000 operations', async () => {
    const body = Array.from({ length: 1000 }, (_, i) => getPart(i)).join('') + '--batch_many--';
    const result = await postBatch(body, 'batch_many');
    expect(result.status).toBe(200);
    expect(allParts(readBatchResponse(result.headers.get('content-type'), result.text))).toHaveLength(1000);
  });

  it('refuses 1001 operations with 400 before running any', async () => {
    const before = await api.count('leads');
    const create = [
      '--batch_many',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'POST leads HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"lastname":"Batch Too Many"}',
      '',
    ].join(CRLF);
    const body = create + Array.from({ length: 1000 }, (_, i) => getPart(i)).join('') + '--batch_many--';
    expectDataverseError(await postBatch(body, 'batch_many'), 400, '0x80040203', /maximum number of '1000'/);
    expect(await api.count('leads')).toBe(before);
  });
});
