import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AccountService } from '../accounts/account-service.js';
import type { LeadbridgeConfig } from '../config/index.js';
import { CaptureService } from '../capture/capture-service.js';
import { SourceService } from '../capture/source-service.js';
import { ConnectionService } from '../connections/connection-service.js';
import { DynamicsGateway, type ConnectorLogger } from '../connectors/dynamics/index.js';
import { buildApp } from '../http/build-app.js';
import type { AppServices } from '../http/app-services.js';
import {
  createDatabase,
  createRepositories,
  loadSecretKey,
  migrateToLatest,
  verifySecretKey,
  type StoreRepositories,
} from '../store/index.js';
import { CrmChangePull } from '../sync/crm-change-pull.js';
import { LeadSyncProcessor } from '../sync/lead-sync-processor.js';
import { MatchingStrategyService } from '../sync/matching-strategy-service.js';
import { SyncScheduler } from '../sync/sync-scheduler.js';
import { SyncService } from '../sync/sync-service.js';
import { SyncWorker } from '../sync/sync-worker.js';

export interface Leadbridge {
  readonly app: FastifyInstance;
  readonly repositories: StoreRepositories;
  readonly accounts: AccountService;
  readonly connections: ConnectionService;
  readonly capture: CaptureService;
  readonly sync: SyncService;
  /** Claims and syncs queued leads; started by `start()` unless `workers: false`. */
  readonly worker: SyncWorker;
  /** Scheduled cycles (two-way sync); started with the worker. */
  readonly scheduler: SyncScheduler;
  readonly warnings: readonly string[];
  close(): Promise<void>;
}

export interface BuildLeadbridgeOptions {
  readonly config: LeadbridgeConfig;
  /** Local Dataverse emulators this app may connect to (`--demo`): their hosts and CA. */
  readonly emulators?: { readonly hosts: readonly string[]; readonly caPem?: string };
  readonly logger?: ConnectorLogger;
  /** The built web UI; defaults to dist/web beside the compiled code. */
  readonly webRoot?: string;
  /** Run the sync worker in this process (default true; `false` for API-only processes and some tests). */
  readonly workers?: boolean;
  /** Worker tuning, for tests and benchmarks. */
  readonly worker?: { readonly batchSize?: number; readonly idlePollMs?: number; readonly leaseMs?: number };
}

/**
 * The composition root: opens the store (SQLite by default, PostgreSQL with DATABASE_URL), migrates
 * it, checks the secret key, wires repositories into the use cases and those into the HTTP app.
 * Nothing listens here; the CLI does.
 */
export async function buildLeadbridge(options: BuildLeadbridgeOptions): Promise<Leadbridge> {
  const { config } = options;
  const dataDir = resolve(config.dataDir);
  const store = await createDatabase({
    dataDir,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
  });
  try {
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
      ...(options.logger ? { logger: options.logger } : {}),
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
        if ((await repositories.jobQueue.releaseWaiting(connectionId)) > 0) worker.wake();
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
      ...options.worker,
      onError: (error) => options.logger?.warn?.({ err: error }, 'sync worker pass failed'),
    });
    const wake = () => worker.wake();
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
      onError: (error, connection) =>
        options.logger?.warn?.({ err: error, connectionId: connection.id }, 'scheduled sync cycle failed'),
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
    if (options.workers !== false) {
      worker.start();
      scheduler.start();
    }
    return {
      app,
      repositories,
      accounts,
      connections,
      capture,
      sync,
      worker,
      scheduler,
      warnings: secret.warnings,
      async close() {
        await scheduler.stop();
        await worker.stop();
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
