import { X509Certificate, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { deterministicGuid } from '../../../shared/ids.js';

/**
 * The emulated Microsoft Entra tenant: app registrations (with their Dataverse *application user*) and
 * users (with their Dataverse systemuser). The emulator core builds the input from its seed data and calls
 * `parseEntraDirectory`, which validates it and derives what the token service needs (certificate
 * thumbprints and public keys, service principal ids).
 */

// z.guid() rather than z.uuid(): Dataverse and Entra ids are GUIDs, not necessarily RFC 9562 UUIDs
// (e.g. the Dynamics CRM first-party app id 00000007-0000-0000-c000-000000000000 has no valid variant).
const guid = z.guid();

const clientSecretSchema = z.object({
  /** The "Secret ID" shown in the portal; people sometimes send it instead of the value (→ AADSTS7000215). */
  keyId: guid,
  /** The secret value the client sends as `client_secret`. */
  secretText: z.string().min(1),
  displayName: z.string().optional(),
  /** ISO 8601; after this instant the secret yields AADSTS7000222 (expired keys). */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});

const certificateCredentialSchema = z
  .object({
    keyId: guid.optional(),
    /** The public certificate (PEM) uploaded to the app registration. */
    certificatePem: z.string().includes('-----BEGIN CERTIFICATE-----'),
    /** SHA-1 thumbprint as hex (the portal's "Thumbprint" column). Computed when omitted; checked when given. */
    thumbprint: z
      .string()
      .regex(/^[0-9A-Fa-f]{40}$/)
      .optional(),
    displayName: z.string().optional(),
  })
  .transform((input, ctx) => {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(input.certificatePem);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'certificatePem is not a valid X.509 certificate' });
      return z.NEVER;
    }
    const thumbprintSha1 = hexThumbprint(certificate.fingerprint);
    if (input.thumbprint !== undefined && input.thumbprint.toUpperCase() !== thumbprintSha1) {
      ctx.addIssue({
        code: 'custom',
        message: `thumbprint ${input.thumbprint} does not match the certificate (${thumbprintSha1})`,
      });
      return z.NEVER;
    }
    const credential: CertificateCredential = {
      keyId: input.keyId ?? deterministicGuid('certificate', thumbprintSha1),
      certificatePem: input.certificatePem,
      thumbprintSha1,
      thumbprintSha256: hexThumbprint(certificate.fingerprint256),
      notBefore: new Date(certificate.validFrom),
      notAfter: new Date(certificate.validTo),
      publicKey: certificate.publicKey,
      ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
    };
    return credential;
  });

const appRegistrationSchema = z
  .object({
    /** Application (client) ID. */
    clientId: guid,
    displayName: z.string().min(1),
    /**
     * Object id of the app's service principal in this tenant; app-only tokens carry it as `oid`/`sub`.
     * Derived from the client id when omitted.
     */
    servicePrincipalId: guid.optional(),
    /** systemuserid of the Dataverse application user bound to this app's client id. */
    systemUserId: guid,
    clientSecrets: z.array(clientSecretSchema).default([]),
    certificates: z.array(certificateCredentialSchema).default([]),
    /** Registered redirect URIs (exact match, except loopback http URIs where Entra ignores the port). */
    redirectUris: z.array(z.url()).default([]),
    /** "Allow public client flows": token requests may omit client credentials (PKCE-only). */
    isPublicClient: z.boolean().default(false),
    /** Application permissions (app roles) granted to the app; sent as the `roles` claim in app-only tokens. */
    appRoles: z.array(z.string().min(1)).default([]),
    /** A disabled app gets AADSTS7000112 for every request. */
    enabled: z.boolean().default(true),
  })
  .transform((app) => ({
    ...app,
    servicePrincipalId: app.servicePrincipalId ?? deterministicGuid('service-principal', app.clientId),
  }));

const directoryUserSchema = z.object({
  objectId: guid,
  /** The sign-in name (UPN), e.g. avery@contoso.onmicrosoft.com. */
  userPrincipalName: z.string().includes('@'),
  displayName: z.string().min(1),
  /** systemuserid of the matching Dataverse user (bound through its Entra object id). */
  systemUserId: guid,
  /** A disabled user cannot sign in (AADSTS50057) and their refresh tokens stop working. */
  accountEnabled: z.boolean().default(true),
});

export const entraDirectorySchema = z.object({
  tenantId: guid,
  /** Shown on the sign-in page and in some AADSTS messages (Entra prints the directory name there). */
  tenantDisplayName: z.string().min(1).default('Leadbridge Emulated Directory'),
  /** Domains (e.g. contoso.onmicrosoft.com) also accepted as the `{tenant}` path segment. */
  verifiedDomains: z.array(z.string().min(1)).default([]),
  applications: z.array(appRegistrationSchema).default([]),
  users: z.array(directoryUserSchema).default([]),
});

/** What the emulator core provides (defaults optional). */
export type EntraDirectoryInput = z.input<typeof entraDirectorySchema>;
/** The validated directory with derived certificate data. */
export type EntraDirectory = z.output<typeof entraDirectorySchema>;
export type AppRegistration = EntraDirectory['applications'][number];
export type ClientSecret = AppRegistration['clientSecrets'][number];
export type DirectoryUser = EntraDirectory['users'][number];

export interface CertificateCredential {
  readonly keyId: string;
  readonly certificatePem: string;
  /** Upper-case hex SHA-1 thumbprint (msal-node `clientCertificate.thumbprint`; JWT header `x5t`). */
  readonly thumbprintSha1: string;
  /** Upper-case hex SHA-256 thumbprint (msal-node `thumbprintSha256`; JWT header `x5t#S256`). */
  readonly thumbprintSha256: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: KeyObject;
  readonly displayName?: string;
}

/** Validates the directory; throws a ZodError describing every problem. */
export function parseEntraDirectory(input: EntraDirectoryInput): EntraDirectory {
  return entraDirectorySchema.parse(input);
}

export function findApplication(directory: EntraDirectory, clientId: string): AppRegistration | undefined {
  const wanted = clientId.toLowerCase();
  return directory.applications.find((app) => app.clientId.toLowerCase() === wanted);
}

export function findUser(directory: EntraDirectory, objectId: string): DirectoryUser | undefined {
  const wanted = objectId.toLowerCase();
  return directory.users.find((user) => user.objectId.toLowerCase() === wanted);
}

export function findUserByPrincipalName(directory: EntraDirectory, upn: string): DirectoryUser | undefined {
  const wanted = upn.toLowerCase();
  return directory.users.find((user) => user.userPrincipalName.toLowerCase() === wanted);
}

/** node:crypto prints fingerprints as "AB:CD:..."; Entra and msal use plain upper-case hex. */
function hexThumbprint(fingerprint: string): string {
  return fingerprint.replaceAll(':', '').toUpperCase();
}
