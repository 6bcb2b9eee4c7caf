import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSecretKey, SECRET_KEY_FILE, writeSecretKeyFile } from './secret-key-file.js';
import { SecretKey } from './secret-key.js';

const posix = process.platform !== 'win32';

describe('loadSecretKey', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'leadbridge-key-')), 'data');
  });
  afterEach(() => {
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('creates a 0600 key file on first start and reads the same key afterwards', () => {
    const created = loadSecretKey({ dataDir });
    expect(created.source).toBe('created_key_file');
    expect(created.path).toBe(join(dataDir, SECRET_KEY_FILE));
    if (posix) expect(statSync(join(dataDir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, SECRET_KEY_FILE), 'utf8').trim()).toBe(created.key.toBase64());

    const again = loadSecretKey({ dataDir });
    expect(again).toMatchObject({ source: 'key_file', warnings: [] });
    expect(again.key.id).toBe(created.key.id);
  });

  it('prefers the configured key and writes no file', () => {
    const configured = SecretKey.generate();
    const loaded = loadSecretKey({ dataDir, secretKey: configured.toBase64() });
    expect(loaded).toMatchObject({ source: 'configuration' });
    expect(loaded.key.id).toBe(configured.id);
    expect(() => statSync(join(dataDir, SECRET_KEY_FILE))).toThrow();
  });

  it('reports a malformed configured key or key file as secret_key_invalid', () => {
    expect(() => loadSecretKey({ dataDir, secretKey: 'too-short' })).toThrow(
      expect.objectContaining({ code: 'secret_key_invalid' }),
    );
    loadSecretKey({ dataDir });
    writeFileSync(join(dataDir, SECRET_KEY_FILE), 'garbage\n');
    expect(() => loadSecretKey({ dataDir })).toThrow(expect.objectContaining({ code: 'secret_key_invalid' }));
  });

  it.runIf(posix)('warns when others can read the key file', () => {
    loadSecretKey({ dataDir });
    chmodSync(join(dataDir, SECRET_KEY_FILE), 0o644);
    const loaded = loadSecretKey({ dataDir });
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toContain('chmod 600');
    expect(loaded.warnings[0]).not.toContain(loaded.key.toBase64());
  });

  it('writeSecretKeyFile replaces the key (0600) for the next start', () => {
    const first = loadSecretKey({ dataDir }).key;
    const next = SecretKey.generate();
    writeSecretKeyFile(dataDir, next);
    if (posix) expect(statSync(join(dataDir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
    const loaded = loadSecretKey({ dataDir });
    expect(loaded.key.id).toBe(next.id);
    expect(loaded.key.id).not.toBe(first.id);
  });
});
