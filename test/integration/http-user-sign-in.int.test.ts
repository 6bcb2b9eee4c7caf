import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildLeadbridge, type Leadbridge } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';
import { CRM_SIGN_IN_CALLBACK_PATH } from '../../src/contracts/index.js';
import type { DirectoryUser } from '../../src/emulators/dataverse/entra/index.js';
import { hashToken } from '../../src/shared/opaque-token.js';
import {
  createRepositories,
  DEFAULT_SQLITE_FILE,
  migrateToLatest,
  rotateSecrets,
  SecretKey,
  type StoreDatabase,
  type StoreRepositories,
} from '../../src/store/index.js';
import {
  PostgresTestDatabase,
  postgresAvailableForTests,
} from '../../src/store/testing/postgres-test-store.js';
import { createSqliteTestStore } from '../../src/store/testing/sqlite-test-store.js';
import type { TestStore } from '../../src/store/testing/test-store.js';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';

/**
 * A person's own Dynamics 365 sign-in through the REST API over real HTTP: begin → Entra ID's sign-in
 * page of the emulator, submitted as a browser submits it → the redirect with code and state →
 * complete. Pending sign-ins live in the store, so they survive a restart and work across processes.
 */

const PASSWORD = 'correct horse battery staple';
let first: RunningEmulator;
let second: RunningEmulator;
let dataDir: string;
const running: Leadbridge[] = [];

beforeAll(async () => {
  // Two emulators, two organisations (the seed decides tenant, app and organisation ids).
  [first, second] = await Promise.all([startDataverseEmulator(), startDataverseEmulator({ seed: 8 })]);
  expect(second.emulator.env.organization.organizationId).not.toBe(
    first.emulator.env.organization.organizationId,
  );
  dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-sign-in-'));
});
afterAll(async () => {
  for (const app of running.splice(0)) await app.close();
  await first?.close();
  await second?.close();
});

interface App {
  readonly leadbridge: Leadbridge;
  readonly base: string;
  readonly redirectUri: string;
  close(): Promise<void>;
}

/** The app as `leadbridge start` builds it, on the shared data dir; several can run side by side. */
async function startApp(): Promise<App> {
  const leadbridge = await buildLeadbridge({
    config: loadConfig({}, { dataDir, logLevel: 'silent' }),
    webRoot: join(dataDir, 'no-ui'),
    emulators: {
      hosts: [new URL(first.url).host, new URL(second.url).host],
      // Both emulators serve certificates of the one test CA (test/global-setup.ts).
      caPem: first.emulator.tls.caPem,
    },
  });
  running.push(leadbridge);
  const base = await leadbridge.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    leadbridge,
    base,
    redirectUri: `${base}${CRM_SIGN_IN_CALLBACK_PATH}`,
    async close() {
      running.splice(running.indexOf(leadbridge), 1);
      await leadbridge.close();
    },
  };
}

interface Caller {
  readonly token?: string;
  readonly session?: { readonly cookie: string; readonly csrf: string };
}

type Answer = { status: number; body: Record<string, unknown> | undefined };

async function api(app: App, path: string, caller: Caller, init: { method?: string; json?: unknown } = {}) {
  const headers = new Headers();
  if (caller.token) headers.set('authorization', `Bearer ${caller.token}`);
  if (caller.session) {
    headers.set('cookie', caller.session.cookie);
    headers.set('x-csrf-token', caller.session.csrf);
  }
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(app.base + path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  } satisfies Answer;
}

