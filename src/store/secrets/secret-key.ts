import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { LeadbridgeError } from '../../shared/index.js';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'lbs1';

/**
 * The key that seals secrets at rest (AES-256-GCM). The key material never leaves this object except
 * through `toBase64()`, which exists only to write the key file or print a freshly generated key once;
 * `toString`, `toJSON` and `util.inspect` show the key id alone.
 *
 * A sealed secret is `lbs1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts). The key id is derived
 * from the key, so a wrong key is recognised before decrypting, and rotation can prove that nothing is
 * left under the old one. The additional authenticated data binds the format, the key id and a context
 * naming the row (`crm_connections.credentials:<id>`), so a ciphertext copied to another row fails.
 */
export class SecretKey {
  readonly id: string;
  readonly #material: Buffer;

  private constructor(material: Buffer) {
    this.#material = material;
    this.id = createHash('sha256')
      .update('leadbridge secret key id\0')
      .update(material)
      .digest('hex')
      .slice(0, 16);
  }

  static generate(): SecretKey {
    return new SecretKey(randomBytes(KEY_BYTES));
  }

  /** Standard or URL-safe base64 of exactly 32 bytes (`openssl rand -base64 32`). */
  static fromBase64(text: string, origin = 'The secret key'): SecretKey {
    const trimmed = text.trim();
    const material = /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined;
    if (material?.length !== KEY_BYTES)
      throw new LeadbridgeError(
        'secret_key_invalid',
        `${origin} must be 32 random bytes in base64 (create one with \`openssl rand -base64 32\`).`,
      );
    return new SecretKey(material);
  }

  toBase64(): string {
    return this.#material.toString('base64');
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#material, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(this.id, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.id, b64(iv), b64(ciphertext), b64(cipher.getAuthTag())].join('.');
  }

  /** Fails with `secret_key_invalid` (never a crypto exception) when this key cannot open the value. */
  open(sealed: string, context: string): string {
    const parts = parseSealed(sealed, context);
    if (parts.keyId !== this.id)
      throw new LeadbridgeError(
        'secret_key_invalid',
        `${context} was sealed with key ${parts.keyId}, but the configured key is ${this.id}. ` +
          'Configure the key the secrets were stored with, or re-enter the secrets.',
      );
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#material, parts.iv, {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(additionalData(parts.keyId, context));
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new LeadbridgeError(
        'secret_key_invalid',
        `${context} failed authentication under key ${this.id}: the stored value was altered or belongs to another row.`,
      );
    }
  }

  toString(): string {
    return `SecretKey(${this.id})`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** The id of the key a sealed value was sealed with. */
export function sealedKeyId(sealed: string): string | undefined {
  const [format, keyId] = sealed.split('.');
  return format === FORMAT ? keyId : undefined;
}

interface SealedParts {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

function parseSealed(sealed: string, context: string): SealedParts {
  const [format, keyId, iv, ciphertext, tag, extra] = sealed.split('.');
  if (
    format !== FORMAT ||
    !keyId ||
    iv === undefined ||
    ciphertext === undefined ||
    !tag ||
    extra !== undefined
  )
    throw new LeadbridgeError('secret_key_invalid', `${context} is not a sealed secret (unknown format).`);
  const parts = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  };
  if (parts.iv.length !== IV_BYTES || parts.tag.length !== TAG_BYTES)
    throw new LeadbridgeError('secret_key_invalid', `${context} is not a sealed secret (bad lengths).`);
  return parts;
}

const additionalData = (keyId: string, context: string): Buffer =>
  Buffer.from(`${FORMAT}\0${keyId}\0${context}`, 'utf8');

const b64 = (bytes: Buffer): string => bytes.toString('base64url');
