import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  ApplicationTokenSource,
  ConcurrencyBudgetRegistry,
  createDispatcher,
  DataverseClient,
  DynamicsConnector,
  type ConnectorLogger,
  type DataverseClientOptions,
  type DynamicsConnectorOptions,
} from '../../../src/connectors/dynamics/index.js';
import type {
  CrmConnection,
  CrmCredentials,
  RequestCounter,
  TokenCacheKey,
  TokenCacheStore,
} from '../../../src/domain/index.js';
import type { DataverseEmulatorOptions } from '../../../src/emulators/dataverse/index.js';
import { LeadbridgeError } from '../../../src/shared/errors.js';
import { startDataverseEmulator, type RunningEmulator } from '../../support/dataverse-emulator.js';

/** In-memory stand-ins for the store's ports (the store implements them for real later). */
export class MemoryTokenCaches implements TokenCacheStore {
  readonly caches = new Map<string, string>();
  loads = 0;
  static keyOf(key: TokenCacheKey): string {
    return `${key.connectionId}/${key.userId ?? 'app'}`;
  }
  async load(key: TokenCacheKey): Promise<string | undefined> {
    this.loads++;
    return this.caches.get(MemoryTokenCaches.keyOf(key));
  }
  async save(key: TokenCacheKey, serialized: string): Promise<void> {
    this.caches.set(MemoryTokenCaches.keyOf(key), serialized);
  }
  async delete(key: TokenCacheKey): Promise<void> {
    this.caches.delete(MemoryTokenCaches.keyOf(key));
  }
}

export class MemoryRequestCounter implements RequestCounter {
  readonly totals = new Map<string, number>();
  async add(connectionId: string, day: string, count: number): Promise<number> {
    const total = (this.totals.get(`${connectionId}/${day}`) ?? 0) + count;
    this.totals.set(`${connectionId}/${day}`, total);
    return total;
  }
  async get(connectionId: string, day: string): Promise<number> {
    return this.totals.get(`${connectionId}/${day}`) ?? 0;
  }
  total(connectionId: string): number {
    let sum = 0;
    for (const [key, value] of this.totals) if (key.startsWith(`${connectionId}/`)) sum += value;
    return sum;
  }
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'debug';
  readonly message: string;
  readonly object: Record<string, unknown>;
}

/** A pino-shaped logger that keeps every line, so tests can check what was (and was not) logged. */
export class RecordingLogger implements ConnectorLogger {
  readonly lines: LogLine[] = [];
  info(object: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'info', message, object });
  }
  warn(object: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'warn', message, object });
  }
  dataverse(): Record<string, unknown>[] {
    return this.lines.filter((line) => line.message === 'dataverse request').map((line) => line.object);
  }
  entra(): Record<string, unknown>[] {
    return this.lines.filter((line) => line.message === 'entra request').map((line) => line.object);
  }
  retries(): Record<string, unknown>[] {
    return this.lines
      .filter((line) => line.message === 'dataverse request will be retried')
      .map((line) => line.object);
  }
}

/**
 * A clock the emulator and the client share, moved forward by the client's injected sleep: a test that
 * waits out a 300-second throttle takes milliseconds, yet both sides see the time pass.
 */
export class SharedClock {
  offsetMs = 0;
  /** While frozen, time stands still except for `advance` and waits: "the same second" on demand. */
  private frozenAt: number | undefined;
  readonly waits: number[] = [];
  readonly now = (): Date => new Date((this.frozenAt ?? Date.now()) + this.offsetMs);
  readonly sleep = async (ms: number): Promise<void> => {
    this.waits.push(ms);
    this.offsetMs += ms;
  };
  advance(ms: number): void {
    this.offsetMs += ms;
  }
  freeze(): void {
    this.frozenAt = Date.now();
  }
  unfreeze(): void {
    if (this.frozenAt !== undefined) this.offsetMs -= Date.now() - this.frozenAt;
    this.frozenAt = undefined;
  }
}

