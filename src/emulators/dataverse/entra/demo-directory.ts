import { createHash } from 'node:crypto';
import { deterministicGuid } from '../../../shared/ids.js';
import { parseEntraDirectory, type EntraDirectory, type EntraDirectoryInput } from './entra-directory.js';

export const DEMO_TENANT_DOMAIN = 'leadbridge-demo.onmicrosoft.com';

/**
 * Redirect URIs registered on the demo app. Entra ignores the port of loopback `http` redirect URIs
 * (learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions), so any
 * `http://localhost:<port>/redirect` works, which is what CLI sign-in helpers need.
 */
export const DEMO_REDIRECT_URIS: readonly string[] = [
  'http://localhost',
  'http://localhost/redirect',
  'http://127.0.0.1/redirect',
  // Leadbridge's own web UI (`leadbridge start --demo` on any port): where a person's CRM sign-in returns.
  'http://localhost/crm-sign-in/callback',
  'http://127.0.0.1/crm-sign-in/callback',
];

/**
 * A small directory derived only from `seed`: the same seed always yields the same tenant id, app
 * (client id + secret), users and systemuser ids, so the Dataverse seed can create the matching
 * application user and users without coordination.
 */
export function createDemoEntraDirectory(seed: number): EntraDirectory {
  return parseEntraDirectory(demoEntraDirectoryInput(seed));
}

/** The same demo directory before validation, for callers that add apps, users or certificates. */
export function demoEntraDirectoryInput(seed: number): EntraDirectoryInput {
  const id = (...parts: string[]): string => deterministicGuid('demo', seed, ...parts);
  const clientId = id('app', 'leadbridge-sync');
  return {
    tenantId: id('tenant'),
    tenantDisplayName: 'Leadbridge Demo',
    verifiedDomains: [DEMO_TENANT_DOMAIN],
    applications: [
      {
        clientId,
        displayName: 'Leadbridge Sync (demo)',
        systemUserId: id('systemuser', 'application-user', 'leadbridge-sync'),
        clientSecrets: [
          {
            keyId: id('app', 'leadbridge-sync', 'secret'),
            secretText: demoSecretText(seed),
            displayName: 'demo secret',
          },
        ],
        redirectUris: [...DEMO_REDIRECT_URIS],
      },
    ],
    users: [
      {
        objectId: id('user', 'avery'),
        userPrincipalName: `avery.demo@${DEMO_TENANT_DOMAIN}`,
        displayName: 'Avery Demo',
        systemUserId: id('systemuser', 'avery'),
      },
      {
        objectId: id('user', 'jordan'),
        userPrincipalName: `jordan.demo@${DEMO_TENANT_DOMAIN}`,
        displayName: 'Jordan Demo',
        systemUserId: id('systemuser', 'jordan'),
      },
    ],
  };
}

/**
 * Shaped like a real Entra secret value (40 characters, `8Q~` after the first three, characters from
 * [A-Za-z0-9_.~-]) so client code that sanity-checks secrets treats it like one.
 */
function demoSecretText(seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-';
  const digest = createHash('sha256').update(`leadbridge-demo-secret:${seed}`).digest();
  const chars = Array.from(digest, (byte) => alphabet[byte % alphabet.length] ?? 'x');
  return `${chars.slice(0, 3).join('')}8Q~${chars.slice(3, 32).join('')}${chars.slice(0, 5).join('')}`.slice(
    0,
    40,
  );
}
