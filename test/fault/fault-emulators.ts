import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildDataverseEmulator,
  type DataverseEmulator,
  type DataverseEmulatorOptions,
} from '../../src/emulators/dataverse/index.js';
import { spawnLeadbridgeCli, type CliProcess } from './cli-process.js';

/** What Leadbridge (and the checks) need to know of a running emulator. */
export interface EmulatorEndpoint {
  /** `https://127.0.0.1:PORT/` */
  readonly url: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The PEM file of the CA that signed the emulator's certificate. */
  readonly caFile: string;
}

/** A CRM record as the checks read it back. */
export interface CrmLeadRow {
  readonly leadid: string;
  readonly emailaddress1: string;
  readonly leadsourcecode?: number | null;
}

export interface EmulatorProcess extends EmulatorEndpoint {
  readonly process: CliProcess;
  /** Stops the process and deletes its data directory. */
  close(): Promise<void>;
}

/**
 * `leadbridge emulator dataverse` as its own process, keeping its records in `dataDir` (a journal)
 * so they outlive anything the test does to Leadbridge. The data directory starts with the test CA
 * (test/global-setup.ts), which this test process trusts; Leadbridge is told about it by file.
 */
export async function spawnEmulator(options: {
  readonly latencyMs: number;
  readonly limits: 'real' | 'off';
  readonly seed: number;
}): Promise<EmulatorProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-fault-emulator-'));
  const tlsDir = process.env['LEADBRIDGE_TEST_TLS_DIR'];
  if (!tlsDir) throw new Error('test/global-setup.ts did not run (LEADBRIDGE_TEST_TLS_DIR is unset)');
  cpSync(tlsDir, dataDir, { recursive: true });
  const child = spawnLeadbridgeCli([
    'emulator',
    'dataverse',
    '--port',
    '0',
    '--data',
    dataDir,
    '--seed',
    String(options.seed),
    '--limits',
    options.limits,
    '--latency-ms',
    String(options.latencyMs),
  ]);
  await child.waitForOutput(/\/WhoAmI\n/);
  const { stdout } = child.output();
  const field = (pattern: RegExp) => {
    const value = pattern.exec(stdout)?.[1];
    if (!value) throw new Error(`the emulator banner has no ${pattern}:\n${stdout}`);
    return value;
  };
  return {
    process: child,
    async close() {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    url: field(/Dataverse emulator listening on (https:\/\/\S+\/)/),
    tenantId: field(/Tenant id\s+(\S+)/),
    clientId: field(/Client id\s+(\S+)/),
    clientSecret: field(/Client secret\s+(\S+)/),
    caFile: field(/NODE_EXTRA_CA_CERTS=(\S+)/),
  };
}

export interface InProcessEmulator extends EmulatorEndpoint {
  readonly emulator: DataverseEmulator;
  /** HTTP status codes of every Web API answer so far. */
  readonly statuses: Map<number, number>;
  leads(): CrmLeadRow[];
  close(): Promise<void>;
}

/**
 * The emulator inside the test process (still real HTTPS on loopback), for what only its options
 * can do: tiny service-protection limits, precise fault rates, a client secret that expires.
 * `beforeAnswer` may replace the ordinary sending of an answer (e.g. lose it after the write).
 */
export async function startInProcessEmulator(
  options: DataverseEmulatorOptions,
  beforeAnswer?: (answer: { method: string; url: string; status: number; destroy(): void }) => void,
): Promise<InProcessEmulator> {
  const tlsDir = process.env['LEADBRIDGE_TEST_TLS_DIR'];
  if (!tlsDir) throw new Error('test/global-setup.ts did not run (LEADBRIDGE_TEST_TLS_DIR is unset)');
  const emulator = await buildDataverseEmulator({
    port: 0,
    seed: 11,
    seedCounts: { accounts: 0, contacts: 0, leads: 0, opportunities: 0 },
    tlsDir,
    ...options,
  });
  const statuses = new Map<number, number>();
  emulator.app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/api/data/')) return payload;
    statuses.set(reply.statusCode, (statuses.get(reply.statusCode) ?? 0) + 1);
    beforeAnswer?.({
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      destroy: () => request.raw.socket.destroy(),
    });
    return payload;
  });
  const url = await emulator.listen();
  const app = emulator.directory.applications[0];
  if (!app?.clientSecrets[0] || !emulator.tls.caPath)
    throw new Error('the emulator has no app secret or CA file');
  return {
    emulator,
    statuses,
    url,
    tenantId: emulator.directory.tenantId,
    clientId: app.clientId,
    clientSecret: app.clientSecrets[0].secretText,
    caFile: emulator.tls.caPath,
    leads: () =>
      [...emulator.env.store.rows('lead')].map((row) => ({
        leadid: String(row['leadid']),
        emailaddress1: String(row['emailaddress1']),
        leadsourcecode: (row['leadsourcecode'] as number | null | undefined) ?? null,
      })),
    close: () => emulator.close(),
  };
}

/**
 * Every lead whose e-mail ends in `@domain`, read through the Web API with paging — how a person
 * would check the CRM — with a fresh app-only token from the emulator's Entra ID.
 */
export async function crmLeadsByDomain(endpoint: EmulatorEndpoint, domain: string): Promise<CrmLeadRow[]> {
  const tokenAnswer = await fetch(`${endpoint.url}${endpoint.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: endpoint.clientId,
      client_secret: endpoint.clientSecret,
      scope: `${endpoint.url}.default`,
    }),
  });
  const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
  const rows: CrmLeadRow[] = [];
  const filter = encodeURIComponent(`endswith(emailaddress1,'@${domain}')`);
  let next: string | undefined =
    `${endpoint.url}api/data/v9.2/leads?$select=leadid,emailaddress1,leadsourcecode&$filter=${filter}`;
  while (next) {
    const answer = await fetch(next, {
      headers: { authorization: `Bearer ${token}`, prefer: 'odata.maxpagesize=5000' },
    });
    if (answer.status !== 200) throw new Error(`reading leads: ${answer.status} ${await answer.text()}`);
    const page = (await answer.json()) as { value: CrmLeadRow[]; '@odata.nextLink'?: string };
    rows.push(...page.value);
    next = page['@odata.nextLink'];
  }
  return rows;
}
