import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamicsGateway } from '../../src/connectors/dynamics/index.js';
import type {
  CrmConnection,
  RequestCounter,
  TokenCacheKey,
  TokenCacheStore,
} from '../../src/domain/index.js';
import { LeadbridgeError } from '../../src/shared/errors.js';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';

/** The Dynamics connector against the Dataverse emulator over real HTTPS: the app's path to a tenant. */

class MemoryTokenCaches implements TokenCacheStore {
  readonly caches = new Map<string, string>();
  private key = (k: TokenCacheKey) => `${k.connectionId}/${k.userId ?? 'app'}`;
  async load(k: TokenCacheKey) {
    return this.caches.get(this.key(k));
  }
  async save(k: TokenCacheKey, value: string) {
    this.caches.set(this.key(k), value);
  }
  async delete(k: TokenCacheKey) {
    this.caches.delete(this.key(k));
  }
  async findAccountHomeId() {
    return undefined;
  }
}

class MemoryCounter implements RequestCounter {
  readonly counts = new Map<string, number>();
  async add(connectionId: string, day: string, count: number) {
    const total = (this.counts.get(`${connectionId}/${day}`) ?? 0) + count;
    this.counts.set(`${connectionId}/${day}`, total);
    return total;
  }
  async get(connectionId: string, day: string) {
    return this.counts.get(`${connectionId}/${day}`) ?? 0;
  }
}

function connectionTo(running: RunningEmulator, overrides: Partial<CrmConnection> = {}): CrmConnection {
  const app = running.emulator.directory.applications[0];
  return {
    id: `conn-${Math.random().toString(36).slice(2)}`,
    name: 'Emulator',
    environmentUrl: running.url,
    tenantId: running.emulator.directory.tenantId,
    clientId: app?.clientId ?? '',
    authKind: 'client_secret',
    status: 'untested',
    isPrimary: true,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    ...overrides,
  };
}

const secretOf = (running: RunningEmulator) =>
  running.emulator.directory.applications[0]?.clientSecrets[0]?.secretText ?? '';

function gatewayFor(running: RunningEmulator) {
  const caches = new MemoryTokenCaches();
  const counter = new MemoryCounter();
  const gateway = new DynamicsGateway({
    tokenCaches: caches,
    requestCounter: counter,
    allowedHosts: [new URL(running.url).host],
    extraCaPem: running.emulator.tls.caPem,
    retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 600_000 },
  });
  return { gateway, caches, counter };
}

async function errorOf(promise: Promise<unknown>): Promise<LeadbridgeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LeadbridgeError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

let running: RunningEmulator;
beforeAll(async () => {
  running = await startDataverseEmulator({ limits: 'off' });
});
afterAll(async () => {
  await running?.close();
});

describe('DynamicsGateway against the emulator', () => {
  it('tests a connection: token, WhoAmI and the application user found, every request counted', async () => {
    const { gateway, counter, caches } = gatewayFor(running);
    const connection = connectionTo(running);
    const identity = await gateway.testConnection(connection, { clientSecret: secretOf(running) });
    expect(identity.organizationId).toBe(running.emulator.env.organization.organizationId);
    expect(identity.userId).toBe(running.emulator.directory.applications[0]?.systemUserId);
    expect(identity.userFullName).toContain('Leadbridge Sync');
    expect([...counter.counts.values()]).toEqual([2]);
    // MSAL's cache went to the store, not only memory.
    expect(caches.caches.get(`${connection.id}/app`)).toContain('AccessToken');
  });

  it('reads the live lead source choices', async () => {
    const { gateway } = gatewayFor(running);
    const options = await gateway.choiceOptions(
      connectionTo(running),
      { clientSecret: secretOf(running) },
      'lead',
      'leadsourcecode',
    );
    expect(options).toContainEqual({ value: 8, label: 'Web' });
    expect(options).toHaveLength(10);
  });

  it("shows Entra's refusal of a wrong secret in plain words", async () => {
    const { gateway } = gatewayFor(running);
    const error = await errorOf(
      gateway.testConnection(connectionTo(running), { clientSecret: 'not-the-secret' }),
    );
    expect(error.code).toBe('crm_auth_failed');
    expect(error.message).toContain('AADSTS7000215');
    expect(error.vendor?.code).toBe('AADSTS7000215');
  });

  it('says an environment that does not answer is unreachable', async () => {
    const closed = await startDataverseEmulator();
    const { gateway } = gatewayFor(closed);
    const url = closed.url;
    await closed.close();
    const error = await errorOf(
      gateway.testConnection(connectionTo(running, { environmentUrl: url }), {
        clientSecret: secretOf(running),
      }),
    );
    expect(error.code).toBe('crm_unreachable');
  });

  it('refuses a URL that is not a Dataverse environment before any call', () => {
    const { gateway } = gatewayFor(running);
    expect(() => gateway.normalizeEnvironmentUrl('https://example.com/')).toThrow(
      /not a Dynamics 365 environment URL/,
    );
    expect(gateway.normalizeEnvironmentUrl(`${running.url}api/data/v9.2/`)).toBe(running.url);
  });
});

