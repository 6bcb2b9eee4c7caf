import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { AccountService } from '../accounts/account-service.js';
import type { LeadbridgeConfig } from '../config/index.js';
import { CaptureService } from '../capture/capture-service.js';
import { SourceService } from '../capture/source-service.js';
import { ConnectionService } from '../connections/connection-service.js';
import { DynamicsGateway, type ConnectorLogger } from '../connectors/dynamics/index.js';
import { buildApp } from '../http/build-app.js';
import type { AppServices } from '../http/app-services.js';
import {
  acquireWorkerLock,
  createDatabase,
  createRepositories,
  loadSecretKey,
  migrateToLatest,
  openSchedulerLeadership,
  openWorkSignal,
  verifySecretKey,
  type StoreRepositories,
  type WorkerLock,
} from '../store/index.js';
import { CrmChangePull } from '../sync/crm-change-pull.js';
import { LeadSyncProcessor } from '../sync/lead-sync-processor.js';
import { MatchingStrategyService } from '../sync/matching-strategy-service.js';
import { SyncScheduler } from '../sync/sync-scheduler.js';
import { SyncService } from '../sync/sync-service.js';
import { SyncWorker } from '../sync/sync-worker.js';
import type { ProcessRole } from './process-roles.js';

export interface Leadbridge {
  readonly app: FastifyInstance;
  readonly repositories: StoreRepositories;
  readonly accounts: AccountService;
  readonly connections: ConnectionService;
  readonly capture: CaptureService;
  readonly sync: SyncService;
  /** Claims and syncs queued leads; runs in the background in a process with the `worker` role. */
  readonly worker: SyncWorker;
  /** Scheduled cycles (two-way sync); runs in the background in a process with the `scheduler` role. */
  readonly scheduler: SyncScheduler;
  readonly roles: readonly ProcessRole[];
  /** The SQLite file or the PostgreSQL URL (password masked), for banners. */
  readonly storeLocation: string;
  readonly warnings: readonly string[];
  close(): Promise<void>;
}

export interface BuildLeadbridgeOptions {
  readonly config: LeadbridgeConfig;
  /** Local Dataverse emulators this app may connect to (`--demo`): their hosts and CA. */
  readonly emulators?: { readonly hosts: readonly string[]; readonly caPem?: string };
  /** Where the connector, workers and scheduler log; defaults to pino on stdout at the configured level. */
  readonly logger?: ConnectorLogger;
  /** The built web UI; defaults to dist/web beside the compiled code. */
  readonly webRoot?: string;
  /**
   * The roles of this process (DESIGN.md §1). `worker` and `scheduler` start background loops, `api`
   * only says the CLI will listen: the HTTP app is built either way. The default is none, for the
   * CLI's foreground commands and tests, where nothing syncs unless called (`worker.drain()`,
   * `scheduler.runCycle()`); `start` and `serve` name theirs.
   */
  readonly roles?: readonly ProcessRole[];
  /** Worker tuning beyond the configuration, for tests and benchmarks. */
  readonly worker?: { readonly batchSize?: number; readonly idlePollMs?: number; readonly leaseMs?: number };
}

/**
 * The composition root: opens the store (SQLite by default, PostgreSQL with DATABASE_URL), migrates
 * it, checks the secret key, wires repositories into the use cases and those into the HTTP app.
 * Nothing listens here; the CLI does.
 */
