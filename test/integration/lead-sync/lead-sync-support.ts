import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLeadbridge, type Leadbridge } from '../../../src/app/index.js';
import { loadConfig } from '../../../src/config/index.js';
import type { CreateSourceRequest, Source } from '../../../src/contracts/index.js';
import type { DataverseEmulatorOptions } from '../../../src/emulators/dataverse/index.js';
import { startDataverseEmulator, type RunningEmulator } from '../../support/dataverse-emulator.js';

/**
 * Leadbridge on a real SQLite file connected over HTTPS to a real emulator, with the worker driven by
 * the test (`drain()`), so each test decides when a sync runs.
 */
export interface SyncHarness {
  readonly emulator: RunningEmulator;
  readonly leadbridge: Leadbridge;
  readonly connectionId: string;
  readonly adminToken: string;
  readonly dataDir: string;
  /** Where the app listens, e.g. http://127.0.0.1:40123, for requests that are not JSON. */
  readonly baseUrl: string;
  api(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<ApiAnswer>;
  createSource(
    request: Partial<CreateSourceRequest> & { name: string },
  ): Promise<{ source: Source; key: string }>;
  capture(sourceId: string, key: string, body: unknown, headers?: Record<string, string>): Promise<ApiAnswer>;
  /** HTTP requests the connector sent to Dataverse so far (each `$batch` or `CreateMultiple` is one). */
  httpRequests(): number;
  /** Rows of a table in the emulator. */
  rows(table: 'lead' | 'contact'): Record<string, unknown>[];
  close(): Promise<void>;
}

export interface ApiAnswer {
  readonly status: number;
  // Tests read answers loosely (`body.leads[0].id`); the API's own schemas are checked elsewhere.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: Record<string, any> | undefined;
}

export async function startSyncHarness(
  options: { emulator?: DataverseEmulatorOptions; dataDir?: string } = {},
): Promise<SyncHarness> {
  const emulator = await startDataverseEmulator({
    seedCounts: { accounts: 0, contacts: 0, leads: 0, opportunities: 0 },
    ...options.emulator,
  });
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'leadbridge-sync-'));
  let httpRequests = 0;
  const countRequests = (_object: Record<string, unknown>, message: string) => {
    if (message === 'dataverse request' || message === 'dataverse request failed') httpRequests += 1;
  };
  const leadbridge = await buildLeadbridge({
    logger: { info: countRequests, warn: countRequests },
    config: loadConfig({}, { dataDir, logLevel: 'silent' }),
    webRoot: join(dataDir, 'no-ui'),
    emulators: { hosts: [new URL(emulator.url).host], caPem: emulator.emulator.tls.caPem },
    roles: ['api'],
  });
  const base = await leadbridge.app.listen({ host: '127.0.0.1', port: 0 });
  const adminToken = await leadbridge.accounts.createApiToken('sync test', 'admin');
  const api = async (
    path: string,
    init: RequestInit & { token?: string; json?: unknown } = {},
  ): Promise<ApiAnswer> => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(base + path, {
      ...init,
      headers,
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const application = emulator.emulator.directory.applications[0]!;
  const created = await api('/api/v1/connections', {
    method: 'POST',
    token: adminToken,
    json: {
      name: 'Emulator',
      environmentUrl: emulator.url,
      tenantId: emulator.emulator.directory.tenantId,
      clientId: application.clientId,
      clientSecret: application.clientSecrets[0]!.secretText,
      isPrimary: true,
    },
  });
  if (created.status !== 201) throw new Error(`connection: ${JSON.stringify(created.body)}`);
  const connectionId = created.body!['id'] as string;
  return {
    emulator,
    leadbridge,
    connectionId,
    adminToken,
    dataDir,
    baseUrl: base,
    api,
    async createSource(request) {
      const source = await api('/api/v1/sources', {
        method: 'POST',
        token: adminToken,
        json: { kind: 'api', ...request },
      });
      if (source.status !== 201) throw new Error(`source: ${JSON.stringify(source.body)}`);
      const key = await api(`/api/v1/sources/${source.body!['id']}/api-keys`, {
        method: 'POST',
        token: adminToken,
      });
      return { source: source.body as Source, key: key.body!['key'] as string };
    },
    capture: (sourceId, key, body, headers = {}) =>
      api(`/api/v1/sources/${sourceId}/leads`, { method: 'POST', token: key, json: body, headers }),
    httpRequests: () => httpRequests,
    rows: (table) => [...emulator.emulator.env.store.rows(table)],
    async close() {
      await leadbridge.close();
      await emulator.close();
    },
  };
}
