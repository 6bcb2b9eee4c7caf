import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureTlsCertificate } from '../src/emulators/dataverse/entra/index.js';

/**
 * Creates the emulator's test CA once, before any test worker starts, and points NODE_EXTRA_CA_CERTS at
 * it. Workers are forked afterwards and inherit the variable, so every HTTPS client in them
 * (dynamics-web-api's own https.Agent, msal-node's fetch) trusts the emulators — the same way a user
 * trusts them with the line `leadbridge emulator dataverse` prints.
 */
export default async function setup(): Promise<void> {
  const dir = resolve('test-results/dataverse-emulator-tls');
  mkdirSync(dir, { recursive: true });
  const tls = await ensureTlsCertificate(dir);
  if (!tls.caPath) throw new Error('the test CA was not written');
  process.env['NODE_EXTRA_CA_CERTS'] = tls.caPath;
  process.env['LEADBRIDGE_TEST_TLS_DIR'] = dir;
}
