import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LeadbridgeError } from '../../shared/index.js';
import { SecretKey } from './secret-key.js';

export const SECRET_KEY_FILE = 'secret.key';

export interface SecretKeySettings {
  /** Base64 of 32 bytes from configuration (e.g. LEADBRIDGE_SECRET_KEY). Wins over the key file. */
  readonly secretKey?: string | undefined;
  readonly dataDir: string;
}

export interface LoadedSecretKey {
  readonly key: SecretKey;
  /** Where the key came from: configuration, an existing key file, or a key file created just now. */
  readonly source: 'configuration' | 'key_file' | 'created_key_file';
  readonly path?: string;
  /** Things an operator should hear about (e.g. a key file others can read); never the key itself. */
  readonly warnings: readonly string[];
}

/**
 * Finds the secret key: configuration first, then `<dataDir>/secret.key`; on the very first start,
 * creates that file (0600) with a new random key. Two processes starting together agree on one key:
 * the file is created exclusively and the loser reads the winner's.
 */
export function loadSecretKey(settings: SecretKeySettings): LoadedSecretKey {
  if (settings.secretKey !== undefined && settings.secretKey.trim() !== '')
    return {
      key: SecretKey.fromBase64(settings.secretKey, 'The configured secret key'),
      source: 'configuration',
      warnings: [],
    };
  const path = join(settings.dataDir, SECRET_KEY_FILE);
  const existing = readKeyFile(path);
  if (existing) return { key: existing, source: 'key_file', path, warnings: permissionWarnings(path) };
  const key = SecretKey.generate();
  try {
    mkdirSync(settings.dataDir, { recursive: true });
    writeFileSync(path, `${key.toBase64()}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  } catch (error) {
    if (isErrno(error, 'EEXIST')) {
      const winner = readKeyFile(path);
      if (winner) return { key: winner, source: 'key_file', path, warnings: permissionWarnings(path) };
    }
    throw new LeadbridgeError(
      'data_dir_unwritable',
      `Cannot create the secret key file ${path}: ${messageOf(error)}`,
    );
  }
  return { key, source: 'created_key_file', path, warnings: [] };
}

/**
 * Replaces `<dataDir>/secret.key` with `key` atomically (write beside, then rename), for
 * `leadbridge secrets rotate` after `rotateSecrets` committed.
 */
export function writeSecretKeyFile(dataDir: string, key: SecretKey): string {
  const path = join(dataDir, SECRET_KEY_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(temporary, `${key.toBase64()}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } catch (error) {
    throw new LeadbridgeError(
      'data_dir_unwritable',
      `Cannot write the secret key file ${path}: ${messageOf(error)}`,
    );
  }
  return path;
}

function readKeyFile(path: string): SecretKey | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw new LeadbridgeError(
      'data_dir_unwritable',
      `Cannot read the secret key file ${path}: ${messageOf(error)}`,
    );
  }
  return SecretKey.fromBase64(text, `The secret key file ${path}`);
}

function permissionWarnings(path: string): string[] {
  if (process.platform === 'win32') return [];
  const mode = statSync(path).mode & 0o777;
  return mode & 0o077
    ? [
        `The secret key file ${path} can be read by other users (mode ${mode.toString(8)}); run chmod 600 on it.`,
      ]
    : [];
}

const isErrno = (error: unknown, code: string): boolean =>
  error instanceof Error && (error as NodeJS.ErrnoException).code === code;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
