import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLeadbridge, type Leadbridge } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';
import type { Role } from '../../src/contracts/roles.js';
import { allRoutes } from '../../src/http/routes/index.js';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';

/** The REST API over real HTTP on loopback, on a real SQLite file, connected to the emulator. */

let emulator: RunningEmulator;
let leadbridge: Leadbridge;
let base = '';
const tokens = {} as Record<Role, string>;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  emulator = await startDataverseEmulator();
  const dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-http-'));
  leadbridge = await buildLeadbridge({
    config: loadConfig({}, { dataDir, logLevel: 'silent' }),
    webRoot: join(dataDir, 'no-ui'),
    emulators: { hosts: [new URL(emulator.url).host], caPem: emulator.emulator.tls.caPem },
  });
  base = await leadbridge.app.listen({ host: '127.0.0.1', port: 0 });
  for (const role of ['admin', 'lead_gen_admin', 'salesperson'] as const) {
    await leadbridge.accounts.createUser({
      email: `${role}@example.com`,
      displayName: role,
      password: PASSWORD,
      role,
    });
    tokens[role] = await leadbridge.accounts.createApiToken(`test ${role}`, role);
  }
});
afterAll(async () => {
  await leadbridge?.close();
  await emulator?.close();
});

async function api(path: string, init: RequestInit & { token?: string; json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(base + path, {
    ...init,
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

const demoConnection = () => ({
  name: 'Emulator',
  environmentUrl: `${emulator.url}main.aspx?appid=1`,
  tenantId: emulator.emulator.directory.tenantId,
  clientId: emulator.emulator.directory.applications[0]?.clientId,
  clientSecret: emulator.emulator.directory.applications[0]?.clientSecrets[0]?.secretText,
});

describe('health and OpenAPI', () => {
  it('answers /healthz, /readyz and serves an OpenAPI document listing every route', async () => {
    expect((await api('/healthz')).body).toEqual({ ok: true });
    expect((await api('/readyz')).body).toMatchObject({ ok: true, checks: { store: 'ok (sqlite)' } });
    const openapi = (await api('/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const route of allRoutes)
      expect(
        openapi.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()],
        route.url,
      ).toBeDefined();
  });
});

describe('every route with every role', () => {
  const sample = (url: string) => url.replace(/:(\w+)/g, '00000000-0000-0000-0000-000000000000');
  // Straight into the store: no CRM connection exists yet, and the source service checks mappings against one.
  let keyed: Promise<{ sourceId: string; key: string }> | undefined;
  const sourceKey = () =>
    (keyed ??= (async () => {
      const source = await leadbridge.repositories.leadSources.create({
        name: 'Role walk',
        kind: 'api',
        fields: [],
        mappings: {},
        duplicates: { mode: 'strategy' },
        syncIntervalMinutes: 5,
        enabled: true,
      });
      const issued = await leadbridge.repositories.sourceApiKeys.create(source.id);
      return { sourceId: source.id, key: issued.plainKey };
    })());
  for (const route of allRoutes.filter((r) => r.url.startsWith('/api/'))) {
    it(`${route.method} ${route.url} allows ${JSON.stringify(route.access)}`, async () => {
      const anonymous = await api(sample(route.url), {
        method: route.method,
        ...(route.body ? { json: {} } : {}),
      });
      if (route.access === 'public') expect(anonymous.status).not.toBe(401);
      else expect(anonymous.status).toBe(401);
      if (route.access === 'source_key') {
        // A user's API token, whatever its role, is not a source's key.
        for (const role of ['admin', 'lead_gen_admin', 'salesperson'] as const) {
          const answer = await api(sample(route.url), {
            method: route.method,
            token: tokens[role],
            json: {},
          });
          expect(answer.status, `${role}'s token is no source key`).toBe(401);
        }
        const { sourceId, key } = await sourceKey();
        const answer = await api(route.url.replace(':sourceId', sourceId), {
          method: route.method,
          token: key,
          json: {},
        });
        expect(answer.status, JSON.stringify(answer.body)).not.toBe(401);
        expect(answer.status).not.toBe(403);
        return;
      }
      for (const role of ['admin', 'lead_gen_admin', 'salesperson'] as const) {
        const answer = await api(sample(route.url), {
          method: route.method,
          token: tokens[role],
          ...(route.body ? { json: {} } : {}),
        });
        const allowed =
          route.access === 'public' || route.access === 'signed_in' || route.access.includes(role);
        if (allowed) expect(answer.status, `${role} may call it`).not.toBe(403);
        else expect(answer.status, `${role} may not call it`).toBe(403);
      }
    });
  }
});

describe('sessions', () => {
  it('signs in with an HTTP-only cookie and requires the CSRF token on writes', async () => {
    const login = await api('/api/v1/session', {
      method: 'POST',
      json: { email: 'admin@example.com', password: PASSWORD },
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/lb_session=[^;]+;.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = cookie.split(';')[0] ?? '';
    const csrf = String((login.body as { csrfToken: string }).csrfToken);

    const me = await api('/api/v1/session', { headers: { cookie: session } });
    expect(me.body).toMatchObject({ user: { email: 'admin@example.com', role: 'admin' } });

    const forged = await api('/api/v1/connections', {
      method: 'POST',
      headers: { cookie: session },
      json: demoConnection(),
    });
    expect(forged.status).toBe(403);
    expect(forged.body).toMatchObject({ error: { code: 'csrf_failed' } });

    const invited = await api('/api/v1/users', {
      method: 'POST',
      headers: { cookie: session, 'x-csrf-token': csrf },
      json: {
        email: 'new.user@example.com',
        displayName: 'New',
        role: 'salesperson',
        password: 'another long password',
      },
    });
    expect(invited.status).toBe(201);

    await api('/api/v1/session', { method: 'DELETE', headers: { cookie: session, 'x-csrf-token': csrf } });
    expect((await api('/api/v1/session', { headers: { cookie: session } })).status).toBe(401);
  });

  it('refuses a wrong password, then rate-limits repeated failures', async () => {
    const wrong = () =>
      api('/api/v1/session', {
        method: 'POST',
        json: { email: 'salesperson@example.com', password: 'nope' },
      });
    expect((await wrong()).body).toMatchObject({ error: { code: 'unauthenticated' } });
    for (let i = 0; i < 4; i++) await wrong();
    const limited = await wrong();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'too_many_attempts' } });
  });

  it('names the invalid field and stores nothing for bad input', async () => {
    const before = (await api('/api/v1/users', { token: tokens.admin })).body as { users: unknown[] };
    const bad = await api('/api/v1/users', {
      method: 'POST',
      token: tokens.admin,
      json: {
        email: 'not-an-email',
        displayName: 'X',
        role: 'salesperson',
        password: 'long enough password',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_body', field: 'email' } });
    const broken = await fetch(`${base}/api/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(broken.status).toBe(400);
    const after = (await api('/api/v1/users', { token: tokens.admin })).body as { users: unknown[] };
    expect(after.users).toHaveLength(before.users.length);
  });
});

describe('connections', () => {
  it('adds a connection (URL normalised), tests it, and reads the live lead sources', async () => {
    const created = await api('/api/v1/connections', {
      method: 'POST',
      token: tokens.admin,
      json: demoConnection(),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ environmentUrl: emulator.url, status: 'untested', isPrimary: true });
    const id = String(created.body?.['id']);

    const test = await api(`/api/v1/connections/${id}/test`, { method: 'POST', token: tokens.admin });
    expect(test.body).toMatchObject({
      ok: true,
      status: 'active',
      organizationId: emulator.emulator.env.organization.organizationId,
    });
    expect(String(test.body?.['userFullName'])).toContain('Leadbridge Sync');

    const sources = await api(`/api/v1/connections/${id}/lead-sources`, { token: tokens.lead_gen_admin });
    expect(sources.body?.['options']).toContainEqual({ value: 8, label: 'Web' });

    const saved = await api(`/api/v1/connections/${id}/settings`, {
      method: 'PATCH',
      token: tokens.admin,
      json: { leadSourceCode: 8, allowContactCreation: true },
    });
    expect(saved.body).toEqual({ allowLeadCreation: true, allowContactCreation: true, leadSourceCode: 8 });
    const invalid = await api(`/api/v1/connections/${id}/settings`, {
      method: 'PATCH',
      token: tokens.admin,
      json: { leadSourceCode: 99 },
    });
    expect(invalid.status).toBe(400);

    const listed = (await api('/api/v1/connections', { token: tokens.salesperson })).body as {
      connections: { requestsToday: number }[];
    };
    expect(listed.connections[0]?.requestsToday).toBeGreaterThan(0);
  });

  it('refuses a URL that is not a Dataverse environment before any call', async () => {
    const refused = await api('/api/v1/connections', {
      method: 'POST',
      token: tokens.admin,
      json: { ...demoConnection(), environmentUrl: 'https://example.com/' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'crm_url_invalid' } });
  });

  it("shows a wrong secret's Entra error and flips the status to needs re-authorization", async () => {
    const created = await api('/api/v1/connections', {
      method: 'POST',
      token: tokens.admin,
      json: {
        ...demoConnection(),
        name: 'Wrong secret',
        environmentUrl: emulator.url.replace('127.0.0.1', 'localhost'),
        clientSecret: 'wrong',
      },
    });
    // localhost is not an allowed host: only the emulator's exact host is.
    expect(created.body).toMatchObject({ error: { code: 'crm_url_invalid' } });
  });

  it('revokes and disconnects, deleting credentials and settings', async () => {
    const created = await api('/api/v1/connections', {
      method: 'POST',
      token: tokens.admin,
      json: { ...demoConnection(), name: 'Second' },
    });
    // One live connection per environment: the same URL again is a conflict.
    expect(created.status).toBe(409);
    const list = (await api('/api/v1/connections', { token: tokens.admin })).body as {
      connections: { id: string }[];
    };
    const id = list.connections[0]?.id ?? '';
    const revoked = await api(`/api/v1/connections/${id}/revoke`, { method: 'POST', token: tokens.admin });
    expect(revoked.body).toMatchObject({ revoked: true });
    const test = await api(`/api/v1/connections/${id}/test`, { method: 'POST', token: tokens.admin });
    expect(test.status).toBe(409);
    expect((await api(`/api/v1/connections/${id}`, { method: 'DELETE', token: tokens.admin })).status).toBe(
      204,
    );
    expect((await api(`/api/v1/connections/${id}`, { token: tokens.admin })).status).toBe(404);
  });
});
