import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { issueAppAccessToken } from './access-tokens.js';
import { createDemoEntraDirectory } from './demo-directory.js';
import { readRefreshToken, issueRefreshToken } from './refresh-tokens.js';
import {
  SIGNING_CERT_FILE,
  SIGNING_KEY_FILE,
  jwksDocument,
  loadOrCreateSigningKeys,
} from './signing-keys.js';
import { verifyAccessToken } from './verify-access-token.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'entra-keys-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('signing keys', () => {
  it('persists the key so tokens issued before a restart still verify after it', async () => {
    const dir = await tempDir();
    const before = await loadOrCreateSigningKeys(dir);
    expect((await stat(join(dir, SIGNING_KEY_FILE))).mode & 0o777).toBe(0o600);
    const directory = createDemoEntraDirectory(1);
    const app = directory.applications[0];
    if (app === undefined) throw new Error('no app');
    const now = Date.now();
    const { token } = await issueAppAccessToken(
      {
        keys: before,
        issuerOrigin: 'https://127.0.0.1:1',
        environmentUrl: 'https://127.0.0.1:1/',
        tenantId: directory.tenantId,
      },
      app,
      'secret',
      { now, lifetimeSeconds: 3600 },
    );
    const refresh = await issueRefreshToken(
      {
        clientId: app.clientId,
        userObjectId: 'u',
        tenantId: directory.tenantId,
        permissions: [],
        oidc: [],
        stamp: 1,
        authTime: 1,
        sessionId: 's',
      },
      before,
    );

    const after = await loadOrCreateSigningKeys(dir);
    expect(after.kid).toBe(before.kid);
    expect(after.certificatePem).toBe(before.certificatePem);
    const verified = await verifyAccessToken(token, {
      keys: after,
      audience: 'https://127.0.0.1:1',
      now: () => now,
      directory,
    });
    expect(verified.ok).toBe(true);
    expect(await readRefreshToken(refresh, after)).toMatchObject({ clientId: app.clientId, sessionId: 's' });
  });

  it('re-issues the certificate when it does not belong to the persisted key', async () => {
    const dir = await tempDir();
    const first = await loadOrCreateSigningKeys(dir);
    const other = await loadOrCreateSigningKeys(await tempDir());
    await writeFile(join(dir, SIGNING_CERT_FILE), other.certificatePem);
    const reloaded = await loadOrCreateSigningKeys(dir);
    expect(reloaded.certificatePem).not.toBe(other.certificatePem);
    expect(await readFile(join(dir, SIGNING_CERT_FILE), 'utf8')).toBe(reloaded.certificatePem);
    expect(reloaded.publicKey.export({ format: 'jwk' })).toEqual(first.publicKey.export({ format: 'jwk' }));
  });

  it('keeps keys in memory without a directory, each call a new key', async () => {
    const [a, b] = await Promise.all([loadOrCreateSigningKeys(), loadOrCreateSigningKeys()]);
    expect(a.kid).not.toBe(b.kid);
  });

  it('publishes a JWKS entry like Entra’s (kid = x5t = base64url SHA-1 of the certificate)', async () => {
    const keys = await loadOrCreateSigningKeys();
    const [entry] = jwksDocument(keys, 'https://127.0.0.1:1/t/v2.0').keys;
    expect(entry).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      kid: keys.kid,
      x5t: keys.kid,
      issuer: 'https://127.0.0.1:1/t/v2.0',
    });
    expect(keys.kid).toMatch(/^[A-Za-z0-9_-]{27}$/);
  });
});