export async function buildLeadbridge(options: BuildLeadbridgeOptions): Promise<Leadbridge> {
  const { config } = options;
  const roles = options.roles ?? [];
  const dataDir = resolve(config.dataDir);
  const store = await createDatabase({
    dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
  });
  // Servers log to stdout, as their platform collects it; the CLI's foreground commands keep stdout
  // for their own answers (scripts read them) and log to stderr.
  const logger: ConnectorLogger =
    options.logger ?? pino({ level: config.logLevel }, pino.destination(roles.length > 0 ? 1 : 2));
  const warn = (error: unknown, message: string) => logger.warn({ err: error }, message);
  const leadership = roles.includes('scheduler')
    ? openSchedulerLeadership(store, {
        databaseUrl: config.databaseUrl,
        onError: (error) => warn(error, 'the scheduler lost its lead or could not take it; retrying'),
      })
    : undefined;
  const signal = openWorkSignal(store, {
    databaseUrl: config.databaseUrl,
    onError: (error) =>
      warn(error, 'the work signal (PostgreSQL NOTIFY/LISTEN) failed; workers still poll the queue'),
  });
  let workerLock: WorkerLock | undefined;
  try {
    if (roles.includes('worker')) workerLock = acquireWorkerLock(store);
    await migrateToLatest(store);
    const secret = await loadSecretKey({
      dataDir,
      ...(config.secretKey ? { secretKey: config.secretKey } : {}),
    });
    await verifySecretKey(store, secret.key);
    const repositories = createRepositories(store, { secretKey: secret.key });
    const extraCaPem =
      options.emulators?.caPem ??
      (config.crm.extraCaFile ? readFileSync(config.crm.extraCaFile, 'utf8') : undefined);
    const gateway = new DynamicsGateway({
      tokenCaches: repositories.crmTokenCaches,
      requestCounter: repositories.crmRequestCounts,
      allowedHosts: [...(config.crm.allowedHosts ?? []), ...(options.emulators?.hosts ?? [])],
      ...(extraCaPem ? { extraCaPem } : {}),
      dailyWarningThreshold: config.crm.dailyRequestWarning,
      logger,
    });
    const accounts = new AccountService({
      users: repositories.users,
      sessions: repositories.sessions,
      apiTokens: repositories.apiTokens,
      connections: repositories.crmConnections,
      tokenCaches: repositories.crmTokenCaches,
      audit: repositories.audit,
    });
    const connections = new ConnectionService({
      connections: repositories.crmConnections,
      credentials: repositories.crmConnections,
      settings: repositories.crmSettings,
      requestCounts: repositories.crmRequestCounts,
      gateway,
      audit: repositories.audit,
      pendingSignIns: repositories.pendingCrmSignIns,
      signIns: repositories.crmTokenCaches,
      onConnectionRestored: async (connectionId) => {
        if ((await repositories.jobQueue.releaseWaiting(connectionId)) > 0) wake();
      },
    });
    const sourceService = new SourceService({
      sources: repositories.leadSources,
      leads: repositories.inboundLeads,
      apiKeys: repositories.sourceApiKeys,
      connections: repositories.crmConnections,
      records: gateway.records,
      audit: repositories.audit,
    });
    const processor = new LeadSyncProcessor({
      leads: repositories.inboundLeads,
      sources: repositories.leadSources,
      strategies: repositories.matchingStrategies,
      syncLog: repositories.syncLog,
      connections: repositories.crmConnections,
      settings: repositories.crmSettings,
      records: gateway.records,
    });
    const worker = new SyncWorker({
      queue: repositories.jobQueue,
      process: processor.process,
      leaseMs: config.sync.leaseMs,
      batchSize: config.sync.batchSize,
      idlePollMs: config.sync.idlePollMs,
      ...options.worker,
      onError: (error) => warn(error, 'sync worker pass failed'),
    });
    // New work: this process's worker looks now, and so do the workers of other processes.
    const wake = () => {
      worker.wake();
      signal.notify();
    };
    const scheduler = new SyncScheduler({
      connections: repositories.crmConnections,
      sources: repositories.leadSources,
      pull: new CrmChangePull({
        connections: repositories.crmConnections,
        records: gateway.records,
        leads: repositories.inboundLeads,
        sources: repositories.leadSources,
        cursors: repositories.syncCursors,
      }),
      wake,
      ...(leadership && { leadership }),
      onError: (error, connection) =>
        logger.warn({ err: error, connectionId: connection?.id }, 'scheduled sync cycle failed'),
    });
    const capture = new CaptureService({
      sources: repositories.leadSources,
      leads: repositories.inboundLeads,
      apiKeys: repositories.sourceApiKeys,
      sourceService,
      onAccepted: wake,
    });
    const sync = new SyncService({
      leads: repositories.inboundLeads,
      sources: repositories.leadSources,
      jobs: repositories.jobQueue,
      syncLog: repositories.syncLog,
      connections: repositories.crmConnections,
      requestCounts: repositories.crmRequestCounts,
      processor,
      audit: repositories.audit,
      onRequeued: wake,
    });
    const strategies = new MatchingStrategyService({
      strategies: repositories.matchingStrategies,
      audit: repositories.audit,
    });
    const services: AppServices = {
      auth: accounts,
      users: accounts,
      connections,
      sources: sourceService,
      capture,
      sync,
      strategies,
      health: {
        async ready() {
          try {
            await repositories.users.count();
            return { ok: true, checks: { store: `ok (${store.dialect})` } };
          } catch (error) {
            return { ok: false, checks: { store: (error as Error).message } };
          }
        },
      },
    };
    const webRoot = options.webRoot ?? new URL('../web/', import.meta.url).pathname;
    const app = await buildApp({ services, webRoot, logger: { level: config.logLevel } });
    if (roles.includes('worker')) {
      await signal.listen(() => worker.wake());
      worker.start();
    }
    if (roles.includes('scheduler')) scheduler.start();
    return {
      app,
      repositories,
      accounts,
      connections,
      capture,
      sync,
      worker,
      scheduler,
      roles,
      storeLocation: store.location,
      warnings: secret.warnings,
      async close() {
        // Stop taking work in first (in-flight requests finish), then finish the batch in hand; what
        // holds a resource is released even when a step before it fails.
        try {
          await app.close();
          await scheduler.stop();
          await worker.stop();
        } finally {
          await signal.close();
          await leadership?.close();
          await gateway.close().catch((error: unknown) => warn(error, 'closing the CRM connections failed'));
          workerLock?.release();
          await store.close();
        }
      },
    };
  } catch (error) {
    await signal.close();
    await leadership?.close();
    workerLock?.release();
    await store.close();
    throw error;
  }
}
