import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';
import { expectDataverseError, webApi, type WebApiHttp } from '../support/web-api-http.js';

/**
 * Duplicate detection (protocols/dataverse.md §1.5, §1.11): off by default in the Web API, on with
 * `MSCRM.SuppressDuplicateDetection: false`, driven by the published rules; a hit is 412 0x80040333.
 */
const DUPLICATE =
  'A record was not created or updated because a duplicate of the current record already exists.';
const DETECT = { 'mscrm.suppressduplicatedetection': 'false' };

describe('the default rules (same e-mail address)', () => {
  let running: RunningEmulator;
  let api: WebApiHttp;
  beforeAll(async () => {
    running = await startDataverseEmulator();
    api = webApi(running);
    await api.create('leads', { lastname: 'Original', emailaddress1: 'ana@example.com' });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('refuses a duplicate that differs only in case and surrounding spaces, and writes nothing', async () => {
    for (const email of ['ana@example.com', 'ANA@Example.COM', '  ana@example.com  ']) {
      const before = await api.count('leads');
      const result = await api.post('leads', { lastname: 'Copy', emailaddress1: email }, DETECT);
      expectDataverseError(result, 412, '0x80040333', DUPLICATE);
      expect(await api.count('leads')).toBe(before);
    }
  });

  it('creates the duplicate when detection is not asked for, or suppressed', async () => {
    const before = await api.count('leads');
    expect((await api.post('leads', { lastname: 'Copy', emailaddress1: 'ana@example.com' })).status).toBe(
      204,
    );
    const suppressed = await api.post(
      'leads',
      { lastname: 'Copy', emailaddress1: 'ana@example.com' },
      { 'mscrm.suppressduplicatedetection': 'true' },
    );
    expect(suppressed.status).toBe(204);
    expect(await api.count('leads')).toBe(before + 2);
  });

  it('creates a row whose e-mail is new, and one without an e-mail', async () => {
    expect(
      (await api.post('leads', { lastname: 'New', emailaddress1: 'new@example.com' }, DETECT)).status,
    ).toBe(204);
    expect((await api.post('leads', { lastname: 'No email' }, DETECT)).status).toBe(204);
    expect((await api.post('leads', { lastname: 'No email either' }, DETECT)).status).toBe(204);
  });

  it('checks updates too, but not the row against itself', async () => {
    const id = await api.create('leads', { lastname: 'Updater', emailaddress1: 'updater@example.com' });
    const clash = await api.patch(`leads(${id})`, { emailaddress1: 'Ana@example.com' }, DETECT);
    expectDataverseError(clash, 412, '0x80040333', DUPLICATE);
    const row = await api.get(`leads(${id})?$select=emailaddress1`);
    expect(row.json<{ emailaddress1: string }>().emailaddress1).toBe('updater@example.com');
    const self = await api.patch(
      `leads(${id})`,
      { emailaddress1: 'UPDATER@example.com', jobtitle: 'x' },
      DETECT,
    );
    expect(self.status).toBe(204);
  });

  it('applies each table its own rule: a lead does not clash with a contact', async () => {
    await api.create('contacts', { lastname: 'Contact', emailaddress1: 'shared@example.com' });
    expect(
      (await api.post('leads', { lastname: 'Lead', emailaddress1: 'shared@example.com' }, DETECT)).status,
    ).toBe(204);
    const contact = await api.post(
      'contacts',
      { lastname: 'Contact 2', emailaddress1: 'SHARED@example.com' },
      DETECT,
    );
    expectDataverseError(contact, 412, '0x80040333', DUPLICATE);
  });

  it('honours the header on a $batch part', async () => {
    const before = await api.count('leads');
    const body = [
      '--batch_dd',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'POST leads HTTP/1.1',
      'Content-Type: application/json',
      'MSCRM.SuppressDuplicateDetection: false',
      '',
      '{"lastname":"Batch copy","emailaddress1":"ana@example.com"}',
      '--batch_dd--',
    ].join('\r\n');
    const result = await api.send('POST', '$batch', {
      body,
      raw: true,
      headers: { 'content-type': 'multipart/mixed; boundary=batch_dd' },
    });
    expect(result.status).toBe(412);
    expect(result.text).toContain('"code":"0x80040333"');
    expect(await api.count('leads')).toBe(before);
  });
});

describe('configured rules', () => {
  let running: RunningEmulator;
  let api: WebApiHttp;
  beforeAll(async () => {
    running = await startDataverseEmulator({
      duplicateRules: [
        {
          name: 'Leads matching contacts by e-mail',
          baseTable: 'lead',
          matchingTable: 'contact',
          attribute: 'emailaddress1',
        },
        {
          name: 'Leads with the same company',
          baseTable: 'lead',
          matchingTable: 'lead',
          attribute: 'companyname',
        },
      ],
    });
    api = webApi(running);
  });
  afterAll(async () => {
    await running?.close();
  });

  it('matches a lead against contacts when a rule says so', async () => {
    await api.create('contacts', { lastname: 'Known', emailaddress1: 'known@example.com' });
    const before = await api.count('leads');
    expectDataverseError(
      await api.post('leads', { lastname: 'Lead', emailaddress1: 'Known@Example.com' }, DETECT),
      412,
      '0x80040333',
      DUPLICATE,
    );
    expect(await api.count('leads')).toBe(before);
  });

  it('uses only the configured rules: same e-mail on two leads is no longer a duplicate', async () => {
    await api.create('leads', { lastname: 'One', emailaddress1: 'twice@example.com' });
    expect(
      (await api.post('leads', { lastname: 'Two', emailaddress1: 'twice@example.com' }, DETECT)).status,
    ).toBe(204);
  });

  it('matches on any configured attribute', async () => {
    await api.create('leads', { lastname: 'First', companyname: 'Contoso Ltd' });
    expectDataverseError(
      await api.post('leads', { lastname: 'Second', companyname: ' contoso ltd' }, DETECT),
      412,
      '0x80040333',
    );
  });

  it('can be switched off entirely with an empty rule list', async () => {
    const none = await startDataverseEmulator({ duplicateRules: [] });
    try {
      const noneApi = webApi(none);
      await noneApi.create('leads', { lastname: 'A', emailaddress1: 'same@example.com' });
      expect(
        (await noneApi.post('leads', { lastname: 'B', emailaddress1: 'same@example.com' }, DETECT)).status,
      ).toBe(204);
    } finally {
      await none.close();
    }
  });
});
