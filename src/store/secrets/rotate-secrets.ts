import { LeadbridgeError } from '../../shared/index.js';
import type { StoreDatabase } from '../store-database.js';
import { SEALED_COLUMNS } from './sealed-columns.js';
import { sealedKeyId, type SecretKey } from './secret-key.js';

export interface RotationReport {
  readonly fromKeyId: string;
  readonly toKeyId: string;
  /** Secrets opened with the old key and sealed again with the new one. */
  readonly resealed: number;
  /** Secrets already under the new key (a repeated rotation), checked and left alone. */
  readonly alreadyUnderNewKey: number;
}

/**
 * Re-seals every stored secret under `newKey` in one transaction (`leadbridge secrets rotate`): either
 * all of them move, or none does. A secret under any third key, or one the old key cannot open, fails
 * the whole rotation with `secret_key_invalid` and changes nothing. On PostgreSQL the rows are locked
 * (FOR UPDATE) so a concurrent writer cannot slip an old-key secret in; SQLite has one writer at a time.
 * Switch the configuration (or `writeSecretKeyFile`) to the new key after this returns.
 */
export async function rotateSecrets(
  store: StoreDatabase,
  oldKey: SecretKey,
  newKey: SecretKey,
): Promise<RotationReport> {
  if (oldKey.id === newKey.id)
    throw new LeadbridgeError('invalid_arguments', `The new secret key is the current one (${oldKey.id}).`);
  return store.db.transaction().execute(async (trx) => {
    let resealed = 0;
    let alreadyUnderNewKey = 0;
    for (const column of SEALED_COLUMNS) {
      for (const value of await column.read(trx, store.dialect === 'postgres')) {
        if (sealedKeyId(value.sealed) === newKey.id) {
          newKey.open(value.sealed, value.context);
          alreadyUnderNewKey += 1;
          continue;
        }
        await column.write(
          trx,
          value.id,
          newKey.seal(oldKey.open(value.sealed, value.context), value.context),
        );
        resealed += 1;
      }
    }
    return { fromKeyId: oldKey.id, toKeyId: newKey.id, resealed, alreadyUnderNewKey };
  });
}

/** How many stored secrets each key id sealed, across every sealed column. */
export async function countSecretsByKeyId(store: StoreDatabase): Promise<ReadonlyMap<string, number>> {
  const counts = new Map<string, number>();
  for (const column of SEALED_COLUMNS)
    for (const value of await column.read(store.db, false)) {
      const keyId = sealedKeyId(value.sealed) ?? 'unknown';
      counts.set(keyId, (counts.get(keyId) ?? 0) + 1);
    }
  return counts;
}

/**
 * Start-up check: fails with `secret_key_invalid` when stored secrets were sealed with another key,
 * so a wrong key is reported once, clearly, instead of on the first connector call.
 */
export async function verifySecretKey(store: StoreDatabase, key: SecretKey): Promise<void> {
  const foreign = [...(await countSecretsByKeyId(store))].filter(([keyId]) => keyId !== key.id);
  if (foreign.length > 0)
    throw new LeadbridgeError(
      'secret_key_invalid',
      `The configured key is ${key.id}, but ${foreign
        .map(([keyId, count]) => `${count} stored secret(s) were sealed with ${keyId}`)
        .join(' and ')}. Configure the key they were sealed with (LEADBRIDGE_SECRET_KEY or ` +
        `secret.key in the data directory), or rotate with \`leadbridge secrets rotate\` while the old key is configured.`,
    );
}
