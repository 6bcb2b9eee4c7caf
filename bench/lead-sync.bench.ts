import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildLeadbridge, type Leadbridge } from '../src/app/index.js';
import { loadConfig } from '../src/config/index.js';
import type { BenchResult } from './support/bench-result.js';
import { startEmulatorProcess, type EmulatorProcess } from './support/emulator-process.js';

/**
 * The sync engine against the emulator in another process over HTTPS: how many Dataverse requests
 * 1,000 leads cost with duplicate checks on, against what a per-record integration spends, and how
 * many leads per minute go in under the real service-protection limits with 100 ms of latency.
 */
export async function benchLeadSync(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  {
    const emulator = await startEmulatorProcess(['--limits', 'off', '--seed', '1']);
    const app = await leadbridgeFor(emulator);
    try {
      const { leadbridge, sourceId } = app;
      // 10,000 leads, 30 % of them people the CRM already holds (updated, not created).
      const existing = 3_000;
      await seedExistingLeads(emulator, existing);
      await capture(leadbridge, sourceId, 10_000, (i) =>
        i < existing ? `existing${i}@example.com` : `new${i}@example.com`,
      );
      const before = await requestsToday(leadbridge, app.connectionId);
      const httpBefore = app.httpRequests();
      const started = performance.now();
      const pass = await leadbridge.worker.drain();
      const seconds = (performance.now() - started) / 1000;
      const requests = app.httpRequests() - httpBefore;
      const entitlement = (await requestsToday(leadbridge, app.connectionId)) - before;
      if (pass.done !== 10_000) throw new Error(`synced ${pass.done} of 10,000`);
      results.push({
        measure:
          'Dataverse requests per 1,000 leads synced, duplicate checks on (10,000 leads, 30 % existing)',
        goal: '≤ 12',
        value: `${(requests / 10).toFixed(1)} (${requests} HTTP requests; ${entitlement} operations counted against the daily entitlement; ${Math.round(10_000 / seconds)} leads/s, limits off)`,
      });
      results.push({
        measure: 'a per-record integration (look up by email, then create or update) for 1,000 leads',
        goal: '—',
        value: `${await perRecordRequests(emulator, 1_000)} requests`,
      });
    } finally {
      await app.close();
      await emulator.stop();
    }
  }
  {
    const emulator = await startEmulatorProcess(['--limits', 'real', '--latency-ms', '100', '--seed', '1']);
    const app = await leadbridgeFor(emulator);
    try {
      const { leadbridge, sourceId } = app;
      const count = 30_000;
      await capture(leadbridge, sourceId, count, (i) => `fast${i}@example.com`);
      const started = performance.now();
      const pass = await leadbridge.worker.drain();
      const minutes = (performance.now() - started) / 60_000;
      if (pass.done !== count) throw new Error(`synced ${pass.done} of ${count}`);
      results.push({
        measure: `leads synced per minute, real service-protection limits, 100 ms latency (${count.toLocaleString('en')} leads, one application user)`,
        goal: '≥ 50,000',
        value: `${Math.round(count / minutes).toLocaleString('en')}/min`,
      });
    } finally {
      await app.close();
      await emulator.stop();
    }
  }
  return results;
}

interface BenchApp {
  readonly leadbridge: Leadbridge;
  /** HTTP requests the connector sent (a `$batch` or a `CreateMultiple` is one). */
  httpRequests(): number;
  readonly sourceId: string;
  readonly connectionId: string;
  close(): Promise<void>;
}

async function leadbridgeFor(emulator: EmulatorProcess): Promise<BenchApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-bench-'));
  const caPem = readFileSync(resolve(process.env['NODE_EXTRA_CA_CERTS'] ?? ''), 'utf8');
  let httpRequests = 0;
  const count = (_object: Record<string, unknown>, message: string) => {
    if (message === 'dataverse request' || message === 'dataverse request failed') httpRequests += 1;
  };
  const leadbridge = await buildLeadbridge({
    logger: { info: count, warn: count },
    config: loadConfig({}, { dataDir, logLevel: 'silent' }),
    webRoot: join(dataDir, 'no-ui'),
    emulators: { hosts: [new URL(emulator.url).host], caPem },
    roles: ['api'],
  });
  const actor = {};
  const connection = await leadbridge.connections.create(
    {
      name: 'Bench',
      environmentUrl: emulator.url,
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      isPrimary: true,
    },
    actor,
  );
  const source = await leadbridge.app.inject({
    method: 'POST',
    url: '/api/v1/sources',
    headers: { authorization: `Bearer ${await leadbridge.accounts.createApiToken('bench', 'admin')}` },
    payload: { name: 'Bench', kind: 'api' },
  });
  if (source.statusCode !== 201) throw new Error(source.body);
  return {
    leadbridge,
    httpRequests: () => httpRequests,
    sourceId: (source.json() as { id: string }).id,
    connectionId: connection.id,
    async close() {
      await leadbridge.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function capture(
  leadbridge: Leadbridge,
  sourceId: string,
  count: number,
  email: (i: number) => string,
) {
  for (let start = 0; start < count; start += 1_000) {
    const leads = Array.from({ length: Math.min(1_000, count - start) }, (_, k) => {
      const i = start + k;
      return { email: email(i), firstName: `First${i}`, lastName: `Last${i}`, company: `Company ${i % 97}` };
    });
    await leadbridge.capture.capture(sourceId, leads, {});
  }
}

async function requestsToday(leadbridge: Leadbridge, connectionId: string): Promise<number> {
  return leadbridge.repositories.crmRequestCounts.get(connectionId, new Date().toISOString().slice(0, 10));
}

async function seedExistingLeads(emulator: EmulatorProcess, count: number): Promise<void> {
  const token = await emulator.token();
  for (let start = 0; start < count; start += 1_000) {
    const targets = Array.from({ length: Math.min(1_000, count - start) }, (_, k) => ({
      '@odata.type': 'Microsoft.Dynamics.CRM.lead',
      emailaddress1: `existing${start + k}@example.com`,
      firstname: 'Existing',
      lastname: `Lead ${start + k}`,
      subject: 'Seed',
    }));
    const response = await fetch(`${emulator.url}api/data/v9.2/leads/Microsoft.Dynamics.CRM.CreateMultiple`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Targets: targets }),
    });
    if (!response.ok) throw new Error(await response.text());
  }
}

/** What the connectors Leadbridge replaces do: one look-up and one write per lead. */
async function perRecordRequests(emulator: EmulatorProcess, count: number): Promise<number> {
  const token = await emulator.token();
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  const api = `${emulator.url}api/data/v9.2/`;
  let requests = 0;
  for (let i = 0; i < count; i++) {
    const email = `perrecord${i}@example.com`;
    const found = await fetch(`${api}leads?$select=leadid&$filter=emailaddress1 eq '${email}'`, { headers });
    requests += 1;
    const rows = ((await found.json()) as { value: { leadid: string }[] }).value;
    const body = JSON.stringify({ emailaddress1: email, lastname: `Per record ${i}`, subject: 'Bench' });
    const written = rows[0]
      ? await fetch(`${api}leads(${rows[0].leadid})`, { method: 'PATCH', headers, body })
      : await fetch(`${api}leads`, { method: 'POST', headers, body });
    await written.arrayBuffer();
    requests += 1;
  }
  return requests;
}
