/**
 * The client under Microsoft's limits, against the emulator's real service-protection limiter and
 * fault injector: expired tokens, 429 with Retry-After, 5xx and timeouts, and the concurrency budget.
 * The emulator and the client share a clock that the client's sleep moves forward, so waiting out a
 * five-minute window takes no wall time.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ConcurrencyBudgetRegistry,
  odataString,
  type DataverseRecord,
} from '../../../src/connectors/dynamics/index.js';
import { startDataverseEmulator } from '../../support/dataverse-emulator.js';
import { applicationClient, failureOf, SharedClock } from './dynamics-test-support.js';

async function count(iterable: AsyncIterable<DataverseRecord>): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for await (const row of iterable)
    seen.set(String(row['leadid']), (seen.get(String(row['leadid'])) ?? 0) + 1);
  return seen;
}

describe('token expiry', () => {
  it('refreshes a token Dataverse no longer accepts, once, transparently', async () => {
    const clock = new SharedClock();
    const running = await startDataverseEmulator({
      limits: 'off',
      now: clock.now,
      accessTokenLifetimeSeconds: 600,
    });
    const { client, logger, close } = applicationClient(running, clock);
    try {
      const first = await client.whoAmI();
      // Eleven minutes later for Dataverse; msal (on the wall clock) still thinks its cached token is fresh.
      clock.advance(11 * 60_000);
      expect(await client.whoAmI()).toEqual(first);
      expect(logger.dataverse().map((line) => line['status'])).toEqual([200, 401, 200]);
      const tokenPosts = logger.entra().filter((line) => String(line['path']).endsWith('/token'));
      expect(tokenPosts).toHaveLength(2);
      expect(client.connectionStatus().status).toBe('active');
    } finally {
      await close();
      await running.close();
    }
  });
});

describe('service protection (429)', () => {
  it('waits exactly Retry-After and carries on, without counting throttled requests', async () => {
    const clock = new SharedClock();
    const running = await startDataverseEmulator({
      limits: { maxRequests: 5, windowSeconds: 300 },
      now: clock.now,
    });
    const { client, logger, counter, connectionId, close } = applicationClient(running, clock);
    try {
      for (let i = 0; i < 12; i++) await client.whoAmI();
      const retries = logger.retries();
      expect(retries.length).toBeGreaterThanOrEqual(2);
      for (const retry of retries) {
        expect(retry).toMatchObject({ status: 429, code: '0x80072322', honoursRetryAfter: true });
        expect(Number(retry['retryInMs']) % 1000).toBe(0);
      }
      // Each wait is what the emulator asked for, and the client slept exactly that.
      expect(clock.waits).toEqual(retries.map((retry) => retry['retryInMs']));
      expect(clock.waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(300_000);
      expect(counter.total(connectionId)).toBe(12);
      expect(client.connectionStatus().status).toBe('active');
    } finally {
      await close();
      await running.close();
    }
  });

  it('gives up with crm_throttled and the time to come back when Retry-After is too long', async () => {
    const clock = new SharedClock();
    const running = await startDataverseEmulator({
      limits: { maxRequests: 1, windowSeconds: 300 },
      now: clock.now,
    });
    const { client, close } = applicationClient(running, clock, { retry: { maxRetryAfterMs: 60_000 } });
    try {
      await client.whoAmI();
      const failure = await failureOf(client.whoAmI());
      expect(failure).toMatchObject({
        code: 'crm_throttled',
        retryable: true,
        vendor: { code: '0x80072322' },
      });
      const retryAt = (failure as typeof failure & { retryAt: string }).retryAt;
      expect(Date.parse(retryAt) - clock.now().getTime()).toBeGreaterThan(60_000);
      expect(client.connectionStatus()).toMatchObject({ status: 'throttled', throttledUntil: retryAt });
      expect(clock.waits).toEqual([]);
    } finally {
      await close();
      await running.close();
    }
  });
});

describe('server errors and timeouts', () => {
  it('rides out injected 500s and writes everything exactly once', async () => {
    const clock = new SharedClock();
    const running = await startDataverseEmulator({
      limits: 'off',
      now: clock.now,
      faults: { rates: { '500': 0.3 } },
      seed: 21,
    });
    const { client, logger, close } = applicationClient(running, clock, { retry: { maxAttempts: 15 } });
    const marker = `faults-${randomUUID()}`;
    try {
      for (let i = 0; i < 20; i++)
        await client.create('leads', { leadid: randomUUID(), lastname: `Single ${i}`, subject: marker });
      for (let i = 0; i < 10; i++)
        await client.upsert('leads', randomUUID(), { lastname: `Upsert ${i}`, subject: marker });
      await client.createMultiple(
        'leads',
        'lead',
        Array.from({ length: 50 }, (_, i) => ({ lastname: `Bulk ${i}`, subject: marker })),
      );
      await client.upsertMultiple(
        'leads',
        'lead',
        Array.from({ length: 30 }, (_, i) => ({
          leadid: randomUUID(),
          lastname: `UM ${i}`,
          subject: marker,
        })),
      );
      const batch = await client.executeBatch([
        {
          changeSet: Array.from({ length: 10 }, (_, i) => ({
            method: 'POST' as const,
            path: 'leads',
            body: { lastname: `CS ${i}`, subject: marker },
          })),
        },
      ]);
      expect(batch[0]?.status).toBe('succeeded');

      const failures = logger.retries().filter((retry) => retry['status'] === 500);
      expect(failures.length).toBeGreaterThan(5);
      const seen = await count(
        client.retrieveAll('leads', {
          select: ['leadid'],
          filter: `subject eq ${odataString(marker)}`,
          pageSize: 50,
        }),
      );
      expect(seen.size).toBe(120);
      expect([...seen.values()].every((times) => times === 1)).toBe(true);
    } finally {
      await close();
      await running.close();
    }
  });

  it('times out a request that hangs, retries it, and flags the ambiguity if it finally fails', async () => {
    const clock = new SharedClock();
    const running = await startDataverseEmulator({
      limits: 'off',
      now: clock.now,
      faults: { rates: { timeout: 0.4 }, timeoutMs: 400 },
      seed: 5,
    });
    const { client, logger, close } = applicationClient(running, clock, {
      requestTimeoutMs: 150,
      retry: { maxAttempts: 10 },
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const id = randomUUID();
        await client.upsert('leads', id, { lastname: `Timeout ${i}` });
        ids.push(id);
      }
      expect(logger.retries().filter((retry) => retry['error'] === 'ETIMEDOUT').length).toBeGreaterThan(0);
      for (const id of ids)
        expect(await client.retrieve('leads', id, { select: ['lastname'] })).toMatchObject({ leadid: id });
    } finally {
      await close();
      await running.close();
    }

    const always = await startDataverseEmulator({
      limits: 'off',
      faults: { rates: { timeout: 1 }, timeoutMs: 400 },
    });
    const hung = applicationClient(always, new SharedClock(), {
      requestTimeoutMs: 100,
      retry: { maxAttempts: 2 },
    });
    try {
      const failure = await failureOf(hung.client.create('leads', { lastname: 'Never' }));
      expect(failure).toMatchObject({
        code: 'crm_unreachable',
        attempts: 2,
        afterAmbiguousFailure: true,
        vendor: { code: 'ETIMEDOUT' },
      });
    } finally {
      await hung.close();
      await always.close();
    }
  });
});

describe('concurrency budget', () => {
  const LIMIT = 3;

  async function storm(budget: number, clients: number) {
    const clock = new SharedClock();
    const running = await startDataverseEmulator({
      limits: { maxConcurrent: LIMIT },
      faults: { latencyMs: 30 },
      now: clock.now,
    });
    const registry = new ConcurrencyBudgetRegistry();
    const made = Array.from({ length: clients }, () =>
      applicationClient(running, clock, {
        concurrencyBudgets: registry,
        maxConcurrentRequests: budget,
        // A refused request is retried after a real moment, so the ones in flight can finish meanwhile.
        sleep: (ms) => clock.sleep(ms).then(() => new Promise((resolve) => setTimeout(resolve, 10))),
        retry: { maxAttempts: 100 },
      }),
    );
    try {
      await Promise.all(made.map(({ client }) => client.whoAmI())); // tokens first
      await Promise.all(made.flatMap(({ client }) => Array.from({ length: 8 }, () => client.whoAmI())));
      return {
        throttled: made
          .flatMap(({ logger }) => logger.retries())
          .filter((retry) => retry['code'] === '0x80072326').length,
        peak: made[0]?.client.concurrency.peakInFlight ?? 0,
      };
    } finally {
      for (const { close } of made) await close();
      await running.close();
    }
  }

  it(`never exceeds the environment's limit across clients of one process (budget ${LIMIT})`, async () => {
    const { throttled, peak } = await storm(LIMIT, 3);
    expect(throttled).toBe(0);
    expect(peak).toBe(LIMIT);
  });

  it('would be throttled without it (a budget above the limit gets 429 0x80072326, retried)', async () => {
    const { throttled, peak } = await storm(LIMIT * 3, 3);
    expect(peak).toBeGreaterThan(LIMIT);
    expect(throttled).toBeGreaterThan(0);
  });
});
