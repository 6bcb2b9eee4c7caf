import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLeadbridge, prepareDemo, PROCESS_ROLES, type Leadbridge } from '../app/index.js';
import { loadConfig } from '../config/index.js';
import { buildDataverseEmulator, type DataverseEmulator } from '../emulators/dataverse/index.js';
import { createDatabase, migrateToLatest } from '../store/index.js';
import { describeEmulator } from './emulator-dataverse.command.js';
import { displayUrl, listenOrExplain, runUntilStopped, webRoot } from './process-lifecycle.js';

/**
 * `leadbridge start [--demo] [--port P] [--data DIR]`: the whole product in one process on SQLite.
 * With no Dynamics connection yet (or `--demo`) it starts the Dataverse emulator beside it and
 * connects to it over HTTPS exactly as to a real tenant.
 */
export async function runStartCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      demo: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
    },
  });
  const config = loadConfig(process.env, {
    'http.port': values.port,
    'http.host': values.host,
    dataDir: values.data,
  });
  const dataDir = resolve(config.dataDir);
  const demo = values.demo === true || (await hasNoConnection(dataDir, config.databaseUrl));

  let emulator: DataverseEmulator | undefined;
  let leadbridge: Leadbridge | undefined;
  const close = async () => {
    await leadbridge?.close();
    await emulator?.close();
  };
  try {
    if (demo) {
      const settings = config.emulators.dataverse;
      emulator = await buildDataverseEmulator({
        host: settings.host,
        // A free port when the app takes one too, so several demos can run side by side.
        port: config.http.port === 0 ? 0 : settings.port,
        seed: settings.seed,
        limits: settings.limits,
        dataDir: resolve(dataDir, 'dataverse-emulator'),
      });
      const started = emulator;
      await listenOrExplain(() => started.listen(), `${settings.host}:${settings.port}`);
      process.stdout.write(describeEmulator(emulator));
    }

    leadbridge = await buildLeadbridge({
      config,
      webRoot: webRoot(),
      roles: PROCESS_ROLES,
      ...(emulator
        ? { emulators: { hosts: [new URL(emulator.url()).host], caPem: emulator.tls.caPem } }
        : {}),
    });
    const app = leadbridge;
    for (const warning of app.warnings) process.stderr.write(`leadbridge: ${warning}\n`);
    const address = await listenOrExplain(
      () => app.app.listen({ host: config.http.host, port: config.http.port }),
      `${config.http.host}:${config.http.port}`,
    );
    const url = displayUrl(address);
    const lines = [`Leadbridge listening on ${url}/`];
    if (emulator) {
      const registration = emulator.directory.applications[0];
      const login = await prepareDemo(app, {
        environmentUrl: emulator.url(),
        tenantId: emulator.directory.tenantId,
        clientId: registration?.clientId ?? '',
        clientSecret: registration?.clientSecrets[0]?.secretText ?? '',
      });
      lines.push(
        `Admin login: ${login.email} / ${login.password}`,
        `Demo connection: ${login.connection.name} (${login.connection.status}) → ${login.connection.environmentUrl}`,
      );
    } else if (await app.accounts.needsSetup()) {
      lines.push(`First run: open ${url}/ to create the admin, or run 'leadbridge user create --admin'.`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    // A start that failed halfway (port taken, a worker already running) leaves nothing running.
    await close();
    throw error;
  }
  return runUntilStopped(close);
}

async function hasNoConnection(dataDir: string, databaseUrl: string | undefined): Promise<boolean> {
  const store = await createDatabase({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
  try {
    await migrateToLatest(store);
    const row = await store.db
      .selectFrom('crm_connections')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0) === 0;
  } finally {
    await store.close();
  }
}
