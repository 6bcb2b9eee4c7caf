import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncHarness, type SyncHarness } from './lead-sync-support.js';

/** The ways in besides the capture API: hosted form, CSV upload, CLI import, the marketplace feed. */

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => h?.close());

const storedLeads = async (sourceId: string) =>
  Object.values(await h.leadbridge.repositories.inboundLeads.countByStatus(sourceId)).reduce(
    (a, b) => a + b,
    0,
  );

describe('hosted form', () => {
  let formId: string;
  // The spam guard counts every POST to a form from this address (20 a minute by default).
  let posts = 0;
  const post = (fields: Record<string, string>) => {
    posts += 1;
    return fetch(`${h.baseUrl}/forms/${formId}`, {
      method: 'POST',
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });
  };
  const valid = { email: 'form.visitor@example.com', firstName: 'Fiona', lastName: 'Form', company: 'Acme' };

  beforeAll(async () => {
    const { source } = await h.createSource({ name: 'Trade fair <Munich> & "Co"', kind: 'form' });
    expect(source.formUrl).toBe(`/forms/${source.id}`);
    formId = source.id;
  });

  it("renders the source's fields, its name escaped, and a honeypot", async () => {
    const page = await fetch(`${h.baseUrl}/forms/${formId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<h1>Trade fair &lt;Munich&gt; &amp; &quot;Co&quot;</h1>');
    expect(html).toContain('<label for="f-email">Email *</label>');
    expect(html).toMatch(/<input type="email" id="f-email" name="email" required/);
    expect(html).toMatch(/<input type="text" id="f-lastName" name="lastName" required/);
    expect(html).toMatch(/<textarea id="f-notes" name="notes"/);
    expect(html).toContain('name="leadbridge_website"');
    expect((await fetch(`${h.baseUrl}/forms/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
  });

  it('shows the errors again with 400, every value escaped, and stores nothing', async () => {
    const answer = await post({
      email: '<b>bad</b>',
      firstName: '<script>alert(1)</script>',
      lastName: ' ',
    });
    expect(answer.status).toBe(400);
    const html = await answer.text();
    expect(html).toContain('&quot;&lt;b&gt;bad&lt;/b&gt;&quot; is not an email address');
    expect(html).toMatch(/id="f-lastName-error">a value is required</);
    expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>bad');
    expect(await storedLeads(formId)).toBe(0);
  });

  it('stores a valid submission, answers 303 to the thank-you page, and syncs it', async () => {
    const answer = await post(valid);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(`/forms/${formId}/thanks`);
    const thanks = await fetch(`${h.baseUrl}/forms/${formId}/thanks`);
    expect(thanks.status).toBe(200);
    expect(await thanks.text()).toContain('Thank you');
    expect(await storedLeads(formId)).toBe(1);
    await h.leadbridge.worker.drain();
    expect(h.rows('lead').filter((row) => row['emailaddress1'] === valid.email)).toEqual([
      expect.objectContaining({ firstname: 'Fiona', lastname: 'Form', companyname: 'Acme' }),
    ]);
  });

  it('answers a filled honeypot like a success and stores nothing', async () => {
    const answer = await post({ ...valid, email: 'bot@example.com', leadbridge_website: 'http://spam' });
    expect(answer.status).toBe(303);
    expect(await storedLeads(formId)).toBe(1);
  });

  it('answers 429 once the submissions of a minute are used up', async () => {
    while (posts < 20) expect((await post({ ...valid, leadbridge_website: 'x' })).status).toBe(303);
    const limited = await post(valid);
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('Too many submissions');
    expect(await storedLeads(formId)).toBe(1);
  });
});

describe('CSV import over the API', () => {
  const CSV = [
    'E-Mail;Vorname;Nachname;Firma',
    'anna.csv@example.com;Anna;Import;ACME',
    'not-an-email;Bad;Row;X',
    '',
    'bert.csv@example.com;Bert;;"Y; Inc."',
    'carl.csv@example.com;Carl;Import;"Multi',
    'line"',
    '',
  ].join('\r\n');
  const MAP = '?map.E-Mail=email&map.Vorname=firstName&map.Nachname=lastName&map.Firma=company';

  // Sent in small chunks, as a stream: the route hands the body to the reader without buffering it.
  const upload = (sourceId: string, query: string, token = h.adminToken) =>
    fetch(`${h.baseUrl}/api/v1/sources/${sourceId}/imports${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(
        Readable.from(CSV.match(/[\s\S]{1,16}/g)!.map((s) => Buffer.from(s))),
      ) as ReadableStream,
      duplex: 'half',
    } as RequestInit);

  it('maps headers, reports failed rows with spreadsheet row numbers, and a re-import stores nothing new', async () => {
    const { source } = await h.createSource({ name: 'CSV upload', kind: 'csv' });
    const first = await upload(source.id, MAP);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      rows: 4,
      accepted: 2,
      duplicates: 0,
      failed: 2,
      errors: [
        { row: 3, errors: ['E-Mail: "not-an-email" is not an email address'] },
        { row: 5, errors: ['Nachname: a value is required'] },
      ],
    });
    const again = await upload(source.id, MAP);
    expect(await again.json()).toMatchObject({ rows: 4, accepted: 0, duplicates: 2, failed: 2 });
    expect(await storedLeads(source.id)).toBe(2);

    await h.leadbridge.worker.drain();
    const carl = h.rows('lead').find((row) => row['emailaddress1'] === 'carl.csv@example.com');
    expect(carl).toMatchObject({ firstname: 'Carl', lastname: 'Import', companyname: 'Multi\r\nline' });
    expect(h.rows('lead').some((row) => row['emailaddress1'] === 'anna.csv@example.com')).toBe(true);
  });

  it('without the header map, a file whose headers match no field is refused as a whole', async () => {
    const { source } = await h.createSource({ name: 'CSV unmapped', kind: 'csv' });
    const answer = await upload(source.id, '');
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({
      error: {
        code: 'csv_invalid',
        message: expect.stringMatching(/Line 1: no column matches a field of this source/),
      },
    });
    expect(await storedLeads(source.id)).toBe(0);
  });
});

describe('the commercial marketplace feed', () => {
  const fixture = JSON.parse(
    readFileSync(
      new URL('../../../src/capture/fixtures/marketplace-lead-example.json', import.meta.url),
      'utf8',
    ),
  ) as unknown;

  it("takes Microsoft's documented payload with ?key=, once, and it ends as a lead in the CRM", async () => {
    const { source, key } = await h.createSource({ name: 'AppSource', kind: 'partner' });
    const path = `/api/v1/sources/${source.id}/marketplace-leads`;
    expect((await h.api(path, { method: 'POST', json: fixture })).status).toBe(401);
    expect((await h.api(`${path}?key=lbk_wrong`, { method: 'POST', json: fixture })).body).toMatchObject({
      error: { code: 'invalid_api_key' },
    });
    const first = await h.api(`${path}?key=${encodeURIComponent(key)}`, { method: 'POST', json: fixture });
    expect(first.status).toBe(202);
    const again = await h.api(`${path}?key=${encodeURIComponent(key)}`, { method: 'POST', json: fixture });
    expect(again.body!['leads']).toEqual([{ id: first.body!['leads'][0].id, duplicate: true }]);
    const broken = await h.api(`${path}?key=${encodeURIComponent(key)}`, {
      method: 'POST',
      json: { UserDetails: { Email: 42 } },
    });
    expect(broken.status).toBe(400);
    expect(broken.body!['error'].message).toMatch(/UserDetails\.Email/);

    await h.leadbridge.worker.drain();
    expect(h.rows('lead').filter((row) => row['emailaddress1'] === 'someone@contoso.com')).toEqual([
      expect.objectContaining({
        firstname: 'Some',
        lastname: 'One',
        companyname: 'Contoso',
        jobtitle: 'Esquire',
        telephone1: '16175555555',
        address1_country: 'USA',
      }),
    ]);
  });
});

describe('leadbridge import csv / sync run / sync status', () => {
  let cli: SyncHarness;
  beforeAll(async () => {
    cli = await startSyncHarness();
  });
  afterAll(async () => cli?.close());

  /** The CLI from source in its own process, on the harness's data directory, trusting the emulator. */
  async function leadbridge(args: readonly string[]) {
    const ca = join(cli.dataDir, 'emulator-ca.pem');
    writeFileSync(ca, cli.emulator.emulator.tls.caPem);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/run-cli.ts', ...args, '--data', cli.dataDir],
      {
        env: {
          ...process.env,
          LEADBRIDGE_CRM_ALLOWED_HOSTS: new URL(cli.emulator.url).host,
          LEADBRIDGE_CRM_EXTRA_CA_FILE: ca,
          LEADBRIDGE_LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    return { code, stdout, stderr };
  }

  it('imports a file with a row error, syncs it to the emulator and shows the counts', async () => {
    const { source } = await cli.createSource({ name: 'CLI import', kind: 'csv' });
    const file = join(mkdtempSync(join(tmpdir(), 'leadbridge-csv-')), 'leads.csv');
    writeFileSync(
      file,
      [
        'Mail,First,Last',
        'cli.one@example.com,Clara,Cli',
        'not-an-email,Bad,Row',
        'cli.two@example.com,Chris,Cli',
      ].join('\n'),
    );
    const imported = await leadbridge([
      'import',
      'csv',
      file,
      '--source',
      source.id,
      '--map',
      'Mail=email',
      '--map',
      'First=firstName',
      '--map',
      'Last=lastName',
    ]);
    expect(imported.stdout).toContain('Imported 2 new lead(s), 0 already known, 1 row(s) failed.');
    expect(imported.stdout).toContain('row 3: Mail: "not-an-email" is not an email address');
    expect(imported.stderr).toContain('Importing');
    expect(imported.code).toBe(1);

    const run = await leadbridge(['sync', 'run']);
    expect(run.stdout, run.stderr).toContain('Synced 2 job(s): 2 done, 0 to retry, 0 dead-lettered.');
    expect(run.code).toBe(0);
    const emails = cli.rows('lead').map((row) => row['emailaddress1']);
    expect(emails).toEqual(expect.arrayContaining(['cli.one@example.com', 'cli.two@example.com']));

    const status = await leadbridge(['sync', 'status']);
    expect(status.code).toBe(0);
    const api = await cli.api('/api/v1/sync/status', { token: cli.adminToken });
    const leads = Object.entries(api.body!['leads'] as Record<string, number>)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    expect(api.body!['leads']).toMatchObject({ synced: 2 });
    expect(status.stdout).toContain(`Leads: ${leads}\n`);
    expect(status.stdout).toMatch(/Connection Emulator: active, \d+ requests today/);
  }, 90_000);
});
