import { randomBytes } from 'node:crypto';
import type { CrmConnection } from '../domain/index.js';
import type { Leadbridge } from './build-leadbridge.js';

export const DEMO_ADMIN_EMAIL = 'admin@leadbridge.local';

export interface DemoEnvironment {
  readonly environmentUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * `leadbridge start --demo`: a demo admin (a fresh password each start, printed once) and a
 * connection to the local emulator, made through the same use cases as the UI (client credentials
 * over HTTPS, tested with WhoAmI) — no shortcut through memory.
 */
export async function prepareDemo(
  leadbridge: Leadbridge,
  environment: DemoEnvironment,
): Promise<{ email: string; password: string; connection: CrmConnection }> {
  const password = randomBytes(12).toString('base64url');
  const existing = await leadbridge.repositories.users.findByEmail(DEMO_ADMIN_EMAIL);
  if (existing) await leadbridge.accounts.setPassword(existing.id, password);
  else
    await leadbridge.accounts.createUser({
      email: DEMO_ADMIN_EMAIL,
      displayName: 'Demo Admin',
      password,
      role: 'admin',
    });
  const actor = {};
  const connections = await leadbridge.repositories.crmConnections.list();
  let connection = connections.find((c) => c.environmentUrl === environment.environmentUrl);
  if (!connection) {
    const created = await leadbridge.connections.create(
      {
        name: 'Dataverse emulator (demo)',
        environmentUrl: environment.environmentUrl,
        tenantId: environment.tenantId,
        clientId: environment.clientId,
        clientSecret: environment.clientSecret,
        isPrimary: true,
      },
      actor,
    );
    connection = await leadbridge.repositories.crmConnections.get(created.id);
  }
  if (!connection) throw new Error('the demo connection disappeared');
  await leadbridge.connections.test(connection.id);
  return {
    email: DEMO_ADMIN_EMAIL,
    password,
    connection: (await leadbridge.repositories.crmConnections.get(connection.id)) ?? connection,
  };
}
