import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate as generateCertificate } from 'selfsigned';
import { ensureTrailingNewline, readOptionalFile, writeFileAtomically } from './persisted-files.js';

/**
 * msal-node refuses non-https authorities (`authority_uri_insecure`, msal-common UrlString.validateAsUri),
 * so the emulator serves HTTPS. We mint a small local CA plus a server certificate it signs: the user
 * trusts the CA once (NODE_EXTRA_CA_CERTS=<caPath>, or the OS/browser store) and the server certificate
 * can be re-issued (new hostnames, expiry) without asking them to trust anything again.
 */

export const TLS_CA_CERT_FILE = 'dataverse-emulator-ca.pem';
export const TLS_CA_KEY_FILE = 'dataverse-emulator-ca-key.pem';
export const TLS_SERVER_CERT_FILE = 'dataverse-emulator-tls-cert.pem';
export const TLS_SERVER_KEY_FILE = 'dataverse-emulator-tls-key.pem';

export const DEFAULT_TLS_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

export interface TlsCertificate {
  /** Server certificate followed by the CA certificate (the chain to pass as `https.cert`). */
  readonly certPem: string;
  /** Server private key (PKCS#8 PEM), for `https.key`. */
  readonly keyPem: string;
  /** The CA certificate clients must trust. */
  readonly caPem: string;
  /** Where the CA certificate was written (use as NODE_EXTRA_CA_CERTS); only when `dir` was given. */
  readonly caPath?: string;
  /** Where the server certificate chain was written; only when `dir` was given. */
  readonly certPath?: string;
}

export interface TlsCertificateOptions {
  /** DNS names and IP addresses for the subjectAltName; default localhost, 127.0.0.1, ::1. */
  readonly hostnames?: readonly string[];
  readonly now?: () => number;
}

const DAY_MS = 24 * 3600_000;
/** Apple platforms reject TLS server certificates valid for more than 825 days; stay well below. */
const SERVER_CERT_VALIDITY_MS = 397 * DAY_MS;
const CA_VALIDITY_MS = 10 * 365 * DAY_MS;
/** Re-issue the server certificate this long before it expires. */
const RENEW_BEFORE_MS = 30 * DAY_MS;

/**
 * Returns a CA and a server certificate for the emulator, reusing the ones in `dir` when they are still
 * valid and cover `hostnames` (so the trusted CA file stays stable); without `dir` everything is in memory.
 */
export async function ensureTlsCertificate(
  dir?: string,
  options: TlsCertificateOptions = {},
): Promise<TlsCertificate> {
  const now = options.now?.() ?? Date.now();
  const hostnames = options.hostnames ?? DEFAULT_TLS_HOSTNAMES;

  const ca = (dir === undefined ? undefined : await loadCa(dir, now)) ?? (await createCa(now));
  const caChanged = dir !== undefined && ca.fresh;
  const existingServer =
    dir === undefined || caChanged ? undefined : await loadServerCertificate(dir, ca.certPem, hostnames, now);
  const server = existingServer ?? (await createServerCertificate(ca, hostnames, now));

  let caPath: string | undefined;
  let certPath: string | undefined;
  if (dir !== undefined) {
    if (ca.fresh) {
      await writeFileAtomically(dir, TLS_CA_KEY_FILE, ca.keyPem, { private: true });
      caPath = await writeFileAtomically(dir, TLS_CA_CERT_FILE, ca.certPem, { private: false });
    } else {
      caPath = join(dir, TLS_CA_CERT_FILE);
    }
    if (existingServer === undefined) {
      await writeFileAtomically(dir, TLS_SERVER_KEY_FILE, server.keyPem, { private: true });
      certPath = await writeFileAtomically(dir, TLS_SERVER_CERT_FILE, server.certPem, { private: false });
    } else {
      certPath = join(dir, TLS_SERVER_CERT_FILE);
    }
  }

  return {
    certPem: `${server.certPem}${ca.certPem}`,
    keyPem: server.keyPem,
    caPem: ca.certPem,
    ...(caPath === undefined ? {} : { caPath }),
    ...(certPath === undefined ? {} : { certPath }),
  };
}

