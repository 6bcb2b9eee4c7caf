import { ConfidentialClientApplication } from '@azure/msal-node';
import { DynamicsWebApi } from 'dynamics-web-api';
import {
  buildDataverseEmulator,
  type DataverseEmulator,
  type DataverseEmulatorOptions,
} from '../../src/emulators/dataverse/index.js';

export interface RunningEmulator {
  readonly emulator: DataverseEmulator;
  readonly url: string;
  /** An app-only token from the emulator's Entra ID, through the real msal-node. */
  token(): Promise<string>;
  /** A dynamics-web-api client authenticated as the demo application user. */
  client(overrides?: ConstructorParameters<typeof DynamicsWebApi>[0]): DynamicsWebApi;
  close(): Promise<void>;
}

/** Starts a Dataverse emulator on a free loopback port with small seed data. */
export async function startDataverseEmulator(
  options: DataverseEmulatorOptions = {},
): Promise<RunningEmulator> {
  const tlsDir = process.env['LEADBRIDGE_TEST_TLS_DIR'];
  const emulator = await buildDataverseEmulator({
    port: 0,
    seed: 7,
    limits: 'off',
    seedCounts: { accounts: 5, contacts: 10, leads: 20, opportunities: 4 },
    ...(tlsDir ? { tlsDir } : {}),
    ...options,
  });
  const url = await emulator.listen();
  const app = emulator.directory.applications[0];
  if (!app) throw new Error('the demo directory has no application');
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: app.clientId,
      clientSecret: app.clientSecrets[0]?.secretText ?? '',
      authority: emulator.authority(),
      knownAuthorities: [new URL(url).host],
    },
  });
  const token = async () => {
    const result = await msal.acquireTokenByClientCredential({ scopes: [`${url}.default`] });
    if (!result?.accessToken) throw new Error('no access token');
    return result.accessToken;
  };
  return {
    emulator,
    url,
    token,
    client: (overrides = {}) =>
      new DynamicsWebApi({
        serverUrl: url,
        dataApi: { version: '9.2' },
        onTokenRefresh: token,
        ...overrides,
      }),
    close: () => emulator.close(),
  };
}
