import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh temporary `dataDir` for an emulator. It starts with a copy of the test TLS certificate (CA
 * and server pair), because an emulator with a `dataDir` keeps its certificate there, and only the test
 * CA is trusted through NODE_EXTRA_CA_CERTS (test/global-setup.ts).
 */
export function tempDataDir(prefix = 'leadbridge-int-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const tlsDir = process.env['LEADBRIDGE_TEST_TLS_DIR'];
  if (tlsDir) cpSync(tlsDir, dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
