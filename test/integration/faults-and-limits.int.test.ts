import { afterEach, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';
import { expectDataverseError, webApi } from '../support/web-api-http.js';
import type { DataverseEmulatorOptions } from '../../src/emulators/dataverse/index.js';

/**
 * Injected faults and service protection limits (protocols/dataverse.md §4, checklist item 11), seen
 * from a client: status, Dataverse error body, Retry-After and the x-ms-ratelimit-* headers.
 */
let running: RunningEmulator | undefined;

async function start(options: DataverseEmulatorOptions) {
  running = await startDataverseEmulator(options);
  return { running, api: webApi(running) };
}

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('injected faults', () => {
  it('answers every request 500 with a Dataverse error body, and writes nothing', async () => {
    const { running: emulator, api } = await start({ faults: { rates: { '500': 1 } } });
    const before = emulator.emulator.env.store.count('lead');
    for (const [method, path] of [
      ['GET', 'WhoAmI'],
      ['GET', 'leads?$top=1'],
      ['POST', 'leads'],
    ] as const) {
      const result = await api.send(method, path, method === 'POST' ? { body: { lastname: 'Faulted' } } : {});
      expectDataverseError(result, 500, '0x80040216', 'An unexpected error occurred.');
      expect(result.headers.get('req_id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(emulator.emulator.env.store.count('lead')).toBe(before);
  });

  it('answers an injected 429 with Retry-After and the request-limit code', async () => {
    const { api } = await start({ faults: { rates: { '429': 1 }, retryAfterSeconds: 7 } });
    const result = await api.get('WhoAmI');
    expectDataverseError(result, 429, '0x80072322', /^Number of requests exceeded the limit of 6000/);
    expect(result.headers.get('retry-after')).toBe('7');
  });

  it('answers an injected 503 with the front end’s HTML page, not JSON', async () => {
    const { api } = await start({ faults: { rates: { '503': 1 } } });
    const result = await api.get('WhoAmI');
    expect(result.status).toBe(503);
    expect(result.headers.get('content-type')).toMatch(/^text\/html/);
    expect(result.text).toContain('Service Unavailable');
  });

  it('answers a held request with 504 when timeouts are answered, or drops the connection', async () => {
    const answered = await start({ faults: { rates: { timeout: 1 }, timeoutMs: 50, timeoutAction: '504' } });
    const started = Date.now();
    const result = await answered.api.get('WhoAmI');
    expect(result.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    await answered.running.close();
    const dropped = await start({ faults: { rates: { timeout: 1 }, timeoutMs: 20 } });
    await expect(dropped.api.get('WhoAmI')).rejects.toThrow();
  });

  it('delays each request by latencyMs', async () => {
    const { api } = await start({ faults: { latencyMs: 250 } });
    await api.get('WhoAmI'); // warm the token cache and the connection
    const started = Date.now();
    const result = await api.get('WhoAmI');
    expect(result.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('leaves the token endpoint alone', async () => {
    const { running: emulator } = await start({ faults: { rates: { '500': 1 } } });
    await expect(emulator.token()).resolves.toMatch(/^ey/);
  });
});

describe('service protection limits', () => {
  it('refuses a second concurrent request with 429 0x80072326 while the first is still running', async () => {
    const { api } = await start({ limits: { maxConcurrent: 1 }, faults: { latencyMs: 300 } });
    await api.get('WhoAmI'); // token and connection ready, so both requests really overlap
    const [a, b] = await Promise.all([api.get('WhoAmI'), api.get('WhoAmI')]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 429]);
    const refused = a.status === 429 ? a : b;
    expectDataverseError(
      refused,
      429,
      '0x80072326',
      'Number of concurrent requests exceeded the limit of 1.',
    );
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Once the first one finished, the slot is free again.
    expect((await api.get('WhoAmI')).status).toBe(200);
  });

  it('counts down x-ms-ratelimit-burst-remaining-xrm-requests and reports the time budget', async () => {
    const { api } = await start({ limits: { maxRequests: 50 } });
    const remaining: number[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await api.get('WhoAmI');
      expect(result.status).toBe(200);
      remaining.push(Number(result.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')));
      expect(result.headers.get('x-ms-ratelimit-time-remaining-xrm-requests')).toMatch(
        /^\d{1,3}(,\d{3})*\.\d{2}$/,
      );
    }
    expect(remaining).toEqual([49, 48, 47, 46]);
  });

  it('counts a $batch as one request', async () => {
    const { api } = await start({ limits: { maxRequests: 50 } });
    const first = Number(
      (await api.get('WhoAmI')).headers.get('x-ms-ratelimit-burst-remaining-xrm-requests'),
    );
    const part = [
      '--b',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'GET WhoAmI HTTP/1.1',
      '',
      '',
    ];
    const body = [...part, ...part, ...part, '--b--'].join('\r\n');
    const batch = await api.send('POST', '$batch', {
      body,
      raw: true,
      headers: { 'content-type': 'multipart/mixed; boundary=b' },
    });
    expect(batch.status).toBe(200);
    expect(Number(batch.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests'))).toBe(first - 1);
  });
});