async function signInToLeadbridge(app: App, email: string): Promise<Caller> {
  const response = await fetch(`${app.base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { csrfToken: string };
  return {
    session: { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrf: body.csrfToken },
  };
}

/**
 * What a browser does on Entra ID's account picker: load the page, read its form (action, hidden
 * inputs), press the person's button (name="user"), and stop at the redirect back to the app.
 */
async function pickAccountOnEntraPage(authorizeUrl: string, person: DirectoryUser): Promise<URL> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  expect(page.status, html).toBe(200);
  const unescape = (text: string) => text.replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  const form = /<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form?.[1] || form[2] === undefined) throw new Error(`no sign-in form on the page:\n${html}`);
  const fields = new URLSearchParams();
  for (const input of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields.append(unescape(input[1] ?? ''), unescape(input[2] ?? ''));
  const button = [
    ...form[2].matchAll(/<button type="submit" name="user" value="([^"]+)">([\s\S]*?)<\/button>/g),
  ].find((match) => match[2]?.includes(`>${person.displayName}<`));
  if (!button?.[1]) throw new Error(`no button for ${person.displayName} on the page`);
  fields.append('user', unescape(button[1]));
  const submitted = await fetch(new URL(unescape(form[1]), page.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields,
    redirect: 'manual',
  });
  expect(submitted.status).toBe(302);
  return new URL(submitted.headers.get('location') ?? '');
}

/** Begin, pick the account on Entra ID's page, and come back: the callback URL the browser lands on. */
async function beginAndPick(
  app: App,
  caller: Caller,
  connectionId: string,
  person: DirectoryUser,
): Promise<{ state: string; code: string; callback: URL }> {
  const begun = await api(app, `/api/v1/connections/${connectionId}/user-sign-in`, caller, {
    method: 'POST',
    json: { redirectUri: app.redirectUri },
  });
  expect(begun.status, JSON.stringify(begun.body)).toBe(200);
  const authorize = new URL(String(begun.body?.['url']));
  // The emulator accepted the app's own callback as a registered redirect URI (else its page is a 400).
  expect(authorize.searchParams.get('redirect_uri')).toBe(app.redirectUri);
  const callback = await pickAccountOnEntraPage(authorize.href, person);
  expect(`${callback.origin}${callback.pathname}`).toBe(app.redirectUri);
  expect(callback.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
  return {
    state: callback.searchParams.get('state') ?? '',
    code: callback.searchParams.get('code') ?? '',
    callback,
  };
}

const complete = (app: App, caller: Caller, signIn: { state: string; code: string }) =>
  api(app, '/api/v1/connections/user-sign-in/complete', caller, {
    method: 'POST',
    json: { state: signIn.state, code: signIn.code },
  });

function rawRows(table: string): Record<string, unknown>[] {
  const db = new Database(join(dataDir, DEFAULT_SQLITE_FILE), { readonly: true });
  try {
    return db.prepare(`select * from ${table}`).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

const personOf = (emulator: RunningEmulator, index: number): DirectoryUser => {
  const person = emulator.emulator.directory.users[index];
  if (!person) throw new Error(`the emulator has no user ${index}`);
  return person;
};

const connectionTo = (emulator: RunningEmulator, name: string) => ({
  name,
  environmentUrl: emulator.url,
  tenantId: emulator.emulator.directory.tenantId,
  clientId: emulator.emulator.directory.applications[0]?.clientId,
  clientSecret: emulator.emulator.directory.applications[0]?.clientSecrets[0]?.secretText,
});

describe('a salesperson signs in to Dynamics 365 as themselves', () => {
  let app: App;
  let admin: Caller;
  let sales: Caller;
  let leadGen: Caller;
  let salesUserId: string;
  let connectionA: string;
  let connectionB: string;

  beforeAll(async () => {
    app = await startApp();
    const created = await Promise.all(
      (['admin', 'lead_gen_admin', 'salesperson'] as const).map((role) =>
        app.leadbridge.accounts.createUser({
          email: `${role}@example.com`,
          displayName: `The ${role}`,
          password: PASSWORD,
          role,
        }),
      ),
    );
    salesUserId = created[2]?.id ?? '';
    admin = { token: await app.leadbridge.accounts.createApiToken('admin', 'admin') };
    sales = await signInToLeadbridge(app, 'salesperson@example.com');
    leadGen = await signInToLeadbridge(app, 'lead_gen_admin@example.com');
    for (const [emulator, name] of [
      [first, 'Contoso (A)'],
      [second, 'Fabrikam (B)'],
    ] as const) {
      const added = await api(app, '/api/v1/connections', admin, {
        method: 'POST',
        json: connectionTo(emulator, name),
      });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      const id = String(added.body?.['id']);
      expect(
        (await api(app, `/api/v1/connections/${id}/test`, admin, { method: 'POST' })).body,
      ).toMatchObject({
        ok: true,
        organizationId: emulator.emulator.env.organization.organizationId,
      });
      if (emulator === first) connectionA = id;
      else connectionB = id;
    }
  });
  afterAll(() => app?.close());

  it('begins (state and sealed verifier stored), passes Entra’s page, completes with the CRM identity', async () => {
    expect((await api(app, '/api/v1/connections/user-sign-ins', sales)).body).toEqual({ signIns: [] });
    const begun = await api(app, `/api/v1/connections/${connectionA}/user-sign-in`, sales, {
      method: 'POST',
      json: { redirectUri: app.redirectUri },
    });
    expect(begun.status).toBe(200);
    const authorize = new URL(String(begun.body?.['url']));
    expect(`${authorize.origin}${authorize.pathname}`).toBe(
      `${first.emulator.authority()}/oauth2/v2.0/authorize`,
    );
    const state = authorize.searchParams.get('state') ?? '';
    const expiresIn = Date.parse(String(begun.body?.['expiresAt'])) - Date.now();
    expect(expiresIn).toBeGreaterThan(9 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(10 * 60_000);

    // At rest: the state only as its hash, the PKCE verifier sealed — yet it is the challenge's verifier.
    const row = rawRows('pending_crm_sign_ins').find((r) => r['state_hash'] === hashToken(state));
    expect(row).toMatchObject({
      connection_id: connectionA,
      user_id: salesUserId,
      redirect_uri: app.redirectUri,
    });
    expect(JSON.stringify(row)).not.toContain(state);
    expect(String(row?.['code_verifier_sealed'])).toMatch(/^lbs1\./);

    const avery = personOf(first, 0);
    const callback = await pickAccountOnEntraPage(authorize.href, avery);
    const code = callback.searchParams.get('code') ?? '';
    expect(code).not.toBe('');
    const done = await complete(app, sales, { state: callback.searchParams.get('state') ?? '', code });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({
      connection: { id: connectionA, name: 'Contoso (A)' },
      crmUserId: avery.systemUserId,
      crmUserName: avery.displayName,
      organizationId: first.emulator.env.organization.organizationId,
    });
    expect(rawRows('pending_crm_sign_ins').some((r) => r['state_hash'] === hashToken(state))).toBe(false);

    const mine = (await api(app, '/api/v1/connections/user-sign-ins', sales)).body as {
      signIns: { connectionId: string }[];
    };
    expect(mine.signIns.map((s) => s.connectionId)).toEqual([connectionA]);

    // Used once: the same state (and code) again is refused in words.
    const replay = await complete(app, sales, { state, code });
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: { code: 'invalid_body' } });
    expect(JSON.stringify(replay.body)).toContain('already used');
  });

  it('shows the sign-in to the admin, who revokes it', async () => {
    const listed = async () => {
      const users = (await api(app, '/api/v1/users', admin)).body as {
        users: { id: string; crmSignIns: { connectionId: string; connectionName: string }[] }[];
      };
      return users.users.find((user) => user.id === salesUserId)?.crmSignIns;
    };
    expect(await listed()).toEqual([
      expect.objectContaining({ connectionId: connectionA, connectionName: 'Contoso (A)' }),
    ]);
    const revoked = await api(app, `/api/v1/users/${salesUserId}/crm-sign-ins/${connectionA}`, admin, {
      method: 'DELETE',
    });
    expect(revoked.status).toBe(204);
    expect(await listed()).toEqual([]);
    expect((await api(app, '/api/v1/connections/user-sign-ins', sales)).body).toEqual({ signIns: [] });
    expect(
      rawRows('crm_token_caches').filter(
        (r) => r['connection_id'] === connectionA && r['user_id'] === salesUserId,
      ),
    ).toEqual([]);
  });

  // Known connector bug, reported with this test: the person's MSAL cache in this process still holds
  // the revoked account, redeeming adds the new one beside it, and DelegatedTokenSource.account() takes
  // the first — so Leadbridge goes on acting as the revoked account. Drop `.fails` once it is fixed.
  it('after the revocation, a new sign-in with another account acts as that account', async () => {
    const jordan = personOf(first, 1);
    const signIn = await beginAndPick(app, sales, connectionA, jordan);
    const done = await complete(app, sales, signIn);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ crmUserId: jordan.systemUserId, crmUserName: jordan.displayName });
  });

  it('refuses a sign-in that lands in another organisation, naming both, and keeps nothing', async () => {
    // The organisation recorded for B is A's, as if B's URL had served organisation A when last tested
    // (an environment reset or copied over): the person's WhoAmI then finds another organisation.
    const expected = first.emulator.env.organization.organizationId;
    const actual = second.emulator.env.organization.organizationId;
    await app.leadbridge.repositories.crmConnections.setStatus(connectionB, {
      status: 'active',
      organizationId: expected,
    });
    const signIn = await beginAndPick(app, sales, connectionB, personOf(second, 0));
    const refused = await complete(app, sales, signIn);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'crm_wrong_environment' } });
    const message = String((refused.body?.['error'] as { message: string }).message);
    expect(message).toContain(`You signed in to organisation ${actual}`);
    expect(message).toContain(`belongs to organisation ${expected}`);
    expect(message).toContain('Fabrikam (B)');

    const mine = (await api(app, '/api/v1/connections/user-sign-ins', sales)).body as {
      signIns: { connectionId: string }[];
    };
    expect(mine.signIns.map((signIn) => signIn.connectionId)).not.toContain(connectionB);
    const ofB = (r: Record<string, unknown>) =>
      r['connection_id'] === connectionB && r['user_id'] === salesUserId;
    expect(rawRows('crm_token_caches').filter(ofB)).toEqual([]);
    expect(rawRows('pending_crm_sign_ins').filter(ofB)).toEqual([]);
    const audit = await app.leadbridge.repositories.audit.listRecent({
      subject: `crm_connection:${connectionB}`,
    });
    expect(audit[0]).toMatchObject({
      action: 'crm_connection.user_sign_in_refused',
      actorUserId: salesUserId,
    });
  });

  it('answers a clear 400 for an unknown state, another person’s state, and an expired one', async () => {
    const unknown = await complete(app, sales, { state: 'never-issued-state-0123456789', code: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: { code: 'invalid_body' } });
    expect(JSON.stringify(unknown.body)).toMatch(/unknown.*Start the sign-in again/);

    // Someone else's state does not work for them, and is not used up either.
    const signIn = await beginAndPick(app, sales, connectionA, personOf(first, 0));
    const stolen = await complete(app, leadGen, signIn);
    expect(stolen.status).toBe(400);
    expect(JSON.stringify(stolen.body)).toContain('started by another');
    const own = await complete(app, sales, signIn);
    expect(own.status, JSON.stringify(own.body)).toBe(200);

    const stale = 'an-expired-state-0123456789abcdef';
    await app.leadbridge.repositories.pendingCrmSignIns.create({
      state: stale,
      connectionId: connectionA,
      userId: salesUserId,
      redirectUri: app.redirectUri,
      codeVerifier: 'v'.repeat(43),
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    const expired = await complete(app, sales, { state: stale, code: 'x' });
    expect(expired.status).toBe(400);
    expect(JSON.stringify(expired.body)).toContain('expired');
    expect((await complete(app, sales, { state: stale, code: 'x' })).body).toMatchObject({
      error: { message: expect.stringContaining('already used') },
    });
  });

  it('purges expired sign-ins when a new one begins', async () => {
    await app.leadbridge.repositories.pendingCrmSignIns.create({
      state: 'another-expired-state-0123456789',
      connectionId: connectionA,
      userId: salesUserId,
      redirectUri: app.redirectUri,
      codeVerifier: 'v'.repeat(43),
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    const staleHash = hashToken('another-expired-state-0123456789');
    expect(rawRows('pending_crm_sign_ins').some((r) => r['state_hash'] === staleHash)).toBe(true);
    await api(app, `/api/v1/connections/${connectionA}/user-sign-in`, sales, {
      method: 'POST',
      json: { redirectUri: app.redirectUri },
    });
    expect(rawRows('pending_crm_sign_ins').some((r) => r['state_hash'] === staleHash)).toBe(false);
  });

  it('refuses API tokens (a sign-in belongs to a person) and redirect URIs that are not http(s)', async () => {
    const token = { token: await app.leadbridge.accounts.createApiToken('script', 'salesperson') };
    const byToken = await api(app, `/api/v1/connections/${connectionA}/user-sign-in`, token, {
      method: 'POST',
      json: { redirectUri: app.redirectUri },
    });
    expect(byToken.status).toBe(403);
    expect(JSON.stringify(byToken.body)).toContain('belongs to a person');
    expect((await api(app, '/api/v1/connections/user-sign-ins', token)).body).toEqual({ signIns: [] });
    for (const redirectUri of ['javascript:alert(1)', `${app.redirectUri}#fragment`, 'not a url']) {
      const bad = await api(app, `/api/v1/connections/${connectionA}/user-sign-in`, sales, {
        method: 'POST',
        json: { redirectUri },
      });
      expect(bad.status, redirectUri).toBe(400);
      expect(bad.body).toMatchObject({ error: { code: 'invalid_body', field: 'redirectUri' } });
    }
  });
});

