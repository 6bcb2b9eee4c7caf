import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/index.js';
import { buildDataverseEmulator, type DataverseEmulator } from '../emulators/dataverse/index.js';
import { LeadbridgeError } from '../shared/errors.js';

/** `leadbridge emulator dataverse [--host H] [--port P] [--seed N] [--data DIR] [--limits real|off] [--latency-ms N]` */
export async function runDataverseEmulatorCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      seed: { type: 'string' },
      data: { type: 'string' },
      limits: { type: 'string' },
      'latency-ms': { type: 'string' },
      'fault-rate': { type: 'string' },
    },
  });
  const config = loadConfig(process.env, {
    'emulators.dataverse.host': values.host,
    'emulators.dataverse.port': values.port,
    'emulators.dataverse.seed': values.seed,
    'emulators.dataverse.dataDir': values.data,
    'emulators.dataverse.limits': values.limits,
    'emulators.dataverse.latencyMs': values['latency-ms'],
    'emulators.dataverse.faultRate': values['fault-rate'],
  }).emulators.dataverse;

  const emulator = await buildDataverseEmulator({
    host: config.host,
    port: config.port,
    seed: config.seed,
    limits: config.limits,
    accessTokenLifetimeSeconds: config.tokenLifetimeSeconds,
    // The certificate outlives in-memory runs so the CA you trusted once stays valid.
    tlsDir: resolve(loadConfig(process.env).dataDir, 'dataverse-emulator-tls'),
    faults: {
      latencyMs: config.latencyMs,
      ...(config.faultRate > 0
        ? {
            rates: {
              '429': config.faultRate / 4,
              '500': config.faultRate / 4,
              '503': config.faultRate / 4,
              timeout: config.faultRate / 4,
            },
          }
        : {}),
    },
    ...(config.dataDir ? { dataDir: resolve(config.dataDir) } : {}),
  });
  try {
    await emulator.listen();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new LeadbridgeError('port_in_use', `${config.host}:${config.port} is taken; try --port 0.`);
    throw error;
  }
  process.stdout.write(describeEmulator(emulator));
  return await new Promise<number>((done) => {
    const stop = () => {
      void emulator.close().then(() => done(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** The start-up banner: scripts look for the first line; people copy the rest. */
export function describeEmulator(emulator: DataverseEmulator): string {
  const url = emulator.url();
  const app = emulator.directory.applications[0];
  const secret = app?.clientSecrets[0]?.secretText ?? '';
  const tenant = emulator.directory.tenantId;
  const ca = emulator.tls.caPath ?? '(in memory)';
  const tokenUrl = `${emulator.authority()}/oauth2/v2.0/token`;
  return [
    `Dataverse emulator listening on ${url}`,
    `  Web API        ${url}api/data/v9.2/`,
    `  Tenant id      ${tenant}`,
    `  Client id      ${app?.clientId ?? ''}`,
    `  Client secret  ${secret}`,
    `  Authority      ${emulator.authority()}`,
    `  Users          ${emulator.directory.users.map((u) => u.userPrincipalName).join(', ')}`,
    '',
    'Trust its certificate in Node.js clients:',
    `  export NODE_EXTRA_CA_CERTS=${ca}`,
    '',
    'Try it:',
    `  TOKEN=$(curl -s --cacert ${ca} ${tokenUrl} -d grant_type=client_credentials -d client_id=${app?.clientId ?? ''} \\`,
    `    --data-urlencode client_secret='${secret}' --data-urlencode scope=${url}.default | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `  curl -s --cacert ${ca} -H "Authorization: Bearer $TOKEN" ${url}api/data/v9.2/WhoAmI`,
    '',
  ].join('\n');
}