describe('DynamicsGateway under faults', () => {
  it('retries injected 500s and 503s transparently', async () => {
    const flaky = await startDataverseEmulator({ faults: { rates: { '500': 0.3, '503': 0.2 } }, seed: 11 });
    try {
      const { gateway, counter } = gatewayFor(flaky);
      for (let i = 0; i < 5; i++) {
        const identity = await gateway.testConnection(connectionTo(flaky), { clientSecret: secretOf(flaky) });
        expect(identity.organizationId).toBe(flaky.emulator.env.organization.organizationId);
      }
      // Retried requests are counted too: the entitlement meters every request Dataverse receives.
      expect([...counter.counts.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
    } finally {
      await flaky.close();
    }
  });

  it('honours Retry-After when throttled and then succeeds', async () => {
    const limited = await startDataverseEmulator({ limits: { maxRequests: 2, windowSeconds: 1 } });
    try {
      const { gateway } = gatewayFor(limited);
      const started = Date.now();
      for (let i = 0; i < 3; i++)
        await gateway.testConnection(connectionTo(limited), { clientSecret: secretOf(limited) });
      // Six requests through a window of two per second: the client had to wait for the window.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      await limited.close();
    }
  });
});

describe('delegated sign-in', () => {
  async function signIn(target: RunningEmulator, connection: CrmConnection, gateway: DynamicsGateway) {
    const redirectUri = 'http://localhost/redirect';
    const credentials = { clientSecret: secretOf(target) };
    const { url, codeVerifier } = await gateway.beginUserSignIn(connection, credentials, {
      userId: 'user-1',
      redirectUri,
      state: 's1',
    });
    const page = await fetch(url);
    const html = await page.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? '';
    const flowToken = /name="flowToken" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const user = target.emulator.directory.users[0]?.objectId ?? '';
    const submitted = await fetch(new URL(action, url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ flowToken, user }),
      redirect: 'manual',
    });
    const code = new URL(submitted.headers.get('location') ?? '').searchParams.get('code') ?? '';
    return gateway.completeUserSignIn(connection, credentials, {
      userId: 'user-1',
      code,
      redirectUri,
      codeVerifier,
    });
  }

  it('signs a person in with authorization code + PKCE and keeps their token cache', async () => {
    const { gateway, caches } = gatewayFor(running);
    const connection = connectionTo(running, {
      organizationId: running.emulator.env.organization.organizationId,
    });
    const identity = await signIn(running, connection, gateway);
    expect(identity.userId).toBe(running.emulator.directory.users[0]?.systemUserId);
    expect(caches.caches.get(`${connection.id}/user-1`)).toContain('RefreshToken');
  });

  it('forgets the tokens of a sign-in that lands in another organisation', async () => {
    const other = await startDataverseEmulator({ seed: 99 });
    try {
      const { gateway, caches } = gatewayFor(other);
      // The connection believes it is the first emulator's organisation; the user signs in to another one.
      const connection = connectionTo(other, {
        organizationId: running.emulator.env.organization.organizationId,
      });
      await expect(signIn(other, connection, gateway)).rejects.toMatchObject({
        code: 'crm_wrong_environment',
      });
      expect(caches.caches.has(`${connection.id}/user-1`)).toBe(false);
    } finally {
      await other.close();
    }
  });
});