interface KeyAndCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

interface CaMaterial extends KeyAndCertificate {
  readonly fresh: boolean;
}

async function loadCa(dir: string, now: number): Promise<CaMaterial | undefined> {
  const certPem = await readOptionalFile(join(dir, TLS_CA_CERT_FILE));
  const keyPem = await readOptionalFile(join(dir, TLS_CA_KEY_FILE));
  if (certPem === undefined || keyPem === undefined) return undefined;
  try {
    const certificate = new X509Certificate(certPem);
    if (!certificate.ca || !certificate.checkPrivateKey(createPrivateKey(keyPem))) return undefined;
    if (Date.parse(certificate.validTo) - now < RENEW_BEFORE_MS) return undefined;
  } catch {
    return undefined;
  }
  return { certPem: ensureTrailingNewline(certPem), keyPem, fresh: false };
}

async function createCa(now: number): Promise<CaMaterial> {
  const generated = await generateCertificate(
    [
      { name: 'commonName', value: 'Leadbridge Dataverse Emulator Local CA' },
      { name: 'organizationName', value: 'Leadbridge (local development only)' },
    ],
    {
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: new Date(now - 60_000),
      notAfterDate: new Date(now + CA_VALIDITY_MS),
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    },
  );
  return { certPem: ensureTrailingNewline(generated.cert), keyPem: generated.private, fresh: true };
}

async function loadServerCertificate(
  dir: string,
  caPem: string,
  hostnames: readonly string[],
  now: number,
): Promise<KeyAndCertificate | undefined> {
  const certPem = await readOptionalFile(join(dir, TLS_SERVER_CERT_FILE));
  const keyPem = await readOptionalFile(join(dir, TLS_SERVER_KEY_FILE));
  if (certPem === undefined || keyPem === undefined) return undefined;
  try {
    const certificate = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    if (!certificate.checkIssued(ca) || !certificate.verify(ca.publicKey)) return undefined;
    if (!certificate.checkPrivateKey(createPrivateKey(keyPem))) return undefined;
    if (Date.parse(certificate.validTo) - now < RENEW_BEFORE_MS) return undefined;
    const covered = subjectAltNames(certificate);
    if (!hostnames.every((name) => covered.has(canonicalHost(name)))) return undefined;
  } catch {
    return undefined;
  }
  return { certPem: ensureTrailingNewline(certPem), keyPem };
}

async function createServerCertificate(
  ca: KeyAndCertificate,
  hostnames: readonly string[],
  now: number,
): Promise<KeyAndCertificate> {
  const firstDnsName = hostnames.find((name) => isIP(name) === 0) ?? hostnames[0] ?? 'localhost';
  const generated = await generateCertificate([{ name: 'commonName', value: firstDnsName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + SERVER_CERT_VALIDITY_MS),
    ca: { key: ca.keyPem, cert: ca.certPem },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: hostnames.map((name) =>
          isIP(name) === 0 ? { type: 2, value: name } : { type: 7, ip: name },
        ),
      },
    ],
  });
  return { certPem: ensureTrailingNewline(generated.cert), keyPem: generated.private };
}

/** "DNS:localhost, IP Address:0:0:0:0:0:0:0:1" → {"localhost", "[::1]"} (IPs canonicalised via URL). */
function subjectAltNames(certificate: X509Certificate): Set<string> {
  const names = new Set<string>();
  for (const entry of (certificate.subjectAltName ?? '').split(',')) {
    const trimmed = entry.trim();
    if (trimmed.startsWith('DNS:')) names.add(canonicalHost(trimmed.slice(4)));
    if (trimmed.startsWith('IP Address:')) names.add(canonicalHost(trimmed.slice(11)));
  }
  return names;
}

function canonicalHost(name: string): string {
  const host = isIP(name) === 6 ? `[${name}]` : name;
  return new URL(`https://${host}/`).hostname;
}
