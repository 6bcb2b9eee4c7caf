import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import { describe, expect, it } from 'vitest';
import { createDemoEntraDirectory, demoEntraDirectoryInput } from './demo-directory.js';
import { findApplication, findUserByPrincipalName, parseEntraDirectory } from './entra-directory.js';
import { isRegisteredRedirectUri } from './redirect-uris.js';

describe('demo directory', () => {
  it('is a pure function of the seed', () => {
    expect(createDemoEntraDirectory(42)).toEqual(createDemoEntraDirectory(42));
    const [a, b] = [createDemoEntraDirectory(1), createDemoEntraDirectory(2)];
    expect(a.tenantId).not.toBe(b.tenantId);
    expect(a.applications[0]?.clientId).not.toBe(b.applications[0]?.clientId);
    expect(a.applications[0]?.clientSecrets[0]?.secretText).not.toBe(
      b.applications[0]?.clientSecrets[0]?.secretText,
    );
  });

  it('has one app with a secret, bound to an application user, and two users with systemusers', () => {
    const directory = createDemoEntraDirectory(1);
    expect(directory.applications).toHaveLength(1);
    const app = directory.applications[0];
    expect(app?.clientSecrets[0]?.secretText).toMatch(/^[A-Za-z0-9_.~-]{3}8Q~[A-Za-z0-9_.~-]{34}$/);
    expect(app?.systemUserId).toMatch(/^[0-9a-f-]{36}$/);
    expect(directory.users.map((user) => user.displayName)).toEqual(['Avery Demo', 'Jordan Demo']);
    const ids = [
      directory.tenantId,
      app?.clientId,
      app?.servicePrincipalId,
      ...directory.users.flatMap((u) => [u.objectId, u.systemUserId]),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('looks up apps and users case-insensitively', () => {
    const directory = createDemoEntraDirectory(1);
    const app = directory.applications[0];
    const user = directory.users[0];
    expect(findApplication(directory, app?.clientId.toUpperCase() ?? '')).toBe(app);
    expect(findUserByPrincipalName(directory, user?.userPrincipalName.toUpperCase() ?? '')).toBe(user);
  });

  it('ignores the port of registered loopback http redirect URIs only', () => {
    const app = createDemoEntraDirectory(1).applications[0];
    if (app === undefined) throw new Error('no app');
    expect(isRegisteredRedirectUri(app, 'http://localhost:51234/redirect')).toBe(true);
    expect(isRegisteredRedirectUri(app, 'http://localhost:51234/other')).toBe(false);
    expect(isRegisteredRedirectUri(app, 'https://localhost:51234/redirect')).toBe(false);
    expect(isRegisteredRedirectUri(app, 'http://example.com/redirect')).toBe(false);
  });
});

describe('parseEntraDirectory', () => {
  it('derives certificate thumbprints and rejects a thumbprint that does not match the certificate', async () => {
    const generated = await generate([{ name: 'commonName', value: 'directory test' }], {
      keySize: 2048,
      algorithm: 'sha256',
    });
    const sha1 = new X509Certificate(generated.cert).fingerprint.replaceAll(':', '');
    const input = demoEntraDirectoryInput(1);
    const [app] = input.applications ?? [];
    if (app === undefined) throw new Error('no app');
    const parsed = parseEntraDirectory({
      ...input,
      applications: [{ ...app, certificates: [{ certificatePem: generated.cert }] }],
    });
    expect(parsed.applications[0]?.certificates[0]?.thumbprintSha1).toBe(sha1);
    expect(() =>
      parseEntraDirectory({
        ...input,
        applications: [
          { ...app, certificates: [{ certificatePem: generated.cert, thumbprint: '0'.repeat(40) }] },
        ],
      }),
    ).toThrow(/does not match the certificate/);
  });

  it('rejects ids that are not GUIDs', () => {
    expect(() => parseEntraDirectory({ tenantId: 'contoso' })).toThrow();
  });
});