describe('a pending sign-in lives in the store, not in one process', () => {
  it('is finished after a restart, and by another process on the same store, once', async () => {
    let app = await startApp();
    await app.leadbridge.accounts.createUser({
      email: 'restart@example.com',
      displayName: 'Restart',
      password: PASSWORD,
      role: 'salesperson',
    });
    const admin = { token: await app.leadbridge.accounts.createApiToken('admin', 'admin') };
    const connections = (await api(app, '/api/v1/connections', admin)).body as {
      connections: { id: string; environmentUrl: string }[];
    };
    let connectionA = connections.connections.find((c) => c.environmentUrl === first.url)?.id;
    connectionA ??= String(
      (await api(app, '/api/v1/connections', admin, { method: 'POST', json: connectionTo(first, 'A') }))
        .body?.['id'],
    );
    const person = await signInToLeadbridge(app, 'restart@example.com');
    const begun = await api(app, `/api/v1/connections/${connectionA}/user-sign-in`, person, {
      method: 'POST',
      json: { redirectUri: app.redirectUri },
    });
    await app.close();

    app = await startApp();
    const callback = await pickAccountOnEntraPage(String(begun.body?.['url']), personOf(first, 0));
    const finished = await complete(app, person, {
      state: callback.searchParams.get('state') ?? '',
      code: callback.searchParams.get('code') ?? '',
    });
    expect(finished.status, JSON.stringify(finished.body)).toBe(200);
    expect(finished.body).toMatchObject({ organizationId: first.emulator.env.organization.organizationId });

    // Two processes on one store: begun on one, finished on the other, refused on the first afterwards.
    const other = await startApp();
    const signIn = await beginAndPick(app, person, connectionA, personOf(first, 1));
    expect((await complete(other, person, signIn)).status).toBe(200);
    expect((await complete(app, person, signIn)).status).toBe(400);
    await other.close();
    await app.close();
  });
});

