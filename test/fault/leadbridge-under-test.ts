import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLeadbridge } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';
import type {
  CreateSourceRequest,
  SyncLogEntryView,
  SyncLogPage,
  SyncStatus,
} from '../../src/contracts/index.js';
import { spawnLeadbridgeCli, waitUntil, type CliProcess } from './cli-process.js';
import type { EmulatorEndpoint } from './fault-emulators.js';

/** An answer of the REST API; `T` is what the caller expects of a successful body (not checked). */
export interface ApiAnswer<T> {
  readonly status: number;
  readonly body: T;
}

export type Api = <T = unknown>(
  method: string,
  path: string,
  token: string,
  json?: unknown,
) => Promise<ApiAnswer<T>>;

export function restApi(baseUrl: string): Api {
  return async <T>(method: string, path: string, token: string, json?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(json !== undefined && { 'content-type': 'application/json' }),
      },
      ...(json !== undefined && { body: JSON.stringify(json) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

/** A data directory set up the way an admin would: a connection to the emulator, a source, its key. */
export interface PreparedLeadbridge {
  readonly dataDir: string;
  readonly adminToken: string;
  readonly connectionId: string;
  readonly sourceId: string;
  readonly sourceKey: string;
  readonly emulator: EmulatorEndpoint;
  /** Settings every process of this installation gets beside the emulator's (DATABASE_URL, say). */
  readonly env: Readonly<Record<string, string>>;
  /** Deletes the data directory (once no process uses it). */
  remove(): void;
}

/** The settings that let a Leadbridge process reach a local emulator as if it were a tenant. */
function leadbridgeEnvironment(emulator: EmulatorEndpoint): Record<string, string> {
  return {
    LEADBRIDGE_CRM_ALLOWED_HOSTS: new URL(emulator.url).host,
    LEADBRIDGE_CRM_EXTRA_CA_FILE: emulator.caFile,
    LEADBRIDGE_LOG_LEVEL: 'warn',
  };
}

/**
 * Creates the connection, the source and its API key over the REST API of an app built on the data
 * directory in this process, then closes it, so `leadbridge start` finds a configured installation
 * (and does not start its own demo emulator).
 */
export async function prepareLeadbridge(
  emulator: EmulatorEndpoint,
  source: Partial<CreateSourceRequest> & { name: string },
  env: Readonly<Record<string, string>> = {},
): Promise<PreparedLeadbridge> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-fault-'));
  const leadbridge = await buildLeadbridge({
    config: loadConfig({ ...leadbridgeEnvironment(emulator), ...env }, { dataDir, logLevel: 'silent' }),
    webRoot: join(dataDir, 'no-ui'),
    roles: ['api'],
  });
  try {
    const api = restApi(await leadbridge.app.listen({ host: '127.0.0.1', port: 0 }));
    const adminToken = await leadbridge.accounts.createApiToken('fault tests', 'admin');
    const connection = await api<{ id: string }>('POST', '/api/v1/connections', adminToken, {
      name: 'Emulator',
      environmentUrl: emulator.url,
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      isPrimary: true,
    });
    if (connection.status !== 201) throw new Error(`connection: ${JSON.stringify(connection.body)}`);
    const created = await api<{ id: string }>('POST', '/api/v1/sources', adminToken, {
      kind: 'api',
      ...source,
    });
    if (created.status !== 201) throw new Error(`source: ${JSON.stringify(created.body)}`);
    const key = await api<{ key: string }>('POST', `/api/v1/sources/${created.body.id}/api-keys`, adminToken);
    if (key.status !== 201) throw new Error(`api key: ${JSON.stringify(key.body)}`);
    return {
      dataDir,
      adminToken,
      connectionId: connection.body.id,
      sourceId: created.body.id,
      sourceKey: key.body.key,
      emulator,
      env,
      remove: () => rmSync(dataDir, { recursive: true, force: true }),
    };
  } finally {
    await leadbridge.close();
  }
}

export interface RunningLeadbridge {
  readonly process: CliProcess;
  readonly api: Api;
}

/** `leadbridge start --port 0 --data DIR` as its own process: the API and the sync worker. */
export async function startLeadbridge(
  prepared: PreparedLeadbridge,
  options: WorkerTuning = {},
): Promise<RunningLeadbridge> {
  const child = spawnLeadbridgeCli(
    ['start', '--port', '0', '--data', prepared.dataDir],
    processEnvironment(prepared, options),
  );
  const [, url] = await child.waitForOutput(/Leadbridge listening on (http:\/\/\S+?)\/?\n/);
  return { process: child, api: restApi(url ?? '') };
}

export interface WorkerTuning {
  readonly leaseMs?: number;
  readonly batchSize?: number;
  readonly idlePollMs?: number;
}

function processEnvironment(prepared: PreparedLeadbridge, options: WorkerTuning): Record<string, string> {
  return {
    ...leadbridgeEnvironment(prepared.emulator),
    ...prepared.env,
    ...(options.leaseMs !== undefined && { LEADBRIDGE_SYNC_LEASE_MS: String(options.leaseMs) }),
    ...(options.batchSize !== undefined && { LEADBRIDGE_SYNC_BATCH_SIZE: String(options.batchSize) }),
    ...(options.idlePollMs !== undefined && { LEADBRIDGE_SYNC_IDLE_POLL_MS: String(options.idlePollMs) }),
  };
}

/**
 * `leadbridge serve --role …` as its own process, once it says its roles are running. With the `api`
 * role, `api` talks to it; without, it is `undefined`.
 */
export async function serveLeadbridge(
  prepared: PreparedLeadbridge,
  roles: string,
  options: WorkerTuning = {},
): Promise<{ process: CliProcess; api: Api | undefined; url: string | undefined }> {
  const child = spawnLeadbridgeCli(
    ['serve', '--role', roles, '--port', '0', '--data', prepared.dataDir],
    processEnvironment(prepared, options),
  );
  await child.waitForOutput(/Leadbridge running: /);
  const url = /Leadbridge listening on (http:\/\/\S+?)\/?\n/.exec(child.output().stdout)?.[1];
  return { process: child, api: url ? restApi(url) : undefined, url };
}

/** A lead the capture API accepted (202), with the e-mail the CRM should hold for it. */
export interface CapturedLead {
  readonly leadId: string;
  readonly email: string;
}

/** Sends the leads in requests of `perRequest`; returns what the 202 answers accepted, in order. */
export async function captureLeads(
  api: Api,
  prepared: PreparedLeadbridge,
  leads: readonly { readonly email: string }[],
  perRequest: number,
): Promise<CapturedLead[]> {
  const captured: CapturedLead[] = [];
  for (let start = 0; start < leads.length; start += perRequest) {
    const answer = await api<{ leads: { id: string }[] }>(
      'POST',
      `/api/v1/sources/${prepared.sourceId}/leads`,
      prepared.sourceKey,
      leads.slice(start, start + perRequest),
    );
    if (answer.status !== 202) throw new Error(`capture: ${answer.status} ${JSON.stringify(answer.body)}`);
    answer.body.leads.forEach((lead, index) =>
      // The default mapping trims and lower-cases e-mails.
      captured.push({ leadId: lead.id, email: leads[start + index]!.email.trim().toLowerCase() }),
    );
  }
  return captured;
}

export async function syncStatus(api: Api, prepared: PreparedLeadbridge): Promise<SyncStatus> {
  const answer = await api<SyncStatus>('GET', '/api/v1/sync/status', prepared.adminToken);
  if (answer.status !== 200) throw new Error(`sync status: ${answer.status}`);
  return answer.body;
}

/** Until no lead waits and no job is ready or leased: the queue has nothing left to do. */
export async function waitForQueueToSettle(
  api: Api,
  prepared: PreparedLeadbridge,
  timeoutMs: number,
): Promise<SyncStatus> {
  let last: SyncStatus | undefined;
  return waitUntil(
    'the sync queue to settle',
    async () => {
      last = await syncStatus(api, prepared);
      const settled =
        (last.leads['pending'] ?? 0) === 0 &&
        (last.jobs['ready'] ?? 0) === 0 &&
        (last.jobs['leased'] ?? 0) === 0;
      return settled ? last : undefined;
    },
    timeoutMs,
    () => last,
    250,
  );
}

/** The whole sync log of the source, newest first, through the API's pages. */
export async function readSyncLog(api: Api, prepared: PreparedLeadbridge): Promise<SyncLogEntryView[]> {
  const entries: SyncLogEntryView[] = [];
  let after: string | undefined;
  do {
    const query = `sourceId=${prepared.sourceId}&limit=500${after ? `&after=${encodeURIComponent(after)}` : ''}`;
    const page = await api<SyncLogPage>('GET', `/api/v1/sync/log?${query}`, prepared.adminToken);
    if (page.status !== 200) throw new Error(`sync log: ${page.status} ${JSON.stringify(page.body)}`);
    entries.push(...page.body.entries);
    after = page.body.next;
  } while (after);
  return entries;
}
