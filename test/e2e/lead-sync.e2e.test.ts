import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 4's pages in a real headless Chromium against `leadbridge start --demo` (app, worker and the
 * Dataverse emulator in one process): an admin adds a capture-API source and a key in the UI, checks
 * its lead mapping with a preview, captures three leads through the API, follows them to "created" in
 * the Sync Log, imports a CSV file with one bad row, and looks at the matching strategies.
 * Screenshots of every page land in test-results/lead-sync-*.png.
 */

const SCREENSHOTS = resolve('test-results');
const WAIT_MS = 10_000;

interface Started {
  readonly child: ChildProcess;
  readonly appUrl: string;
  readonly admin: { readonly email: string; readonly password: string };
}

/** Runs the CLI from source, as `npx leadbridge start --demo` runs the built copy, and reads its banner. */
async function startLeadbridge(dataDir: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/run-cli.ts', 'start', '--demo', '--port', '0', '--data', dataDir],
    { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const appUrl = /Leadbridge listening on (https?:\/\/\S+)/;
  const admin = /Admin login: (\S+) \/ (\S+)/;
  const connected = /Demo connection: .* \(active\)/;
  const started = Date.now();
  while (![appUrl, admin, connected].every((pattern) => pattern.test(output))) {
    if (child.exitCode !== null)
      throw new Error(`leadbridge start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() - started > 30_000)
      throw new Error(`leadbridge start did not print its banner:\n${output}`);
    await new Promise((done) => setTimeout(done, 50));
  }
  return {
    child,
    appUrl: (appUrl.exec(output)?.[1] ?? '').replace(/\/$/, ''),
    admin: { email: admin.exec(output)?.[1] ?? '', password: admin.exec(output)?.[2] ?? '' },
  };
}

async function screenshot(page: Page, name: string): Promise<void> {
  // Let notifications, drawers and popovers settle so the picture shows the resting page.
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(SCREENSHOTS, `lead-sync-${name}.png`), fullPage: true });
}

function textbox(scope: Page | Locator, label: string): Locator {
  return scope.getByRole('textbox', { name: label, exact: true });
}

/** A Mantine Select: a combobox that opens a listbox of role=option items. */
async function choose(page: Page, scope: Page | Locator, label: string, option: string): Promise<void> {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

function nav(page: Page, link: string): Locator {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true });
}

const CSV_WITH_ONE_BAD_ROW = [
  'email,firstName,lastName,company',
  'dora@example.com,Dora,Diaz,Acme',
  // Row 3 (the header is row 1) has no last name, which the source and the CRM both require.
  'eve@example.com,Eve,,Acme',
  'fay@example.com,Fay,Fox,Acme',
  '',
].join('\n');

describe('lead sync pages (leadbridge start --demo, headless Chromium)', () => {
  let dataDir: string;
  let app: Started;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const sourceName = 'Website API (e2e)';
  let sourceId = '';
  let apiKey = '';

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-e2e-sync-'));
    // The app serves dist/web; build it from the current source so no stale UI is tested.
    await build({ configFile: resolve('web/vite.config.ts'), logLevel: 'warn' });
    [app, browser] = await Promise.all([
      startLeadbridge(dataDir),
      chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      }),
    ]);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    context.setDefaultTimeout(WAIT_MS);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (app?.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await once(app.child, 'exit');
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs the admin in and shows the lead-sync pages in the navigation', async () => {
    await page.goto(app.appUrl);
    await textbox(page, 'Email').fill(app.admin.email);
    await textbox(page, 'Password').fill(app.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    for (const link of ['Sources', 'Sync log', 'Matching strategies'])
      expect(await nav(page, link).isVisible()).toBe(true);
  });

  it('adds a capture-API source and opens its page', async () => {
    await nav(page, 'Sources').click();
    await page.getByText('No sources yet', { exact: true }).waitFor();
    await screenshot(page, 'sources-empty');
    await page.getByRole('button', { name: 'Add source' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add a lead source' });
    await textbox(dialog, 'Name').fill(sourceName);
    await choose(page, dialog, 'Kind', 'Capture API');
    await screenshot(page, 'source-create');
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await page.getByRole('heading', { name: sourceName }).waitFor();
    sourceId = /\/sources\/([^/?]+)/.exec(page.url())?.[1] ?? '';
    expect(sourceId).not.toBe('');
    // The default policy, in seed 003's words.
    expect(await page.getByRole('combobox', { name: 'Check' }).inputValue()).toBe('Check leads only');
    expect(await page.getByRole('combobox', { name: 'On duplicate' }).inputValue()).toBe(
      'Update most recently updated',
    );
    await screenshot(page, 'source-settings');
  });

  it('creates an API key that is shown once with a copy button', async () => {
    await page.getByRole('tab', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Create API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API key' });
    apiKey = (await dialog.getByLabel('API key', { exact: true }).innerText()).trim();
    expect(apiKey).toMatch(/^\S{20,}$/);
    expect(await dialog.getByRole('button', { name: 'Copy' }).isVisible()).toBe(true);
    await screenshot(page, 'api-key-created');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // The list never shows the key itself again.
    const keys = page.getByRole('table', { name: 'API keys' });
    await keys.getByText('Active', { exact: true }).waitFor();
    expect(await keys.innerText()).not.toContain(apiKey);
  });

  it('previews the lead mapping on a sample and shows what a refused save is missing', async () => {
    await page.getByRole('button', { name: 'Edit mapping' }).click();
    await page.getByRole('menuitem', { name: 'Lead mapping' }).click();
    await page.getByRole('heading', { name: `Mapping: ${sourceName}` }).waitFor();
    const rows = page.getByRole('table', { name: 'Column mappings' });
    const email = rows.getByRole('row', { name: 'Mapping of emailaddress1' });
    await email.waitFor();
    expect(await email.getByRole('combobox').first().inputValue()).toBe('Email (emailaddress1)');

    // The column picker searches the live metadata and shows each column's type and limits.
    const picker = rows.getByRole('row', { name: 'Mapping of jobtitle' }).getByRole('combobox').first();
    await picker.click();
    await picker.fill('mobile');
    const option = page.getByRole('option', { name: /Mobile Phone/ });
    await option.waitFor();
    expect(await option.innerText()).toMatch(/mobilephone[\s\S]*String[\s\S]*max \d+/);
    await screenshot(page, 'mapping-column-picker');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const result = page.getByRole('region', { name: 'Preview result' });
    await result.getByText('The mapping fits the CRM table').waitFor();
    // The sample's e-mail "Ana.Silva@Example.com " comes out trimmed and lower-cased.
    const record = result.getByRole('table', { name: 'Mapped record' });
    expect(await record.getByRole('row', { name: /emailaddress1/ }).innerText()).toContain(
      '"ana.silva@example.com"',
    );
    await screenshot(page, 'mapping-preview');

    await rows.getByRole('button', { name: 'Remove the mapping of lastname' }).click();
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText('The mapping was not saved: it does not fit the CRM table').waitFor();
    const missing = page.getByRole('alert').filter({ hasText: 'Columns to add' });
    await missing.getByText(/lastname: the CRM requires Last Name/).waitFor();
    await screenshot(page, 'mapping-invalid');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await rows.getByRole('row', { name: 'Mapping of lastname' }).waitFor();
  });

  it('syncs three leads captured through the API and lists them as created', async () => {
    const response = await fetch(`${app.appUrl}/api/v1/sources/${sourceId}/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        { email: 'ana@example.com', firstName: 'Ana', lastName: 'Silva', company: 'Contoso' },
        { email: 'ben@example.com', firstName: 'Ben', lastName: 'Okafor', company: 'Fabrikam' },
        { email: 'chloe@example.com', firstName: 'Chloé', lastName: "O'Brien", company: 'Northwind' },
      ]),
    });
    expect(response.status).toBe(202);

    await nav(page, 'Sync log').click();
    await page.getByRole('heading', { name: 'Sync log' }).waitFor();
    const created = page
      .getByRole('table', { name: 'Sync log' })
      .getByRole('row')
      .filter({ hasText: 'Created' });
    // The worker syncs on capture; Refresh asks again until the three entries are there.
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return created.count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(3);
    const status = page.getByRole('region', { name: 'Sync status' });
    await status.getByText('Dataverse emulator (demo)').waitFor();
    expect(await created.first().getByRole('link').getAttribute('href')).toMatch(
      /\/main\.aspx\?etn=lead&id=[0-9a-f-]{36}&pagetype=entityrecord$/,
    );
    await screenshot(page, 'sync-log');
  });

  it('opens an entry’s detail with its mapped payload', async () => {
    // The reason names the lead's e-mail.
    const chloe = page
      .getByRole('table', { name: 'Sync log' })
      .getByRole('row')
      .filter({ hasText: 'chloe@example.com' });
    await chloe.getByRole('button', { name: /^Details of entry/ }).click();
    const detail = page.getByRole('region', { name: 'Entry detail' });
    const payload = detail.getByLabel('Mapped payload');
    await payload.waitFor();
    expect(await payload.innerText()).toContain('"lastname": "O\'Brien"');
    expect(await payload.innerText()).toContain('"emailaddress1": "chloe@example.com"');
    expect(await detail.getByRole('link', { name: /in Dynamics 365/ }).getAttribute('href')).toContain(
      'etn=lead',
    );
    await screenshot(page, 'sync-log-detail');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
  });

  it('filters the log by outcome and source', async () => {
    const log = page.getByRole('table', { name: 'Sync log' });
    await choose(page, page, 'Outcome', 'Failed');
    await page.getByText('No entries match these filters', { exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get('outcome')).toBe('failed');
    await screenshot(page, 'sync-log-filtered-failed');
    await choose(page, page, 'Outcome', 'Created');
    await choose(page, page, 'Source', sourceName);
    expect(new URL(page.url()).searchParams.get('outcome')).toBe('created');
    expect(new URL(page.url()).searchParams.get('source')).toBe(sourceId);
    await expect.poll(() => log.getByRole('row').filter({ hasText: 'Created' }).count()).toBe(3);
    expect(
      await log
        .getByRole('row')
        .filter({ hasText: /Updated|Skipped|Failed/ })
        .count(),
    ).toBe(0);
    // Replaying a created lead finds it again rather than creating it twice.
    await log
      .getByRole('checkbox', { name: /^Select entry/ })
      .first()
      .check();
    await page.getByRole('button', { name: 'Replay selected (1)' }).click();
    await page.getByText('1 lead (selected) will sync again.').waitFor();
  });

  it('dry-runs and imports a CSV file, naming the bad row', async () => {
    await page.goto(`${app.appUrl}/sources/${sourceId}?tab=import`);
    await page.getByRole('tab', { name: 'CSV import', selected: true }).waitFor();
    await page.locator('input[type="file"]').setInputFiles({
      name: 'trade-fair.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV_WITH_ONE_BAD_ROW),
    });
    const headers = page.getByRole('table', { name: 'Header mapping' });
    await headers.waitFor();
    // Headers that are field names map themselves.
    expect(await headers.getByRole('combobox', { name: 'Field for lastName' }).inputValue()).toBe(
      'Last name (lastName)',
    );

    await page.getByRole('button', { name: /^Dry run/ }).click();
    const dryRun = page.getByRole('region', { name: 'Dry run result' });
    await dryRun.getByText('Would create: 2').waitFor();
    expect(await dryRun.getByRole('row').filter({ hasText: 'Row 3' }).innerText()).toMatch(
      /Would fail[\s\S]*lastname/i,
    );
    await screenshot(page, 'csv-dry-run');

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const result = page.getByRole('region', { name: 'Import result' });
    await result.waitFor({ timeout: 20_000 });
    expect(
      await page.getByRole('progressbar', { name: 'Upload progress' }).getAttribute('aria-valuenow'),
    ).toBe('100');
    const errors = result.getByRole('table', { name: 'Row errors' });
    expect(await errors.getByRole('row').filter({ hasText: 'Row 3' }).innerText()).toContain('lastName');
    expect(await errors.getByRole('row').count()).toBe(2);
    expect(await result.innerText()).toMatch(/Accepted\s+2\s[\s\S]*Failed\s+1\s/i);
    await screenshot(page, 'csv-import-result');
  });

  it('lists the default matching strategy, adds one, and keeps the active one undeletable', async () => {
    await nav(page, 'Matching strategies').click();
    const table = page.getByRole('table', { name: 'Matching strategies' });
    const active = table.getByRole('row').filter({ hasText: 'Active' });
    await active.waitFor();
    expect(await active.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'New strategy' }).click();
    const dialog = page.getByRole('dialog', { name: 'New matching strategy' });
    await textbox(dialog, 'Name').fill('Email and last name');
    await dialog.getByRole('combobox', { name: 'Source field of pair 1' }).fill('email');
    await choose(page, dialog, 'CRM lead column of pair 1', 'Email (emailaddress1)');
    await dialog.getByRole('button', { name: 'Add pair' }).click();
    await dialog.getByRole('combobox', { name: 'Source field of pair 2' }).fill('lastName');
    await choose(page, dialog, 'CRM lead column of pair 2', 'Last Name (lastname)');
    await screenshot(page, 'strategy-create');
    await dialog.getByRole('button', { name: 'Create strategy' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const added = table.getByRole('row', { name: 'Strategy Email and last name' });
    await added.getByText('Inactive', { exact: true }).waitFor();
    expect(await added.getByRole('button', { name: 'Delete' }).isEnabled()).toBe(true);
    await screenshot(page, 'matching-strategies');
    expect(pageErrors).toEqual([]);
  });
});
