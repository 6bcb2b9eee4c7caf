import { z } from 'zod';

/**
 * Every setting Leadbridge reads, in one schema: the schema is the documentation. Values come from
 * environment variables, then command-line flags (flags win); `leadbridge config --print` shows the
 * result with secrets masked.
 */
export const configSchema = z
  .object({
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    dataDir: z.string().min(1).default('./data'),
    /** PostgreSQL (`postgres://…`) for scale-out; the embedded SQLite file in dataDir otherwise. */
    databaseUrl: z.string().min(1).optional(),
    /** Base64 of 32 bytes; created as dataDir/secret.key on first start when not given. */
    secretKey: z.string().min(1).optional(),
    http: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.coerce.number().int().min(0).max(65535).default(3000),
      })
      .strict()
      .prefault({}),
    crm: z
      .object({
        /** Extra CA certificates (PEM file) Dynamics connections trust, e.g. a local emulator's. */
        extraCaFile: z.string().min(1).optional(),
        /** Hosts (host:port) allowed as environment URLs besides *.dynamics.com: local emulators. */
        allowedHosts: z
          .string()
          .transform((v) =>
            v
              .split(',')
              .map((h) => h.trim())
              .filter(Boolean),
          )
          .optional(),
        /** Warn when a connection's daily request count reaches this (Dataverse entitlement). */
        dailyRequestWarning: z.coerce.number().int().min(1).default(20_000),
      })
      .strict()
      .prefault({}),
    sync: z
      .object({
        /**
         * How long a worker's claim on a batch lasts without a heartbeat. After a crash its jobs go back
         * to the queue once this has passed; tests that kill the process shorten it.
         */
        leaseMs: z.coerce.number().int().min(1000).max(86_400_000).default(120_000),
        /** Leads a worker claims at once: one round of bulk look-ups and bulk writes. */
        batchSize: z.coerce.number().int().min(1).max(10_000).default(1000),
        /**
         * How long an idle worker waits before looking at the queue again. New work wakes it at once
         * (in its own process directly, across processes by PostgreSQL NOTIFY), so this only bounds
         * the wait for retries that fall due and for SQLite processes that cannot signal each other.
         */
        idlePollMs: z.coerce.number().int().min(50).max(3_600_000).default(1000),
      })
      .strict()
      .prefault({}),
    emulators: z
      .object({
        dataverse: z
          .object({
            host: z.string().min(1).default('127.0.0.1'),
            port: z.coerce.number().int().min(0).max(65535).default(8443),
            seed: z.coerce.number().int().min(0).max(2_147_483_647).default(1),
            /** Keeps emulator state across restarts when set. */
            dataDir: z.string().min(1).optional(),
            limits: z.enum(['real', 'off']).default('real'),
            latencyMs: z.coerce.number().int().min(0).max(600_000).default(0),
            /** Fraction of requests answered with an injected fault, 0 to 1. */
            faultRate: z.coerce.number().min(0).max(1).default(0),
            /** Access token lifetime in seconds. */
            tokenLifetimeSeconds: z.coerce.number().int().min(5).max(86_400).default(3600),
          })
          .strict()
          // prefault parses {} through the schema, so the field defaults above apply.
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type LeadbridgeConfig = z.infer<typeof configSchema>;

/** Setting paths whose values are secrets: masked whenever configuration is shown. */
export const SECRET_PATHS: readonly string[] = ['secretKey', 'databaseUrl'];

/** Environment variable → setting path. */
export const ENVIRONMENT_VARIABLES: Readonly<Record<string, string>> = {
  LEADBRIDGE_LOG_LEVEL: 'logLevel',
  LEADBRIDGE_DATA_DIR: 'dataDir',
  DATABASE_URL: 'databaseUrl',
  LEADBRIDGE_SECRET_KEY: 'secretKey',
  LEADBRIDGE_HOST: 'http.host',
  LEADBRIDGE_PORT: 'http.port',
  LEADBRIDGE_CRM_EXTRA_CA_FILE: 'crm.extraCaFile',
  LEADBRIDGE_CRM_ALLOWED_HOSTS: 'crm.allowedHosts',
  LEADBRIDGE_CRM_DAILY_REQUEST_WARNING: 'crm.dailyRequestWarning',
  LEADBRIDGE_SYNC_LEASE_MS: 'sync.leaseMs',
  LEADBRIDGE_SYNC_BATCH_SIZE: 'sync.batchSize',
  LEADBRIDGE_SYNC_IDLE_POLL_MS: 'sync.idlePollMs',
  LEADBRIDGE_DATAVERSE_EMULATOR_HOST: 'emulators.dataverse.host',
  LEADBRIDGE_DATAVERSE_EMULATOR_PORT: 'emulators.dataverse.port',
  LEADBRIDGE_DATAVERSE_EMULATOR_SEED: 'emulators.dataverse.seed',
  LEADBRIDGE_DATAVERSE_EMULATOR_DATA: 'emulators.dataverse.dataDir',
  LEADBRIDGE_DATAVERSE_EMULATOR_LIMITS: 'emulators.dataverse.limits',
  LEADBRIDGE_DATAVERSE_EMULATOR_LATENCY_MS: 'emulators.dataverse.latencyMs',
  LEADBRIDGE_DATAVERSE_EMULATOR_FAULT_RATE: 'emulators.dataverse.faultRate',
  LEADBRIDGE_DATAVERSE_EMULATOR_TOKEN_LIFETIME: 'emulators.dataverse.tokenLifetimeSeconds',
};
