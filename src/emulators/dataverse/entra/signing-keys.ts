import {
  X509Certificate,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  hkdfSync,
  type KeyObject,
} from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generate as generateCertificate } from 'selfsigned';
import { ensureTrailingNewline, readOptionalFile, writeFileAtomically } from './persisted-files.js';

const generateKeyPairAsync = promisify(generateKeyPair);

export const SIGNING_KEY_FILE = 'entra-signing-key.pem';
export const SIGNING_CERT_FILE = 'entra-signing-cert.pem';

/**
 * The token service's RS256 key. Like Entra, the key is published with a (self-signed) certificate and
 * its `kid` equals the certificate's base64url SHA-1 thumbprint (`x5t`), so validators that look keys up
 * by either header field, or that use `x5c`, find it.
 */
export interface SigningKeys {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly certificatePem: string;
  /**
   * AES-256 key for the refresh tokens (encrypted JWTs, opaque to clients as Entra's are). Derived from
   * the private key so refresh tokens, too, survive a restart when the key is persisted.
   */
  readonly refreshTokenKey: Uint8Array;
}

export interface JsonWebKeySetEntry {
  readonly kty: 'RSA';
  readonly use: 'sig';
  readonly kid: string;
  readonly x5t: string;
  readonly n: string;
  readonly e: string;
  readonly x5c: readonly string[];
  /** Entra's v2 keys document names the issuer each key signs for. */
  readonly issuer?: string;
}

/**
 * Loads the key pair from `dir` (creating and persisting it on first start) or, without `dir`, creates
 * an in-memory pair. Persisting keeps previously issued access and refresh tokens valid across restarts.
 */
export async function loadOrCreateSigningKeys(dir?: string): Promise<SigningKeys> {
  if (dir === undefined) return createSigningKeys();
  const existingKey = await readOptionalFile(join(dir, SIGNING_KEY_FILE));
  const privateKey = existingKey === undefined ? await newPrivateKey() : createPrivateKey(existingKey);
  if (existingKey === undefined) {
    await writeFileAtomically(dir, SIGNING_KEY_FILE, pkcs8Pem(privateKey), { private: true });
  }
  const existingCert = await readOptionalFile(join(dir, SIGNING_CERT_FILE));
  if (existingCert !== undefined && certificateMatchesKey(existingCert, privateKey)) {
    return signingKeysFrom(privateKey, existingCert);
  }
  const certificatePem = await selfSignedCertificateFor(privateKey);
  await writeFileAtomically(dir, SIGNING_CERT_FILE, certificatePem, { private: false });
  return signingKeysFrom(privateKey, certificatePem);
}

/** A fresh, never-persisted key pair (tests, `--ephemeral` runs). */
export async function createSigningKeys(): Promise<SigningKeys> {
  const privateKey = await newPrivateKey();
  return signingKeysFrom(privateKey, await selfSignedCertificateFor(privateKey));
}

/** The `/discovery/v2.0/keys` document. */
export function jwksDocument(keys: SigningKeys, issuer?: string): { keys: JsonWebKeySetEntry[] } {
  return { keys: [jwkFor(keys, issuer)] };
}

export function jwkFor(keys: SigningKeys, issuer?: string): JsonWebKeySetEntry {
  const jwk = keys.publicKey.export({ format: 'jwk' });
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new Error('signing key is not RSA');
  return {
    kty: 'RSA',
    use: 'sig',
    kid: keys.kid,
    x5t: keys.kid,
    n: jwk.n,
    e: jwk.e,
    x5c: [certificateBase64Der(keys.certificatePem)],
    ...(issuer === undefined ? {} : { issuer }),
  };
}

async function newPrivateKey(): Promise<KeyObject> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return privateKey;
}

function signingKeysFrom(privateKey: KeyObject, certificatePem: string): SigningKeys {
  const certificate = new X509Certificate(certificatePem);
  const sha1 = Buffer.from(certificate.fingerprint.replaceAll(':', ''), 'hex');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  return {
    kid: sha1.toString('base64url'),
    privateKey,
    publicKey: createPublicKey(privateKey),
    certificatePem,
    refreshTokenKey: new Uint8Array(
      hkdfSync('sha256', pkcs8, 'leadbridge-entra', 'refresh-token-encryption', 32),
    ),
  };
}

function certificateMatchesKey(certificatePem: string, privateKey: KeyObject): boolean {
  try {
    return new X509Certificate(certificatePem).checkPrivateKey(privateKey);
  } catch {
    return false;
  }
}

async function selfSignedCertificateFor(privateKey: KeyObject): Promise<string> {
  const now = Date.now();
  const result = await generateCertificate(
    [{ name: 'commonName', value: 'Leadbridge Entra emulator token signing' }],
    {
      keyPair: {
        privateKey: pkcs8Pem(privateKey),
        publicKey: createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString(),
      },
      algorithm: 'sha256',
      notBeforeDate: new Date(now - 60_000),
      notAfterDate: new Date(now + 10 * 365 * 24 * 3600_000),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, critical: true },
      ],
    },
  );
  return ensureTrailingNewline(result.cert);
}

function pkcs8Pem(privateKey: KeyObject): string {
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

function certificateBase64Der(certificatePem: string): string {
  return new X509Certificate(certificatePem).raw.toString('base64');
}
