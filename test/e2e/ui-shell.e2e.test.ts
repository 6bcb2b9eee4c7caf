import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The web UI in a real headless Chromium against the real app: `leadbridge start --demo` from source,
 * with the Dataverse emulator it starts beside it. One admin walks through the shell in order
 * (sign in → Connections → add + test → CRM settings → Users); a salesperson then checks role hiding.
 * Screenshots of every page land in test-results/ for people to look at.
 */

const SCREENSHOTS = resolve('test-results');
const WAIT_MS = 10_000;

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly appUrl: string;
  readonly admin: { readonly email: string; readonly password: string };
  readonly emulator: {
    readonly url: string;
    readonly tenantId: string;
    readonly clientId: string;
    readonly clientSecret: string;
  };
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
  const patterns = {
    appUrl: /Leadbridge listening on (https?:\/\/\S+)/,
    admin: /Admin login: (\S+) \/ (\S+)/,
    emulatorUrl: /Dataverse emulator listening on (https:\/\/\S+)/,
    tenantId: /Tenant id\s+(\S+)/,
    clientId: /Client id\s+(\S+)/,
    clientSecret: /Client secret\s+(\S+)/,
  };
  const started = Date.now();
  while (!Object.values(patterns).every((pattern) => pattern.test(output))) {
    if (child.exitCode !== null)
      throw new Error(`leadbridge start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() - started > 30_000)
      throw new Error(`leadbridge start did not print its banner:\n${output}`);
    await new Promise((done) => setTimeout(done, 50));
  }
  const read = (pattern: RegExp, group = 1) => pattern.exec(output)?.[group] ?? '';
  return {
    child,
    output: () => output,
    appUrl: read(patterns.appUrl).replace(/\/$/, ''),
    admin: { email: read(patterns.admin, 1), password: read(patterns.admin, 2) },
    emulator: {
      url: read(patterns.emulatorUrl),
      tenantId: read(patterns.tenantId),
      clientId: read(patterns.clientId),
      clientSecret: read(patterns.clientSecret),
    },
  };
}

async function screenshot(page: Page, name: string): Promise<void> {
  // Let notifications and modal transitions settle so the picture shows the resting page.
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(SCREENSHOTS, `ui-${name}.png`), fullPage: true });
}

/** A text input by its label's accessible name (Mantine marks required labels with an aria-hidden " *"). */
function textbox(scope: Page | Locator, label: string): Locator {
  return scope.getByRole('textbox', { name: label, exact: true });
}

async function signIn(page: Page, appUrl: string, email: string, password: string): Promise<void> {
  await page.goto(appUrl);
  await textbox(page, 'Email').fill(email);
  await textbox(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A connection's row in the Connections table (the page also lists it under "Your Dynamics 365 sign-in"). */
function connectionRow(page: Page, name: string): Locator {
  return page.getByRole('table', { name: 'Connections' }).getByRole('row').filter({ hasText: name });
}

/** A Mantine Select: a combobox that opens a listbox of role=option items. */
function select(scope: Page | Locator, label: string): Locator {
  return scope.getByRole('combobox', { name: label, exact: true });
}

async function choose(page: Page, label: string, option: string): Promise<void> {
  await select(page, label).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('web UI shell (leadbridge start --demo, headless Chromium)', () => {
  let dataDir: string;
  let app: Started;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const secondConnection = 'Emulator (added by e2e)';
  const salesperson = {
    email: 'sam.sales@example.com',
    password: 'correct-horse-battery',
    name: 'Sam Sales',
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-e2e-'));
    // The app serves dist/web; build it from the current source (about two seconds) so no stale UI is tested.
    await build({ configFile: resolve('web/vite.config.ts'), logLevel: 'warn' });
    [app, browser] = await Promise.all([
      startLeadbridge(dataDir),
      chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      }),
    ]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(WAIT_MS);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (app?.child.exitCode === null) {
      app.child.kill('SIGTERM');
      await once(app.child, 'exit');
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a wrong password with an error in words', async () => {
    await page.goto(app.appUrl);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    await screenshot(page, 'sign-in');
    await signIn(page, app.appUrl, app.admin.email, `${app.admin.password}-wrong`);
    const alert = page.getByRole('alert').filter({ hasText: 'Sign-in failed' });
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/\w+ \w+/);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await screenshot(page, 'sign-in-error');
  });

  it('signs the admin in and lists the demo connection', async () => {
    await signIn(page, app.appUrl, app.admin.email, app.admin.password);
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const link of ['Connections', 'CRM settings', 'Users'])
      expect(await nav.getByRole('link', { name: link }).isVisible()).toBe(true);
    expect(await page.getByText(app.admin.email).isVisible()).toBe(true);
    // The demo connection points at the emulator the CLI started.
    await page
      .getByRole('table', { name: 'Connections' })
      .getByText(app.emulator.url.replace(/\/$/, ''))
      .first()
      .waitFor();
    await screenshot(page, 'connections');
  });

  it('disconnects the demo connection after a confirmation that says what is deleted', async () => {
    const demo = connectionRow(page, 'Dataverse emulator (demo)');
    await demo.getByRole('button', { name: 'More actions for Dataverse emulator (demo)' }).click();
    await page.getByRole('menuitem', { name: 'Disconnect' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disconnect Dataverse emulator (demo)?' });
    await confirm.getByText('Nothing is deleted in Dynamics 365').waitFor();
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await demo.waitFor({ state: 'detached' });
  });

  // One live connection per environment: with the demo one gone, the emulator can be added by hand.
  it('adds the emulator as a connection, with the API’s field errors shown inline', async () => {
    await page.getByRole('button', { name: 'Add connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a Dynamics 365 connection' });
    await textbox(dialog, 'Name').fill(secondConnection);
    await textbox(dialog, 'Environment URL').fill(app.emulator.url);
    await textbox(dialog, 'Tenant ID').fill('not-a-guid');
    await textbox(dialog, 'Client ID').fill(app.emulator.clientId);
    await textbox(dialog, 'Client secret').fill(app.emulator.clientSecret);
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    // The message is the contract's own (connections.contract.ts), placed under the input by `field`.
    await dialog.getByText('Use the GUID shown in the Azure portal').waitFor();
    expect(await textbox(dialog, 'Tenant ID').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'add-connection-invalid');

    await textbox(dialog, 'Tenant ID').fill(app.emulator.tenantId);
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = connectionRow(page, secondConnection);
    await row.waitFor();
    await row.getByText('Untested', { exact: true }).waitFor();
  });

  it('tests the new connection and shows the user, organisation and business unit found', async () => {
    const row = connectionRow(page, secondConnection);
    await row.getByRole('button', { name: 'Test' }).click();
    const dialog = page.getByRole('dialog', { name: `Connection test: ${secondConnection}` });
    await dialog.getByText('Connected', { exact: true }).waitFor();
    const found = dialog.getByRole('table', { name: 'What the test found' });
    const organisation = await found.getByRole('row', { name: /Organisation/ }).innerText();
    expect(organisation).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    expect(await found.getByRole('row', { name: /Business unit/ }).innerText()).toMatch(/[0-9a-f]{8}-/i);
    await screenshot(page, 'connection-test');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('Active', { exact: true }).waitFor();
  });

  it('keeps a Lead Source chosen from the live choices across a reload', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'CRM settings' }).click();
    await page.getByRole('heading', { name: 'CRM settings' }).waitFor();
    // The only live connection is the primary one now, and the picker says so.
    await choose(page, 'Connection', `${secondConnection} (primary)`);
    await expect.poll(() => select(page, 'Lead Source').isEnabled()).toBe(true);
    await choose(page, 'Lead Source', 'Web');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText(`CRM settings of ${secondConnection} saved.`).waitFor();
    await screenshot(page, 'crm-settings');

    await page.reload();
    await page.getByRole('heading', { name: 'CRM settings' }).waitFor();
    expect(await select(page, 'Connection').inputValue()).toBe(`${secondConnection} (primary)`);
    const leadSource = select(page, 'Lead Source');
    await expect.poll(() => leadSource.inputValue()).toBe('Web');
  });

  it('lists users and invites a salesperson', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    const users = page.getByRole('table', { name: 'Users' });
    await users.getByText(app.admin.email).waitFor();
    await page.getByRole('button', { name: 'Invite user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a user' });
    await textbox(dialog, 'Name').fill(salesperson.name);
    await textbox(dialog, 'Email').fill(salesperson.email);
    await textbox(dialog, 'First password').fill(salesperson.password);
    await dialog.getByRole('button', { name: 'Invite user' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = users.getByRole('row').filter({ hasText: salesperson.email });
    await row.waitFor();
    expect(await select(row, `Role of ${salesperson.name}`).inputValue()).toBe('Salesperson');
    await screenshot(page, 'users');
  });

  it('hides Users and CRM settings from a salesperson', async () => {
    const own = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    own.setDefaultTimeout(WAIT_MS);
    try {
      const salesPage = await own.newPage();
      salesPage.on('pageerror', (error) => pageErrors.push(error.message));
      await signIn(salesPage, app.appUrl, salesperson.email, salesperson.password);
      await salesPage.getByRole('heading', { name: 'Connections' }).waitFor();
      const nav = salesPage.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: 'Connections' }).isVisible()).toBe(true);
      expect(await nav.getByRole('link', { name: 'Users' }).count()).toBe(0);
      expect(await nav.getByRole('link', { name: 'CRM settings' }).count()).toBe(0);
      // Looking is allowed; changing is not.
      expect(await salesPage.getByRole('button', { name: 'Add connection' }).count()).toBe(0);
      await screenshot(salesPage, 'salesperson-connections');
      await salesPage.goto(`${app.appUrl}/users`);
      await salesPage.getByText('This page is not available to your role').waitFor();
      await salesPage.getByRole('button', { name: 'Sign out' }).click();
      await salesPage.getByRole('heading', { name: 'Sign in' }).waitFor();
      // The cookie is gone too: a reload does not bring the session back.
      await salesPage.reload();
      await salesPage.getByRole('heading', { name: 'Sign in' }).waitFor();
    } finally {
      await own.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('signs the salesperson in to Dynamics 365 through Entra ID’s page and back', async () => {
    // The demo emulator serves HTTPS under the CA in its own data dir, which this Chromium does not trust.
    const own = await browser.newContext({ viewport: { width: 1280, height: 800 }, ignoreHTTPSErrors: true });
    own.setDefaultTimeout(WAIT_MS);
    try {
      const salesPage = await own.newPage();
      salesPage.on('pageerror', (error) => pageErrors.push(error.message));
      await signIn(salesPage, app.appUrl, salesperson.email, salesperson.password);
      const mine = salesPage.getByRole('region', { name: 'Your Dynamics 365 sign-in' });
      const row = mine.getByRole('row').filter({ hasText: secondConnection });
      await row.getByText('Not signed in', { exact: true }).waitFor();
      await row.getByRole('button', { name: `Sign in to Dynamics 365: ${secondConnection}` }).click();

      // Entra ID's account picker, served by the emulator the demo started.
      await salesPage.getByRole('heading', { name: 'Pick an account' }).waitFor();
      expect(new URL(salesPage.url()).origin).toBe(new URL(app.emulator.url).origin);
      await screenshot(salesPage, 'entra-sign-in');
      await salesPage.getByRole('button', { name: /Avery Demo/ }).click();

      await salesPage.getByText(`Signed in as Avery Demo in ${secondConnection}`).waitFor();
      const landed = new URL(salesPage.url());
      expect(`${landed.origin}${landed.pathname}`).toBe(`${app.appUrl}/crm-sign-in/callback`);
      // The used code is not left in the address bar (a reload would replay it).
      expect(landed.search).toBe('');
      await screenshot(salesPage, 'crm-sign-in-callback');

      await salesPage.getByRole('link', { name: 'Back to Connections' }).click();
      await row.getByText('Signed in', { exact: true }).waitFor();
      await screenshot(salesPage, 'crm-sign-in-connections');
    } finally {
      await own.close();
    }
    // The admin sees the salesperson's own sign-in on the Users page.
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    const row = page
      .getByRole('table', { name: 'Users' })
      .getByRole('row')
      .filter({ hasText: salesperson.email });
    await row.getByText(secondConnection).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