export function connectionTo(
  running: RunningEmulator,
  overrides: Partial<CrmConnection> = {},
): CrmConnection {
  const app = running.emulator.directory.applications[0];
  if (!app) throw new Error('the emulator has no app registration');
  const now = new Date().toISOString();
  return {
    id: `conn-${randomUUID()}`,
    name: 'Emulator',
    environmentUrl: running.url,
    tenantId: running.emulator.directory.tenantId,
    clientId: app.clientId,
    authKind: 'client_secret',
    status: 'untested',
    isPrimary: true,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function secretOf(running: RunningEmulator): string {
  const secret = running.emulator.directory.applications[0]?.clientSecrets[0]?.secretText;
  if (!secret) throw new Error('the emulator app has no secret');
  return secret;
}

export async function failureOf(promise: Promise<unknown>): Promise<LeadbridgeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LeadbridgeError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/**
 * An emulator with a CA of its own, not the test CA that test/global-setup.ts trusts process-wide via
 * NODE_EXTRA_CA_CERTS: only a client given `emulator.tls.caPem` explicitly can talk to it.
 */
export async function startPrivateCaEmulator(
  options: DataverseEmulatorOptions = {},
): Promise<RunningEmulator & { removeTlsDir(): void }> {
  const tlsDir = mkdtempSync(join(tmpdir(), 'leadbridge-private-ca-'));
  const running = await startDataverseEmulator({ ...options, tlsDir });
  return { ...running, removeTlsDir: () => rmSync(tlsDir, { recursive: true, force: true }) };
}

/** Plays the browser on the emulator's sign-in page: open the URL, pick the user, read the redirect. */
export async function signInAs(authorizeUrl: string, userObjectId: string): Promise<URL> {
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`the sign-in page answered ${page.status}`);
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  const flowToken = /name="flowToken" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !flowToken) throw new Error('the sign-in page has no form');
  const submitted = await fetch(new URL(action, authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ flowToken, user: userObjectId }),
    redirect: 'manual',
  });
  if (submitted.status !== 302) throw new Error(`the sign-in form answered ${submitted.status}`);
  return new URL(submitted.headers.get('location') ?? '');
}

/**
 * A Dataverse client for the emulator's application user, with its own budget registry, counter and
 * logger (unless given), and the shared clock's sleep so retries cost no wall time.
 */
export function applicationClient(
  running: RunningEmulator,
  clock: SharedClock,
  overrides: Partial<DataverseClientOptions> = {},
): {
  client: DataverseClient;
  logger: RecordingLogger;
  counter: MemoryRequestCounter;
  connectionId: string;
  close(): Promise<void>;
} {
  const logger = new RecordingLogger();
  const counter = new MemoryRequestCounter();
  const connectionId = `conn-${randomUUID()}`;
  const dispatcher = createDispatcher({ caPem: running.emulator.tls.caPem });
  const app = running.emulator.directory.applications[0];
  const client = new DataverseClient({
    environmentUrl: running.url,
    connectionId,
    allowLoopback: true,
    dispatcher,
    tokens: new ApplicationTokenSource({
      connectionId,
      registration: {
        tenantId: running.emulator.directory.tenantId,
        clientId: app?.clientId ?? '',
        credentials: { clientSecret: secretOf(running) },
      },
      environmentUrl: running.url,
      authorityOrigin: new URL(running.url).origin,
      dispatcher,
      logger,
    }),
    requestCounter: counter,
    logger,
    concurrencyBudgets: new ConcurrencyBudgetRegistry(),
    now: clock.now,
    sleep: clock.sleep,
    ...overrides,
  });
  return {
    client,
    logger,
    counter,
    connectionId,
    close: async () => {
      await client.close();
      await dispatcher.close();
    },
  };
}

/**
 * A DynamicsConnector for the emulator's application user with a recording logger and counter, and
 * the shared clock's sleep. `httpRequests()` counts the HTTP exchanges with Dataverse so far (one log
 * line each; token requests to Entra ID are logged apart), `entitlement()` what the day's count says.
 */
export function recordsConnector(
  running: RunningEmulator,
  clock: SharedClock,
  overrides: DynamicsConnectorOptions = {},
): {
  dynamics: DynamicsConnector;
  connection: CrmConnection;
  credentials: CrmCredentials;
  logger: RecordingLogger;
  httpRequests(): number;
  entitlement(): number;
  close(): Promise<void>;
} {
  const logger = new RecordingLogger();
  const counter = new MemoryRequestCounter();
  const dynamics = new DynamicsConnector({
    requestCounter: counter,
    logger,
    allowLoopback: true,
    extraCaPem: running.emulator.tls.caPem,
    concurrencyBudgets: new ConcurrencyBudgetRegistry(),
    now: clock.now,
    sleep: clock.sleep,
    ...overrides,
  });
  const connection = connectionTo(running);
  return {
    dynamics,
    connection,
    credentials: { clientSecret: secretOf(running) },
    logger,
    httpRequests: () => logger.dataverse().length,
    entitlement: () => counter.total(connection.id),
    close: () => dynamics.close(),
  };
}