const postgres = await postgresAvailableForTests();
const postgresDatabase = new PostgresTestDatabase();
afterAll(() => postgresDatabase.drop());

/** The repository itself on both dialects: single use under a race, per person, sealed, rotated. */
describe.each([
  ['sqlite', createSqliteTestStore, true],
  ['postgres', () => postgresDatabase.createStore(), postgres],
] as const)('pending sign-in store on %s', (_dialect, createStore, available) => {
  let testStore: TestStore;
  let store: StoreDatabase;
  let key: SecretKey;
  let repos: StoreRepositories;
  let userId: string;
  let connectionId: string;
  const input = (state: string, expiresAt = new Date(Date.now() + 600_000).toISOString()) => ({
    state,
    connectionId,
    userId,
    redirectUri: 'http://127.0.0.1:3000/crm-sign-in/callback',
    codeVerifier: createHash('sha256').update(state).digest('base64url'),
    expiresAt,
  });

  beforeEach(async () => {
    if (!available) return;
    testStore = await createStore();
    store = testStore.store;
    await migrateToLatest(store);
    key = SecretKey.generate();
    repos = createRepositories(store, { secretKey: key });
    userId = (
      await repos.users.create({
        email: 'p@example.com',
        displayName: 'P',
        passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
        role: 'salesperson',
      })
    ).id;
    connectionId = (
      await repos.crmConnections.create({
        name: 'C',
        environmentUrl: 'https://org1.crm.dynamics.com/',
        tenantId: '11111111-2222-3333-4444-555555555555',
        clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        authKind: 'client_secret',
        credentials: { clientSecret: 's' },
      })
    ).id;
  });
  afterEach(async () => {
    if (available) await testStore.dispose();
  });

  it.skipIf(!available)('hands a state out once even to concurrent callers, only to its person', async () => {
    const created = await repos.pendingCrmSignIns.create(input('state-for-the-race-0123456789'));
    expect(
      await repos.pendingCrmSignIns.consume('state-for-the-race-0123456789', 'someone-else'),
    ).toBeUndefined();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        repos.pendingCrmSignIns.consume('state-for-the-race-0123456789', userId),
      ),
    );
    expect(results.filter(Boolean)).toEqual([created]);
    expect(created.codeVerifier).toBe(input('state-for-the-race-0123456789').codeVerifier);
  });

  it.skipIf(!available)(
    'keeps the verifier sealed, re-seals it on rotation, and purges expired ones',
    async () => {
      const live = input('live-state-0123456789abcdef');
      await repos.pendingCrmSignIns.create(live);
      await repos.pendingCrmSignIns.create(
        input('old-state-0123456789abcdef', new Date(Date.now() - 1).toISOString()),
      );
      const raw = await store.db.selectFrom('pending_crm_sign_ins').select('code_verifier_sealed').execute();
      for (const row of raw) {
        expect(row.code_verifier_sealed).toMatch(new RegExp(`^lbs1\\.${key.id}\\.`));
        expect(row.code_verifier_sealed).not.toContain(live.codeVerifier);
      }
      const next = SecretKey.generate();
      await rotateSecrets(store, key, next);
      const rotated = await store.db
        .selectFrom('pending_crm_sign_ins')
        .select('code_verifier_sealed')
        .execute();
      expect(rotated.map((row) => row.code_verifier_sealed.split('.')[1])).toEqual([next.id, next.id]);
      expect(await repos.pendingCrmSignIns.deleteExpired()).toBe(1);
      const reopened = createRepositories(store, { secretKey: next });
      expect((await reopened.pendingCrmSignIns.consume(live.state, userId))?.codeVerifier).toBe(
        live.codeVerifier,
      );
    },
  );

  it.skipIf(!available)('goes with its connection', async () => {
    await repos.pendingCrmSignIns.create(input('state-of-a-gone-connection-0123'));
    await repos.crmConnections.disconnect(connectionId);
    expect(await repos.pendingCrmSignIns.consume('state-of-a-gone-connection-0123', userId)).toBeUndefined();
  });
});
