import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TLS_CA_CERT_FILE, ensureTlsCertificate } from './tls-certificate.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** GET over TLS trusting only `ca`; resolves the status code or rejects with the TLS error. */
function getWithCa(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('ensureTlsCertificate', () => {
  it('creates a CA and a localhost/127.0.0.1 server certificate a client can trust through the CA alone', async () => {
    const tls = await ensureTlsCertificate();
    const [serverPem] = tls.certPem.split(/(?<=-----END CERTIFICATE-----\n)/);
    const server = new X509Certificate(serverPem ?? '');
    const ca = new X509Certificate(tls.caPem);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.subjectAltName).toContain('DNS:localhost');
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');

    const https = createServer({ key: tls.keyPem, cert: tls.certPem }, (_request, response) =>
      response.end('ok'),
    );
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = https.address() as AddressInfo;
      expect(await getWithCa(`https://127.0.0.1:${port}/`, tls.caPem)).toBe(200);
      expect(await getWithCa(`https://localhost:${port}/`, tls.caPem)).toBe(200);
      const stranger = await ensureTlsCertificate();
      await expect(getWithCa(`https://127.0.0.1:${port}/`, stranger.caPem)).rejects.toThrow();
    } finally {
      await new Promise<void>((resolve) => https.close(() => resolve()));
    }
  });

  it('persists the CA for NODE_EXTRA_CA_CERTS and reuses it; new hostnames re-issue only the server certificate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'entra-tls-'));
    dirs.push(dir);
    const first = await ensureTlsCertificate(dir);
    expect(first.caPath).toBe(join(dir, TLS_CA_CERT_FILE));
    expect(await readFile(first.caPath ?? '', 'utf8')).toBe(first.caPem);

    const second = await ensureTlsCertificate(dir);
    expect(second.caPem).toBe(first.caPem);
    expect(second.certPem).toBe(first.certPem);

    const widened = await ensureTlsCertificate(dir, {
      hostnames: ['localhost', '127.0.0.1', 'emulator.test'],
    });
    expect(widened.caPem).toBe(first.caPem);
    expect(widened.certPem).not.toBe(first.certPem);
    expect(new X509Certificate(widened.certPem).subjectAltName).toContain('DNS:emulator.test');
  });

  it('renews the server certificate when it is about to expire, keeping the CA', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'entra-tls-'));
    dirs.push(dir);
    const first = await ensureTlsCertificate(dir);
    const later = await ensureTlsCertificate(dir, { now: () => Date.now() + 380 * 24 * 3600_000 });
    expect(later.caPem).toBe(first.caPem);
    expect(later.certPem).not.toBe(first.certPem);
  });
});
